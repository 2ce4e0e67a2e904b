import { readFileSync, readdirSync } from 'node:fs';
import type { CoreV1Event, V1Deployment, V1Pod, V1ReplicaSet } from '@kubernetes/client-node';
import { DEFAULT_DETECTORS, workloadSignals } from '../detect/workload-signals.ts';
import type { Signal, SignalClass } from '../detect/signal.ts';
import { analyzerInput, logSource } from './analyzer-input.ts';
import type { AnalyzerInput, NodeAllocatable } from './rule-diagnosis.ts';

// Test support: reads the fixtures that the analyzer tests run against.

/** A failing workload as the tier-2 sandbox showed it (test/fixtures/sandbox), trimmed of noise. */
export interface SandboxFixture {
  scenario: string;
  description: string;
  namespace: string;
  deployment: V1Deployment;
  replicaSets: V1ReplicaSet[];
  pods: V1Pod[];
  events: CoreV1Event[];
  nodes: NodeAllocatable[];
  /** By "pod/container". */
  logs: Record<string, { previous?: string; current?: string }>;
}

const DIR = new URL('../../test/fixtures/sandbox/', import.meta.url);

export function sandboxScenarios(): string[] {
  return readdirSync(DIR).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '')).sort();
}

export function loadSandboxFixture(scenario: string): SandboxFixture {
  return JSON.parse(readFileSync(new URL(`${scenario}.json`, DIR), 'utf8')) as SandboxFixture;
}

/** What the real detector finds in a fixture (Unschedulable without its pending delay: fixtures carry no timestamps). */
export function fixtureSignals(fixture: SandboxFixture): Signal[] {
  const workload = { kind: 'Deployment', namespace: fixture.namespace, name: fixture.deployment.metadata?.name ?? '' };
  return workloadSignals({ workload, deployment: fixture.deployment, pods: fixture.pods, events: fixture.events }, { ...DEFAULT_DETECTORS, pendingSeconds: 0 });
}

/**
 * The analyzers' input as the operator would assemble it: the signal the real detector
 * finds in the fixture's pods and events, the other current signals, the events of the pod
 * and its owners, the pod's logs, the template, ReplicaSets and nodes.
 */
export function analyzerInputFor(fixture: SandboxFixture, signalClass: SignalClass): { signal: Signal; input: AnalyzerInput } {
  const signals = fixtureSignals(fixture);
  const signal = signals.find((s) => s.class === signalClass);
  if (!signal) throw new Error(`${fixture.scenario}: the detector finds no ${signalClass} (found: ${signals.map((s) => s.class).join(', ') || 'nothing'})`);
  const source = logSource(signal, signals, fixture.deployment.spec?.template);
  const logs = source ? fixture.logs[`${source.pod}/${source.container}`] ?? {} : {};
  const input = analyzerInput({ template: fixture.deployment.spec?.template, replicaSets: fixture.replicaSets, events: fixture.events }, signal, signals, logs, fixture.nodes);
  return { signal, input };
}
