import type { CoreV1Event } from '@kubernetes/client-node';
import type { Evidence } from '../api/healing-incident.ts';
import type { GitOpsSignal } from '../detect/gitops-signals.ts';
import { summarizeEvidence } from './evidence.ts';

const SUMMARY_BYTES = 4096;
const REVISION_CHARS = 200;

const ENGINE = { Kustomization: 'Flux', Application: 'Argo CD' } as Record<string, string>;

/**
 * A GitOps failure's evidence: what the engine said and at which Git revision, which is
 * what a diagnosis needs first (a bad commit), plus the engine's events on the object.
 * The summary keeps its head (where, why, which revision) and cuts the message to fit.
 */
export function gitOpsEvidence(signal: GitOpsSignal, events: CoreV1Event[]): Evidence {
  const { kind, namespace, name } = signal.workload;
  const head = [`${signal.class} in ${ENGINE[kind] ?? 'GitOps'} ${kind} ${namespace}/${name}`];
  if (signal.reason) head.push(`reason ${signal.reason}`);
  if (signal.revision) head.push(`revision ${clip(signal.revision, REVISION_CHARS)}`);
  if (signal.appliedRevision && signal.appliedRevision !== signal.revision) head.push(`last applied ${clip(signal.appliedRevision, REVISION_CHARS)}`);
  const prefix = head.join(', ');
  const summary = signal.message ? clip(`${prefix}: ${signal.message}`, SUMMARY_BYTES) : prefix;
  const own = events.filter((e) => e.involvedObject.kind === kind && e.involvedObject.name === name);
  return {
    ...summarizeEvidence(signal, own, [`${kind}/${name}`], undefined), summary,
    ...(signal.revision ? { revision: clip(signal.revision, 256) } : {}),
    ...(signal.appliedRevision ? { appliedRevision: clip(signal.appliedRevision, 256) } : {}),
  };
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
