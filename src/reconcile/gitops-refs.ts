import type { AegisWatchSpec } from '../api/aegis-watch.ts';
import type { GitOpsKind } from '../detect/gitops-signals.ts';

/** A Flux Kustomization or an Argo CD Application, by where it lives. */
export interface GitOpsRef {
  kind: GitOpsKind;
  namespace: string;
  name: string;
}

/** Argo CD's own namespace, where its Applications live unless apps-in-any-namespace is on. */
export const ARGOCD_NAMESPACE = 'argocd';

/**
 * The GitOps object a watch says its workloads come from: a Flux Kustomization (in the
 * watch's namespace unless it names another) or an Argo CD Application (in `argocd`
 * unless it names another). A watch with an explicit Git source has none.
 */
export function sourceRef(watch: { namespace: string; spec: Pick<AegisWatchSpec, 'source'> }): GitOpsRef | undefined {
  const { flux, argoCD } = watch.spec.source;
  if (flux) return { kind: 'Kustomization', namespace: flux.namespace ?? watch.namespace, name: flux.kustomization };
  if (argoCD) return { kind: 'Application', namespace: argoCD.namespace ?? ARGOCD_NAMESPACE, name: argoCD.application };
  return undefined;
}

export function gitOpsKey(ref: GitOpsRef): string {
  return `${ref.kind}/${ref.namespace}/${ref.name}`;
}

export function parseGitOpsKey(key: string): GitOpsRef | undefined {
  const [kind, namespace, name] = key.split('/');
  if ((kind !== 'Kustomization' && kind !== 'Application') || !namespace || !name) return undefined;
  return { kind, namespace, name };
}

export function sameRef(a: GitOpsRef, b: GitOpsRef): boolean {
  return a.kind === b.kind && a.namespace === b.namespace && a.name === b.name;
}
