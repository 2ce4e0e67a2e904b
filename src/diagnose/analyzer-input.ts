import type { CoreV1Event, V1Node, V1PodTemplateSpec, V1ReplicaSet } from '@kubernetes/client-node';
import type { Signal } from '../detect/signal.ts';
import type { AnalyzerEvent, AnalyzerInput, AnalyzerSignal, NodeAllocatable } from './rule-diagnosis.ts';

export interface WorkloadFacts {
  template?: V1PodTemplateSpec;
  replicaSets: V1ReplicaSet[];
  /** Events of the workload's pods and of the workload itself. */
  events: CoreV1Event[];
}

/** The part of a Signal analyzers read. */
export function analyzerSignal(signal: Signal): AnalyzerSignal {
  const { class: signalClass, container, reason, message, exitCode, restartCount } = signal;
  return { class: signalClass, container, reason, message, exitCode, restartCount };
}

/**
 * The analyzers' input for one signal, as the operator (and the sandbox fixtures) assemble
 * it: the other current signals of the workload, the events of the failing pod and of the
 * owners (not of sibling pods, whose story may differ), its logs, the template, ReplicaSets
 * and the nodes.
 */
export function analyzerInput(facts: WorkloadFacts, signal: Signal, related: Signal[], logs: { previous?: string; current?: string }, nodes?: NodeAllocatable[]): AnalyzerInput {
  const events: AnalyzerEvent[] = facts.events
    .filter((e) => signal.object.kind !== 'Pod' || e.involvedObject.kind !== 'Pod' || e.involvedObject.name === signal.object.name)
    .map((e) => ({ reason: e.reason ?? '', message: e.message ?? '', count: e.count ?? 1, object: { kind: e.involvedObject.kind ?? '', name: e.involvedObject.name ?? '' } }));
  return {
    container: signal.container,
    template: facts.template,
    replicaSets: facts.replicaSets,
    signal: analyzerSignal(signal),
    related: related.filter((s) => s !== signal).map(analyzerSignal),
    events,
    previousLogs: logs.previous,
    currentLogs: logs.current,
    nodes,
  };
}

/** The pod (and container) whose logs explain a signal: its own, or a failing sibling's for a workload-level one. */
export function logSource(signal: Signal, related: Signal[], template?: V1PodTemplateSpec): { pod: string; container: string } | undefined {
  const pod = signal.object.kind === 'Pod' ? signal.object.name : related.find((s) => s.object.kind === 'Pod')?.object.name;
  const container = signal.container ?? related.find((s) => s.object.name === pod)?.container ?? template?.spec?.containers[0]?.name;
  return pod && container ? { pod, container } : undefined;
}

export function nodeAllocatable(nodes: V1Node[]): NodeAllocatable[] {
  return nodes.map((n) => ({ name: n.metadata?.name ?? '', allocatable: { cpu: n.status?.allocatable?.cpu, memory: n.status?.allocatable?.memory } }));
}
