import type { KubernetesObject, V1Deployment, V1ReplicaSet } from '@kubernetes/client-node';
import type { WorkloadView } from '../detect/workload-signals.ts';
import type { ClusterCache } from './cluster-cache.ts';
import { ownerChain, type WorkloadKey } from './owners.ts';

export interface WorkloadSnapshot {
  object: KubernetesObject;
  view: WorkloadView;
  replicaSets: V1ReplicaSet[];
  /** Owner chain per pod name, for evidence. */
  chains: Map<string, string[]>;
}

export function workloadObject(cache: ClusterCache, ref: WorkloadKey): KubernetesObject | undefined {
  switch (ref.kind) {
    case 'Deployment': return cache.deployments.get(ref.namespace, ref.name);
    case 'StatefulSet': return cache.statefulSets.get(ref.namespace, ref.name);
    case 'DaemonSet': return cache.daemonSets.get(ref.namespace, ref.name);
  }
}

/** Everything detection needs about one workload, read from the cache only. */
export function snapshotWorkload(cache: ClusterCache, ref: WorkloadKey): WorkloadSnapshot | undefined {
  const object = workloadObject(cache, ref);
  if (!object) return undefined;
  const chains = new Map<string, string[]>();
  const pods = cache.pods.list(ref.namespace).filter((pod) => {
    const { workload, chain } = ownerChain(pod, (ns, name) => cache.replicaSets.get(ns, name));
    if (workload?.kind !== ref.kind || workload.name !== ref.name) return false;
    chains.set(pod.metadata?.name ?? '', chain);
    return true;
  });
  const podNames = new Set(pods.map((p) => p.metadata?.name));
  const replicaSets = replicaSetsOf(cache, ref);
  // The pods', the workload's and its ReplicaSets' (FailedCreate: a quota, an admission webhook).
  const rsNames = new Set(replicaSets.map((rs) => rs.metadata?.name));
  const events = cache.events.list(ref.namespace).filter((e) =>
    (e.involvedObject.kind === 'Pod' && podNames.has(e.involvedObject.name))
    || (e.involvedObject.kind === 'ReplicaSet' && rsNames.has(e.involvedObject.name))
    || (e.involvedObject.kind === ref.kind && e.involvedObject.name === ref.name));
  const deployment = ref.kind === 'Deployment' ? (object as V1Deployment) : undefined;
  return { object, view: { workload: ref, deployment, pods, events }, replicaSets, chains };
}

/** A Deployment's ReplicaSets (its revisions), from the cache; none for other kinds. */
export function replicaSetsOf(cache: ClusterCache, ref: WorkloadKey): V1ReplicaSet[] {
  if (ref.kind !== 'Deployment') return [];
  return cache.replicaSets.list(ref.namespace).filter((rs) => rs.metadata?.ownerReferences?.some((o) => o.kind === 'Deployment' && o.name === ref.name));
}

/** Every workload in the cache (optionally one namespace's). */
export function allWorkloads(cache: ClusterCache, namespace?: string): WorkloadKey[] {
  const keys: WorkloadKey[] = [];
  for (const [kind, informer] of [['Deployment', cache.deployments], ['StatefulSet', cache.statefulSets], ['DaemonSet', cache.daemonSets]] as const) {
    for (const o of informer.list(namespace)) keys.push({ kind, namespace: o.metadata?.namespace ?? '', name: o.metadata?.name ?? '' });
  }
  return keys;
}
