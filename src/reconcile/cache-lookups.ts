// Questions the metric and alert intake ask the cache: whose pod is this, and which watch
// guards that workload (as the workload controller decides it).
import type { V1ReplicaSet } from '@kubernetes/client-node';
import type { AegisWatchSpec } from '../api/aegis-watch.ts';
import { parseAegisWatch } from '../api/crd.ts';
import type { OwnerLookup } from '../observe/series-workload.ts';
import type { ClusterCache } from './cluster-cache.ts';
import { ownerChain, type WorkloadKey } from './owners.ts';
import { guards } from './watch-targets.ts';
import { replicaSetsOf, workloadObject } from './workload-view.ts';
import { byRevision, REVISION } from '../diagnose/rule-diagnosis.ts';

export function cacheOwnerLookup(cache: ClusterCache): OwnerLookup {
  const deploymentOf = (rs: V1ReplicaSet | undefined, namespace: string): WorkloadKey | undefined => {
    const owner = rs?.metadata?.ownerReferences?.find((o) => o.kind === 'Deployment');
    return owner ? { kind: 'Deployment', namespace, name: owner.name } : undefined;
  };
  return {
    podOwner: (namespace, pod) => {
      const object = cache.pods.get(namespace, pod);
      return object ? ownerChain(object, (ns, rs) => cache.replicaSets.get(ns, rs)).workload : undefined;
    },
    replicaSetOwner: (namespace, rs) => deploymentOf(cache.replicaSets.get(namespace, rs), namespace),
    workloadNamed: (namespace, name) => {
      for (const kind of ['Deployment', 'StatefulSet', 'DaemonSet'] as const) {
        if (workloadObject(cache, { kind, namespace, name })) return { kind, namespace, name };
      }
      return undefined;
    },
  };
}

/** The watch that owns a workload's incidents: the first (by name) valid watch that guards it. */
export function firstGuard(cache: ClusterCache, ref: WorkloadKey): { name: string; namespace: string; spec: AegisWatchSpec } | undefined {
  const object = workloadObject(cache, ref);
  if (!object) return undefined;
  const identity = { ...ref, labels: object.metadata?.labels ?? {} };
  return cache.watches.list(ref.namespace)
    .flatMap((w) => {
      const parsed = parseAegisWatch(w);
      return parsed.ok ? [{ name: w.metadata.name ?? '', namespace: ref.namespace, spec: parsed.value.spec }] : [];
    })
    .sort((a, b) => a.name.localeCompare(b.name))
    .find((w) => guards(w, identity));
}

/** The workload's ReplicaSet revisions, newest five, oldest first: what rolled out when. */
export function rolloutHistory(cache: ClusterCache, ref: WorkloadKey): Array<{ revision: string; at: string; image?: string }> | undefined {
  if (ref.kind !== 'Deployment') return undefined;
  return byRevision(replicaSetsOf(cache, ref)).slice(0, 5).reverse().map((rs) => {
    const image = rs.spec?.template?.spec?.containers[0]?.image;
    return {
      revision: rs.metadata?.annotations?.[REVISION] ?? '?',
      at: new Date(rs.metadata?.creationTimestamp ?? 0).toISOString(),
      ...(image ? { image: image.slice(0, 512) } : {}),
    };
  });
}
