import type { AegisWatchSpec } from '../api/aegis-watch.ts';
import type { KubeClient } from '../k8s/kube-client.ts';
import { readSecret } from '../k8s/secrets.ts';

/** One reason a watch cannot work, as a condition reason and a sentence a person can act on. */
export interface WatchProblem {
  reason: 'InvalidSpec' | 'EmptySelector' | 'SourceNotFound' | 'SecretNotFound';
  message: string;
}

/**
 * What the API server's schema cannot check: that the selector selects something, that the
 * GitOps object named as the source exists, and that every Secret the watch refers to
 * exists with the key. Reads only Secret metadata and data keys, never prints values.
 */
export async function checkWatch(client: KubeClient, namespace: string, spec: AegisWatchSpec): Promise<WatchProblem[]> {
  const problems: WatchProblem[] = [];
  const selector = spec.targets.selector;
  if (selector && !spec.targets.workloads?.length && !Object.keys(selector.matchLabels ?? {}).length && !selector.matchExpressions?.length) {
    problems.push({ reason: 'EmptySelector', message: 'spec.targets.selector is empty, so it selects no workload: add matchLabels or matchExpressions, or name the workloads' });
  }
  if (spec.source.argoCD) {
    const ns = spec.source.argoCD.namespace ?? 'argocd';
    problems.push(...await mustExist(client, 'argoproj.io', 'v1alpha1', 'applications', ns, spec.source.argoCD.application, 'Argo CD Application', 'Argo CD'));
  }
  if (spec.source.flux) {
    const ns = spec.source.flux.namespace ?? namespace;
    problems.push(...await mustExist(client, 'kustomize.toolkit.fluxcd.io', 'v1', 'kustomizations', ns, spec.source.flux.kustomization, 'Flux Kustomization', 'Flux'));
  }
  const refs = [
    spec.source.git?.secretRef && { what: 'spec.source.git.secretRef', forge: true, ...spec.source.git.secretRef },
    spec.forge?.secretRef && { what: 'spec.forge.secretRef', forge: true, ...spec.forge.secretRef },
    spec.diagnoser.llm?.secretRef && { what: 'spec.diagnoser.llm.secretRef', ...spec.diagnoser.llm.secretRef },
    ...(spec.notifications ?? []).map((n, i) => ({ what: `spec.notifications[${i}].secretRef`, ...n.secretRef })),
    spec.metrics?.prometheus?.secretRef && { what: 'spec.metrics.prometheus.secretRef', ...spec.metrics.prometheus.secretRef },
  ].filter((r): r is { what: string; name: string; key: string; forge?: boolean } => Boolean(r));
  for (const ref of refs) {
    const data = await readSecret(client, namespace, ref.name);
    if (!data) {
      problems.push({ reason: 'SecretNotFound', message: `${ref.what}: Secret ${namespace}/${ref.name} does not exist` });
      continue;
    }
    // A forge Secret may hold GitHub App credentials instead of a token.
    const app = ref.forge && ['appId', 'installationId', 'privateKey'].every((k) => Object.hasOwn(data, k));
    if (!Object.hasOwn(data, ref.key) && !app) {
      problems.push({ reason: 'SecretNotFound', message: `${ref.what}: Secret ${namespace}/${ref.name} has no key "${ref.key}"` });
    }
  }
  return problems;
}

async function mustExist(client: KubeClient, group: string, version: string, plural: string, namespace: string, name: string, what: string, product: string): Promise<WatchProblem[]> {
  try {
    await client.get(`/apis/${group}/${version}/namespaces/${namespace}/${plural}/${name}`);
    return [];
  } catch (error) {
    if ((error as { code?: number }).code !== 404) throw error;
    const body = String((error as Error).message);
    // 404 for a missing object names it; for a missing API (CRD not installed) it does not.
    const apiMissing = !body.includes(`"${name}"`);
    return [{
      reason: 'SourceNotFound',
      message: apiMissing
        ? `spec.source names a ${what}, but ${product} is not installed in this cluster (no ${plural}.${group} API)`
        : `spec.source: ${what} ${namespace}/${name} does not exist`,
    }];
  }
}
