import type { V1Container, V1PodTemplateSpec, V1ReplicaSet } from '@kubernetes/client-node';
import type { Signal } from '../detect/signal.ts';
import type { RemedyAction } from './remedy-action.ts';

/** What an analyzer concludes: the cause, how sure it is, what it rests on, the fix. */
export interface RuleDiagnosis {
  rootCause: string;
  /** 0..1; below the watch's threshold the LLM is asked (the diagnosis issue's policy). */
  confidence: number;
  /** The facts the conclusion rests on, quoted for the PR and the dashboard. */
  cited: string[];
  action: RemedyAction;
}

/** The part of a detected Signal an analyzer reads. */
export type AnalyzerSignal = Pick<Signal, 'class' | 'container' | 'reason' | 'message' | 'exitCode' | 'restartCount'>;

/** A Kubernetes Event of the pod or one of its owners, as far as analyzers need it. */
export interface AnalyzerEvent {
  reason: string;
  message: string;
  count?: number;
  /** The object the event is about; lets a stuck rollout look at its new pods only. */
  object?: { kind: string; name: string };
}

/** What a node can give pods, as its status.allocatable says. */
export interface NodeAllocatable {
  name: string;
  allocatable: { cpu?: string; memory?: string };
}

export interface AnalyzerInput {
  container?: string;
  /** The workload's current pod template (as declared, the fix's baseline). */
  template?: V1PodTemplateSpec;
  /** The workload's ReplicaSets, for rollout history. */
  replicaSets: V1ReplicaSet[];
  /** The failure being diagnosed; without it only a generic explanation is possible. */
  signal?: AnalyzerSignal;
  /** Other failures of the same workload now (a stuck rollout delegates to them). */
  related?: AnalyzerSignal[];
  events?: AnalyzerEvent[];
  /** What the container's previous instance printed before it died (`logs --previous`). */
  previousLogs?: string;
  /** What the running (or last) instance printed. */
  currentLogs?: string;
  nodes?: NodeAllocatable[];
  /** When the failure was first seen (RFC 3339): did a rollout come just before it? */
  since?: string;
  /** A GitOps engine's failure: the revision it could not apply and the last it did. */
  gitops?: GitOpsFacts;
}

export interface GitOpsFacts {
  kind: string;
  /** As the engine writes them: Flux `main@sha1:<sha>`, Argo CD the bare sha. */
  revision?: string;
  appliedRevision?: string;
}

export const REVISION = 'deployment.kubernetes.io/revision';

/** ReplicaSets newest revision first. */
export function byRevision(replicaSets: V1ReplicaSet[]): V1ReplicaSet[] {
  return replicaSets
    .filter((rs) => rs.metadata?.annotations?.[REVISION])
    .sort((a, b) => Number(b.metadata?.annotations?.[REVISION]) - Number(a.metadata?.annotations?.[REVISION]));
}

/** The container the signal names, else the template's first (most pods have one). */
export function targetContainer(input: AnalyzerInput): V1Container | undefined {
  const containers = input.template?.spec?.containers ?? [];
  const name = input.container ?? input.signal?.container;
  return containers.find((c) => c.name === name) ?? containers[0];
}

/** The name to put in an action: a real container name, never an empty string. */
export function containerName(input: AnalyzerInput): string {
  return targetContainer(input)?.name ?? input.container ?? input.signal?.container ?? 'app';
}

/** The signal's message and every event message, the kubelet's words to parse. */
export function messages(input: AnalyzerInput): string[] {
  return [input.signal?.message, ...(input.events ?? []).map((e) => e.message)].filter((m): m is string => Boolean(m));
}

/** Quotes a fact for `cited`, short enough for a PR body. */
export function quote(text: string, max = 200): string {
  const line = text.trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
