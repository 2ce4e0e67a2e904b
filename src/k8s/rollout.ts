import type { V1Deployment } from '@kubernetes/client-node';

/**
 * The Deployment's rollout is complete: its spec observed, every desired replica updated
 * and available, no old one left. Detection reads "not yet" as a rollout under way;
 * verification waits for it before judging a fix; the demo before breaking the app.
 */
export function rolledOut(deployment: V1Deployment | undefined): boolean {
  if (!deployment) return true;
  const want = deployment.spec?.replicas ?? 1;
  const status = deployment.status;
  return (status?.observedGeneration ?? 0) >= (deployment.metadata?.generation ?? 0)
    && (status?.updatedReplicas ?? 0) >= want && (status?.availableReplicas ?? 0) >= want && (status?.replicas ?? 0) <= want;
}
