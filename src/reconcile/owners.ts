import type { V1OwnerReference, V1Pod, V1ReplicaSet } from '@kubernetes/client-node';

export interface WorkloadKey {
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet';
  namespace: string;
  name: string;
}

export function workloadKeyString(key: WorkloadKey): string {
  return `${key.namespace}/${key.kind}/${key.name}`;
}

export function parseWorkloadKey(key: string): WorkloadKey | undefined {
  const [namespace, kind, name] = key.split('/');
  if (!namespace || !name || (kind !== 'Deployment' && kind !== 'StatefulSet' && kind !== 'DaemonSet')) return undefined;
  return { kind, namespace, name };
}

function controllerOf(refs: V1OwnerReference[] | undefined): V1OwnerReference | undefined {
  return refs?.find((r) => r.controller) ?? refs?.[0];
}

/**
 * The workload a pod belongs to, following controller owner references: Pod → ReplicaSet
 * → Deployment, or Pod → StatefulSet / DaemonSet. Returns the chain walked, for evidence.
 */
export function ownerChain(pod: V1Pod, replicaSet: (namespace: string, name: string) => V1ReplicaSet | undefined): { workload?: WorkloadKey; chain: string[] } {
  const namespace = pod.metadata?.namespace ?? 'default';
  const chain = [`Pod/${pod.metadata?.name}`];
  const owner = controllerOf(pod.metadata?.ownerReferences);
  if (!owner) return { chain };
  chain.push(`${owner.kind}/${owner.name}`);
  if (owner.kind === 'StatefulSet' || owner.kind === 'DaemonSet') return { workload: { kind: owner.kind, namespace, name: owner.name }, chain };
  if (owner.kind !== 'ReplicaSet') return { chain };
  const rsOwner = controllerOf(replicaSet(namespace, owner.name)?.metadata?.ownerReferences);
  if (rsOwner?.kind !== 'Deployment') return { chain };
  chain.push(`Deployment/${rsOwner.name}`);
  return { workload: { kind: 'Deployment', namespace, name: rsOwner.name }, chain };
}
