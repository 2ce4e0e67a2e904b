// What the guard is asked and what it answers.
import type { V1ObjectMeta, V1PodTemplateSpec } from '@kubernetes/client-node';
import type { RemedyAction } from '../../diagnose/remedy-action.ts';

/** A Deployment, StatefulSet or DaemonSet as plain JSON (from Git YAML or the cluster). */
export interface Workload {
  apiVersion?: string;
  kind?: string;
  metadata?: V1ObjectMeta;
  spec?: { template?: V1PodTemplateSpec };
}

/** An earlier revision: a workload from a Git commit, or a ReplicaSet's pod template. */
export type Revision = Workload | V1PodTemplateSpec;

export interface ChangeHistory {
  /** The values a revert may restore: earlier revisions from Git history and ReplicaSets. */
  revisions?: readonly Revision[];
}

export interface GuardLimits {
  /** A raised limit or request may be at most this many times its value in Git. */
  maxFactor: number;
  /** The most memory and CPU a container may be given, whatever its baseline. */
  memoryCap: string;
  cpuCap: string;
  /** The longest a startup probe may wait: initialDelay + period × failureThreshold. */
  maxStartupSeconds: number;
}

export const DEFAULT_GUARD_LIMITS: GuardLimits = { maxFactor: 2, memoryCap: '4Gi', cpuCap: '4', maxStartupSeconds: 600 };

export interface ChangeInput {
  action: RemedyAction;
  /** The object as Git (or the cluster) declares it now. */
  before: Workload;
  /** The proposed result, possibly from another component's YAML edit: trusted in nothing. */
  after: Workload;
  /** The workload as Git declares it at the base commit, for bounds; defaults to before. */
  baseline?: Workload;
  history?: ChangeHistory;
  /** Image tags the caller vouches for although no revision ran them (never `latest`). */
  knownGoodTags?: readonly string[];
  limits?: Partial<GuardLimits>;
}

export type Verdict = { ok: true } | { ok: false; reasons: string[] };
