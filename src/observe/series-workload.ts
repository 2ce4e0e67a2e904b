// Which guarded workload a series is about: a label with the workload's name when the
// series has one (kube-state style), else its pod, followed to its owner through the
// cache; a pod already gone is traced through its ReplicaSet's name.
import type { SeriesLabels } from '../api/aegis-watch.ts';
import type { WorkloadKey } from '../reconcile/owners.ts';

export interface OwnerLookup {
  /** The workload of a pod the cache holds. */
  podOwner(namespace: string, pod: string): WorkloadKey | undefined;
  /** The Deployment of a ReplicaSet the cache holds. */
  replicaSetOwner(namespace: string, replicaSet: string): WorkloadKey | undefined;
  /** A workload of any guarded kind with this name. */
  workloadNamed(namespace: string, name: string): WorkloadKey | undefined;
}

export interface SeriesSubject {
  workload: WorkloadKey;
  pod?: string;
  container?: string;
}

export function seriesSubject(labels: Record<string, string>, mapping: SeriesLabels, lookup: OwnerLookup): SeriesSubject | undefined {
  const namespace = labels[mapping.namespace];
  if (!namespace) return undefined;
  const pod = labels[mapping.pod] || undefined;
  const container = labels[mapping.container] || undefined;
  const named = mapping.workload ? labels[mapping.workload] : undefined;
  const extra = { ...(pod ? { pod } : {}), ...(container ? { container } : {}) };
  if (named) {
    const workload = lookup.workloadNamed(namespace, named);
    return workload ? { workload, ...extra } : undefined;
  }
  if (!pod) return undefined;
  const owner = podWorkload(namespace, pod, lookup);
  return owner ? { workload: owner, ...extra } : undefined;
}

/** A pod's workload: through the cache while the pod is there, else by its name (ownerByPodName). */
export function podWorkload(namespace: string, pod: string, lookup: OwnerLookup): WorkloadKey | undefined {
  return lookup.podOwner(namespace, pod) ?? ownerByPodName(namespace, pod, lookup);
}

/**
 * A pod's name is its owner's plus a suffix: <replicaset>-<5 chars> for a Deployment's,
 * <statefulset>-<ordinal>, <daemonset>-<5 chars>. Used only when the pod has left the cache,
 * so that a series of a pod replaced a moment ago still counts for its workload.
 */
function ownerByPodName(namespace: string, pod: string, lookup: OwnerLookup): WorkloadKey | undefined {
  const cut = pod.lastIndexOf('-');
  if (cut <= 0) return undefined;
  const parent = pod.slice(0, cut);
  return lookup.replicaSetOwner(namespace, parent) ?? lookup.workloadNamed(namespace, parent);
}

/**
 * Whether a series carries what the mapping needs to name a workload: the namespace label
 * and a pod or workload label. A rule whose every series lacks them (a `sum` that
 * aggregated the labels away) can never fire for anyone, which the watch must be told.
 */
export function seriesCanNameWorkload(labels: Record<string, string>, mapping: SeriesLabels): boolean {
  if (!labels[mapping.namespace]) return false;
  return Boolean(labels[mapping.pod]) || Boolean(mapping.workload && labels[mapping.workload]);
}

/** How to mend a query whose series name no workload, in the words of the watch's mapping. */
export function unmappedSeriesHint(mapping: SeriesLabels): string {
  const keep = [mapping.namespace, mapping.workload ?? mapping.pod].map((l) => `'${l}'`).join(' and ');
  return `its series carry no ${keep} labels, so they name no workload; keep them in the query (for example sum by (${mapping.namespace}, ${mapping.workload ?? mapping.pod}) (...))`;
}
