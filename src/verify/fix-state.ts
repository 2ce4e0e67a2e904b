// Is the merged fix running, and is the workload healthy on it? Read from the cluster
// alone, so it holds whatever deployed the fix (Flux, Argo CD, a person with kubectl).
import type { V1Deployment, V1Pod, V1ReplicaSet } from '@kubernetes/client-node';
import type { RemedyAction } from '../diagnose/remedy-action.ts';
import { applyAction, type Workload } from '../remediate/guard/index.ts';

/**
 * The fix is live when applying its action to the live workload would change nothing: the
 * pod template already has what the PR set (a raised limit, the restored tag, the probe).
 * "Has" ignores what the API server adds: a startup probe comes back with its defaults
 * (timeoutSeconds, successThreshold, scheme) filled in.
 */
export function fixIsLive(live: Workload, action: RemedyAction): boolean {
  if (action.type === 'none' || action.type === 'revertCommit') return false;
  try {
    return contains(live.spec?.template, applyAction(live, action).spec?.template);
  } catch {
    return false;
  }
}

/** Everything `want` sets, `have` sets to the same value; lists match item by item. */
function contains(have: unknown, want: unknown): boolean {
  if (Array.isArray(want)) return Array.isArray(have) && have.length === want.length && want.every((item, i) => contains(have[i], item));
  if (want !== null && typeof want === 'object') {
    if (have === null || typeof have !== 'object' || Array.isArray(have)) return false;
    return Object.entries(want).every(([key, value]) => value === undefined || contains((have as Record<string, unknown>)[key], value));
  }
  return have === want;
}

/** The pods of the Deployment's newest revision: the ones running the fix. */
export function currentRevisionPods(deployment: V1Deployment | undefined, replicaSets: V1ReplicaSet[], pods: V1Pod[]): V1Pod[] {
  if (!deployment) return pods;
  const revision = (rs: V1ReplicaSet) => Number(rs.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
  const newest = [...replicaSets].sort((a, b) => revision(b) - revision(a))[0];
  const hash = newest?.metadata?.labels?.['pod-template-hash'];
  return hash ? pods.filter((p) => p.metadata?.labels?.['pod-template-hash'] === hash) : pods;
}

