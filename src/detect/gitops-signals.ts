import type { KubernetesObject } from '@kubernetes/client-node';
import type { Signal } from './signal.ts';

export type GitOpsKind = 'Kustomization' | 'Application';

/** A GitOps failure, with the Git revisions it concerns (for evidence, and later to verify a fix). */
export interface GitOpsSignal extends Signal {
  /** The revision the engine tried (Flux lastAttemptedRevision, Argo CD sync.revision). */
  revision?: string;
  /** The last revision the engine applied successfully, when it says. */
  appliedRevision?: string;
}

/** metav1.Condition as Flux writes it (kstatus: Ready, Reconciling, Stalled, Healthy). */
export interface FluxCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

/** The parts of a kustomize.toolkit.fluxcd.io/v1 Kustomization this reads. */
export interface FluxKustomization extends KubernetesObject {
  status?: {
    conditions?: FluxCondition[];
    lastAttemptedRevision?: string;
    lastAppliedRevision?: string;
    observedGeneration?: number;
  };
}

/** The parts of an argoproj.io/v1alpha1 Application's status this reads. */
export interface ArgoApplication extends KubernetesObject {
  status?: {
    health?: { status?: string; message?: string; lastTransitionTime?: string };
    sync?: { status?: string; revision?: string; revisions?: string[] };
    operationState?: {
      phase?: string;
      message?: string;
      syncResult?: { revision?: string; revisions?: string[] };
    };
    resources?: Array<{ kind?: string; namespace?: string; name?: string; health?: { status?: string; message?: string } }>;
    conditions?: Array<{ type: string; message: string }>;
    history?: Array<{ revision?: string; revisions?: string[] }>;
  };
}

// Ready=False for these means "waiting", not "broken": a dependency that is not Ready yet
// (its own failure, if any, shows on it) or health checks cut short by a newer reconcile.
const FLUX_WAITING_REASONS = new Set(['DependencyNotReady', 'HealthCheckCanceled']);
const ARGO_FAILED_PHASES = new Set(['Failed', 'Error']);
// Application conditions that mean Git's manifests cannot be rendered, compared or synced
// at all: no sync is even attempted, so operationState says nothing.
const ARGO_ERROR_CONDITIONS = ['ComparisonError', 'InvalidSpecError', 'SyncError'];

/**
 * A Flux Kustomization's failure: Ready=False as kustomize-controller sets it when a build,
 * apply, prune or health check fails. Ready=Unknown is a reconcile in progress and says
 * nothing yet, unless Stalled=True: Flux has given up retrying.
 */
export function kustomizationSignals(object: FluxKustomization, now = new Date()): GitOpsSignal[] {
  const conditions = object.status?.conditions ?? [];
  const ready = conditions.find((c) => c.type === 'Ready');
  const stalled = conditions.find((c) => c.type === 'Stalled' && c.status === 'True');
  const failed = ready?.status === 'False' && !FLUX_WAITING_REASONS.has(ready.reason ?? '') ? ready : stalled;
  if (!failed) return [];
  return [{
    ...base('Kustomization', object, now),
    class: 'GitOpsSyncFailed',
    reason: failed.reason,
    message: failed.message,
    revision: object.status?.lastAttemptedRevision || undefined,
    appliedRevision: object.status?.lastAppliedRevision || undefined,
  }];
}

/**
 * An Argo CD Application's failures: health Degraded (what it deployed is broken), a sync
 * that ended Failed or Error while the Application is still OutOfSync (Git's version could
 * not be applied), or an error condition (manifests that cannot be generated or compared).
 * A sync still Running is retrying and says nothing yet.
 */
export function applicationSignals(object: ArgoApplication, now = new Date()): GitOpsSignal[] {
  const status = object.status ?? {};
  const revision = status.sync?.revision || status.sync?.revisions?.join(', ') || undefined;
  const last = status.history?.at(-1);
  const appliedRevision = last?.revision || last?.revisions?.join(', ') || undefined;
  const signals: GitOpsSignal[] = [];
  if (status.health?.status === 'Degraded') {
    signals.push({ ...base('Application', object, now), class: 'GitOpsDegraded', reason: 'Degraded', message: degradedMessage(object), revision, appliedRevision });
  }
  const operation = status.operationState;
  if (status.sync?.status === 'OutOfSync' && ARGO_FAILED_PHASES.has(operation?.phase ?? '')) {
    const attempted = operation?.syncResult?.revision || operation?.syncResult?.revisions?.join(', ') || revision;
    signals.push({
      ...base('Application', object, now),
      class: 'GitOpsSyncFailed',
      reason: `Sync${operation?.phase}`,
      message: operation?.message,
      revision: attempted,
      appliedRevision,
    });
  } else {
    const error = status.conditions?.find((c) => ARGO_ERROR_CONDITIONS.includes(c.type));
    if (error) {
      signals.push({ ...base('Application', object, now), class: 'GitOpsSyncFailed', reason: error.type, message: error.message, revision, appliedRevision });
    }
  }
  return signals;
}

export function gitOpsSignals(kind: GitOpsKind, object: KubernetesObject, now = new Date()): GitOpsSignal[] {
  return kind === 'Kustomization' ? kustomizationSignals(object, now) : applicationSignals(object, now);
}

function base(kind: GitOpsKind, object: KubernetesObject, now: Date): Pick<Signal, 'workload' | 'object' | 'observedAt'> {
  const name = object.metadata?.name ?? '';
  return { workload: { kind, namespace: object.metadata?.namespace ?? '', name }, object: { kind, name }, observedAt: now.toISOString() };
}

/**
 * Argo CD 3 no longer explains an Application's health on the Application (health.message
 * is deprecated and empty); the reason is on the degraded resources it lists.
 */
function degradedMessage(app: ArgoApplication): string | undefined {
  const status = app.status ?? {};
  if (status.health?.message) return status.health.message;
  const degraded = (status.resources ?? []).filter((r) => r.health?.status === 'Degraded');
  const parts = degraded.map((r) => `${r.kind}/${r.namespace ? `${r.namespace}/` : ''}${r.name}${r.health?.message ? `: ${r.health.message}` : ''}`);
  if (parts.length > 0) return parts.join('; ');
  const conditions = status.conditions ?? [];
  return conditions.length > 0 ? conditions.map((c) => `${c.type}: ${c.message}`).join('; ') : undefined;
}
