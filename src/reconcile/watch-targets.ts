import type { AegisWatchSpec } from '../api/aegis-watch.ts';
import type { LabelSelector } from '../api/common.ts';

export interface WorkloadIdentity {
  kind: string;
  namespace: string;
  name: string;
  labels: Record<string, string>;
}

export interface GuardingWatch {
  name: string;
  namespace: string;
  spec: AegisWatchSpec;
}

/** True when a watch's targets name this workload or select it by its labels. */
export function guards(watch: GuardingWatch, workload: WorkloadIdentity): boolean {
  if (watch.namespace !== workload.namespace) return false;
  const targets = watch.spec.targets;
  if (targets.workloads?.some((w) => w.kind === workload.kind && w.name === workload.name)) return true;
  return targets.selector !== undefined && selects(targets.selector, workload.labels);
}

/** metav1.LabelSelector semantics; an empty selector selects nothing here (see the watch's status). */
export function selects(selector: LabelSelector, labels: Record<string, string>): boolean {
  const matchLabels = Object.entries(selector.matchLabels ?? {});
  const expressions = selector.matchExpressions ?? [];
  if (matchLabels.length === 0 && expressions.length === 0) return false;
  if (!matchLabels.every(([key, value]) => labels[key] === value)) return false;
  return expressions.every((e) => {
    const has = Object.hasOwn(labels, e.key);
    switch (e.operator) {
      case 'In': return has && (e.values ?? []).includes(labels[e.key] ?? '');
      case 'NotIn': return !has || !(e.values ?? []).includes(labels[e.key] ?? '');
      case 'Exists': return has;
      case 'DoesNotExist': return !has;
    }
    return false;
  });
}
