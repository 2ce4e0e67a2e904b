import type { V1PodTemplateSpec, V1ReplicaSet } from '@kubernetes/client-node';
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

export interface AnalyzerInput {
  container?: string;
  /** The workload's current pod template (as declared, the fix's baseline). */
  template?: V1PodTemplateSpec;
  /** The workload's ReplicaSets, for rollout history. */
  replicaSets: V1ReplicaSet[];
}

export const REVISION = 'deployment.kubernetes.io/revision';

/** ReplicaSets newest revision first. */
export function byRevision(replicaSets: V1ReplicaSet[]): V1ReplicaSet[] {
  return replicaSets
    .filter((rs) => rs.metadata?.annotations?.[REVISION])
    .sort((a, b) => Number(b.metadata?.annotations?.[REVISION]) - Number(a.metadata?.annotations?.[REVISION]));
}
