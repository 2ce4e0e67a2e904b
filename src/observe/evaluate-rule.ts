// A rule's verdict per series, as Prometheus's `for` would give it but without state: a
// range query over the last `forSeconds`, firing where every sample breaches and the series
// spans the whole window. A restart of the operator therefore forgets nothing.
import type { PrometheusClient, Series } from './prometheus-client.ts';
import { breaches, type ResolvedRule } from './metric-rules.ts';

export interface SeriesVerdict {
  labels: Record<string, string>;
  firing: boolean;
  /** The newest value. */
  value: number;
  samples: Array<[number, number]>;
}

/** The step of the range query: about ten samples per window, at least 1 s, at most a minute. */
export function stepFor(forSeconds: number): number {
  return Math.min(60, Math.max(1, Math.ceil(forSeconds / 10)));
}

export async function evaluateRule(client: PrometheusClient, rule: ResolvedRule, nowSeconds = Date.now() / 1000): Promise<SeriesVerdict[]> {
  const end = Math.floor(nowSeconds);
  if (rule.forSeconds === 0) {
    const series = await client.query(rule.expr, end);
    return series.map((s) => verdictOf(rule, s, end, end, 1));
  }
  const step = stepFor(rule.forSeconds);
  const start = end - rule.forSeconds;
  const series = await client.queryRange(rule.expr, start, end, step);
  return series.map((s) => verdictOf(rule, s, start, end, step));
}

/** Exported for tests: the verdict on one series' samples over [start, end]. */
export function verdictOf(rule: Pick<ResolvedRule, 'threshold' | 'comparison'>, series: Series, start: number, end: number, step: number): SeriesVerdict {
  const samples = series.samples;
  const first = samples[0];
  const last = samples.at(-1);
  // A series that began inside the window (a pod started a moment ago) or that stopped
  // before its end (a pod that is gone) has not breached for the whole of it.
  const spans = first !== undefined && last !== undefined && first[0] <= start + step && last[0] >= end - step;
  const firing = spans && samples.every(([, v]) => breaches(rule, v));
  return { labels: series.labels, firing, value: last?.[1] ?? Number.NaN, samples };
}
