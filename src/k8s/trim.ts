import type { KubernetesObject, V1Container, V1Pod } from '@kubernetes/client-node';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * What the cache keeps of an object. managedFields are 2-4 KB per pod and the
 * last-applied annotation repeats the whole spec; neither is needed to detect or
 * diagnose, and the annotation can carry secrets typed into a manifest.
 */
export function trimObject<T extends KubernetesObject>(object: T): T {
  const metadata = object.metadata;
  if (!metadata) return object;
  const { managedFields: _managedFields, ...rest } = metadata;
  let annotations = rest.annotations;
  if (annotations && LAST_APPLIED in annotations) {
    const { [LAST_APPLIED]: _lastApplied, ...others } = annotations;
    annotations = others;
  }
  return { ...object, metadata: { ...rest, ...(annotations ? { annotations } : {}) } };
}

/**
 * What the operator keeps of a pod: identity, owners, the status it detects failures
 * from, and container names and images. The full spec (volumes, env, probes, security
 * contexts) is read from the workload's template when evidence needs it, so thousands of
 * cached pods cost a fraction of their JSON.
 */
export function slimPod(pod: V1Pod): V1Pod {
  const trimmed = trimObject(pod);
  const m = trimmed.metadata ?? {};
  const brief = (containers: V1Container[] | undefined) => containers?.map((c) => ({ name: c.name, image: c.image }));
  return {
    metadata: {
      name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion,
      creationTimestamp: m.creationTimestamp, deletionTimestamp: m.deletionTimestamp,
      labels: m.labels, annotations: m.annotations, ownerReferences: m.ownerReferences,
    },
    spec: { nodeName: trimmed.spec?.nodeName, containers: brief(trimmed.spec?.containers) ?? [], initContainers: brief(trimmed.spec?.initContainers) },
    status: trimmed.status,
  };
}
