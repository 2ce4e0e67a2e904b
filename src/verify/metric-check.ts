// After a fix of a failure seen in metrics: does it still show on the pods that run the fix?
import { METRIC_CLASSES, type AegisWatchSpec } from '../api/aegis-watch.ts';
import type { HealingIncident } from '../api/healing-incident.ts';
import type { KubeClient } from '../k8s/kube-client.ts';
import { evaluateRule } from '../observe/evaluate-rule.ts';
import { watchRules } from '../observe/metric-rules.ts';
import { metricSignals } from '../observe/metric-signals.ts';
import type { OwnerLookup } from '../observe/series-workload.ts';
import { prometheusFor, type DefaultPrometheus } from '../observe/watch-prometheus.ts';

/** Classes raised by metric rules and alerts: the built-in ones and a user's custom class. */
export const METRIC_CLASSES_SET: ReadonlySet<string> = new Set([...METRIC_CLASSES, 'Custom']);

/** An alert that arrives this long after the fix went live, from a pod running it, means the fix did not heal. */
export const ALERT_GRACE_MS = 30_000;

/**
 * How long a fix must stay healthy to count as healed: the watch's verifySeconds; for a
 * metric failure, at least long enough for its rule to fire again (its rate window plus its
 * `for` plus a round).
 */
export function verifyWindowSeconds(incident: HealingIncident, spec: AegisWatchSpec | undefined): number {
  const base = spec?.detectors.verifySeconds ?? 120;
  if (!METRIC_CLASSES_SET.has(incident.spec.signalClass)) return base;
  const metric = incident.status?.evidence?.metric;
  if (metric?.source === 'alertmanager') return Math.max(base, ALERT_GRACE_MS / 1000);
  const rule = spec?.metrics && metric ? watchRules(spec.metrics).find((r) => r.name === metric.rule) : undefined;
  if (!rule || !spec?.metrics) return base;
  return Math.max(base, rule.forSeconds + spec.metrics.rateWindowSeconds + spec.metrics.intervalSeconds);
}

export type MetricCheck = { failing: false } | { failing: true; why: string };

export interface MetricCheckInput {
  kube: KubeClient;
  incident: HealingIncident;
  spec: AegisWatchSpec | undefined;
  /** Pods of the workload that run the fix. */
  currentPods: ReadonlySet<string>;
  lookup: OwnerLookup;
  fallback?: DefaultPrometheus;
  now: number;
}

/**
 * A Prometheus rule is evaluated again, counting only series of pods that run the fix (a
 * pod of the old revision may still be draining). An alert-raised incident fails when the
 * alert fires again, after a grace period, from a pod that runs the fix. Prometheus being
 * away is not a failure: the check says nothing until it answers.
 */
export async function checkMetricAgain(input: MetricCheckInput): Promise<MetricCheck> {
  const { incident, spec } = input;
  const metric = incident.status?.evidence?.metric;
  const syncedAt = Date.parse(incident.status?.phaseTimestamps?.Synced ?? '') || input.now;
  if (metric?.source === 'alertmanager') {
    const lastSeen = Date.parse(incident.status?.lastSeen ?? '') || 0;
    const fromFix = metric.pod === undefined || input.currentPods.has(metric.pod);
    return lastSeen > syncedAt + ALERT_GRACE_MS && fromFix
      ? { failing: true, why: `Alertmanager alert ${metric.rule} fired again${metric.pod ? ` on ${metric.pod}` : ''}` }
      : { failing: false };
  }
  if (!spec?.metrics || !metric) return { failing: false };
  const rule = watchRules(spec.metrics).find((r) => r.name === metric.rule);
  if (!rule) return { failing: false };
  const prometheus = await prometheusFor(input.kube, incident.metadata.namespace ?? '', spec, input.fallback);
  if (!prometheus.ok) return { failing: false };
  let verdicts;
  try {
    verdicts = await evaluateRule(prometheus.client, rule, input.now / 1000);
  } catch {
    return { failing: false };
  }
  const { workload } = incident.spec;
  const mine = (w: { kind: string; name: string }) => w.kind === workload.kind && w.name === workload.name;
  const again = metricSignals(rule, verdicts, input.lookup, mine, new Date(input.now))
    .filter((found) => (incident.spec.container ?? '') === (found.signal.container ?? ''))
    .filter((found) => found.signal.object.kind !== 'Pod' || input.currentPods.has(found.signal.object.name));
  const [first] = again;
  return first ? { failing: true, why: first.summary } : { failing: false };
}
