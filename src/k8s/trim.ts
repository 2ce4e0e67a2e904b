import type { KubernetesObject } from '@kubernetes/client-node';

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
