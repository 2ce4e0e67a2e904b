// From a rule's verdicts per series to signals per workload: each firing series is mapped
// to its workload, and a workload fires when any of its series does, showing its worst one.
import type { MetricEvidence } from '../api/healing-incident.ts';
import type { Signal } from '../detect/signal.ts';
import type { WorkloadKey } from '../reconcile/owners.ts';
import type { SeriesVerdict } from './evaluate-rule.ts';
import { describeBreach, type ResolvedRule } from './metric-rules.ts';
import { seriesSubject, type OwnerLookup, type SeriesSubject } from './series-workload.ts';

export interface MetricSignal {
  signal: Signal;
  metric: MetricEvidence;
  summary: string;
}

export const MAX_POINTS = 60;

export function metricSignals(
  rule: ResolvedRule, verdicts: SeriesVerdict[], lookup: OwnerLookup, guarded: (workload: WorkloadKey) => boolean, now = new Date(),
): MetricSignal[] {
  // Per workload and container: its worst firing series, and every firing pod.
  const worst = new Map<string, { verdict: SeriesVerdict; subject: SeriesSubject; pods: Set<string> }>();
  for (const verdict of verdicts) {
    if (!verdict.firing) continue;
    const subject = seriesSubject(verdict.labels, rule.labels, lookup);
    if (!subject || !guarded(subject.workload)) continue;
    const key = `${subject.workload.kind}/${subject.workload.name}/${subject.container ?? ''}`;
    const entry = worst.get(key) ?? { verdict, subject, pods: new Set<string>() };
    if (worse(rule, verdict.value, entry.verdict.value)) Object.assign(entry, { verdict, subject });
    if (subject.pod) entry.pods.add(subject.pod);
    worst.set(key, entry);
  }
  return [...worst.values()].map(({ verdict, subject: { workload, pod, container }, pods }) => {
    const breach = describeBreach(rule, verdict.value);
    const where = pods.size > 1 ? `${pods.size} pods, worst ${pod}` : pod ? `pod ${pod}` : `${workload.kind} ${workload.name}`;
    const summary = `${rule.customClass ?? rule.class}: rule ${rule.name} at ${breach} for ${rule.forSeconds} s (${where})`;
    const signal: Signal = {
      class: rule.class,
      ...(rule.customClass ? { customClass: rule.customClass } : {}),
      workload,
      ...(container ? { container } : {}),
      object: pod ? { kind: 'Pod', name: pod } : { kind: workload.kind, name: workload.name },
      reason: rule.name,
      message: summary,
      observedAt: now.toISOString(),
    };
    const metric: MetricEvidence = {
      rule: rule.name, source: 'prometheus', query: rule.expr, threshold: rule.threshold, comparison: rule.comparison,
      value: finite(verdict.value), ...(pod ? { pod } : {}), points: toPoints(verdict.samples),
    };
    return { signal, metric, summary };
  });
}

function worse(rule: Pick<ResolvedRule, 'comparison'>, a: number, b: number): boolean {
  return rule.comparison === 'above' ? a > b : a < b;
}

/** JSON (and the CRD) has no NaN or Infinity. */
function finite(value: number): number | undefined {
  return Number.isFinite(value) ? Math.round(value * 1e6) / 1e6 : undefined;
}

/** Samples as evidence points: finite values only, the newest MAX_POINTS. */
export function toPoints(samples: Array<[number, number]>): MetricEvidence['points'] {
  return samples
    .filter(([, v]) => Number.isFinite(v))
    .slice(-MAX_POINTS)
    .map(([t, v]) => ({ t: Math.round(t), v: Math.round(v * 1e6) / 1e6 }));
}

/** An incident's earlier points and the new ones, by time, the newest MAX_POINTS. */
export function mergePoints(old: MetricEvidence['points'], fresh: MetricEvidence['points']): MetricEvidence['points'] {
  const byTime = new Map<number, number>();
  for (const p of [...(old ?? []), ...(fresh ?? [])]) byTime.set(p.t, p.v);
  return [...byTime.entries()].sort(([a], [b]) => a - b).slice(-MAX_POINTS).map(([t, v]) => ({ t, v }));
}
