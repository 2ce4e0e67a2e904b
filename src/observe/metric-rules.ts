// The metric rules a watch evaluates: the built-in ones for the common cases (written
// against the metric names most HTTP services and cAdvisor export) and the watch's own.
import { METRIC_CLASSES, type Metrics, type SeriesLabels } from '../api/aegis-watch.ts';
import type { SignalClass } from '../api/healing-incident.ts';

export interface ResolvedRule {
  name: string;
  expr: string;
  threshold: number;
  comparison: 'above' | 'below';
  forSeconds: number;
  class: SignalClass;
  /** With class Custom: the name the watch gave it. */
  customClass?: string;
  labels: SeriesLabels;
  /** How a person reads the value: "31 % of answers are 5xx". */
  unit: 'ratio' | 'seconds' | 'number';
}

/**
 * Per-pod expressions: the operator maps each pod to its workload, so a rule works with the
 * plain scrape labels (namespace, pod, container) that Kubernetes service discovery or
 * cAdvisor give, without kube-state-metrics joins.
 */
export function builtInRules(metrics: Metrics): ResolvedRule[] {
  const { builtIn, labels } = metrics;
  const w = `${metrics.rateWindowSeconds}s`;
  const pod = [labels.namespace, labels.pod].join(', ');
  const podContainer = [labels.namespace, labels.pod, labels.container].join(', ');
  const rules: ResolvedRule[] = [];
  if (builtIn.errorRate.enabled) {
    rules.push({
      name: 'error-rate', class: 'ErrorRate', unit: 'ratio', comparison: 'above', labels, ...pick(builtIn.errorRate),
      expr: `sum by (${pod}) (rate(http_requests_total{code=~"5.."}[${w}])) / sum by (${pod}) (rate(http_requests_total[${w}]))`,
    });
  }
  if (builtIn.latency.enabled) {
    rules.push({
      name: 'latency-p95', class: 'Latency', unit: 'seconds', comparison: 'above', labels, ...pick(builtIn.latency),
      expr: `histogram_quantile(0.95, sum by (${pod}, le) (rate(http_request_duration_seconds_bucket[${w}])))`,
    });
  }
  if (builtIn.cpuThrottling.enabled) {
    rules.push({
      name: 'cpu-throttling', class: 'CpuThrottling', unit: 'ratio', comparison: 'above', labels, ...pick(builtIn.cpuThrottling),
      expr: `sum by (${podContainer}) (rate(container_cpu_cfs_throttled_periods_total[${w}])) / sum by (${podContainer}) (rate(container_cpu_cfs_periods_total[${w}]))`,
    });
  }
  if (builtIn.memorySaturation.enabled) {
    rules.push({
      name: 'memory-saturation', class: 'MemorySaturation', unit: 'ratio', comparison: 'above', labels, ...pick(builtIn.memorySaturation),
      expr: `max by (${podContainer}) (container_memory_working_set_bytes) / max by (${podContainer}) (container_spec_memory_limit_bytes > 0)`,
    });
  }
  return rules;
}

/** Built-in rules first, then the watch's own (a rule of its own with a built-in's name replaces it). */
export function watchRules(metrics: Metrics): ResolvedRule[] {
  const own = (metrics.rules ?? []).map((rule): ResolvedRule => {
    const known = (METRIC_CLASSES as readonly string[]).includes(rule.class);
    return {
      name: rule.name, expr: rule.expr, threshold: rule.threshold, comparison: rule.comparison, forSeconds: rule.forSeconds, labels: rule.labels,
      class: known ? rule.class as SignalClass : 'Custom', ...(known ? {} : { customClass: rule.class }), unit: 'number',
    };
  });
  const names = new Set(own.map((r) => r.name));
  return [...builtInRules(metrics).filter((r) => !names.has(r.name)), ...own];
}

export function breaches(rule: Pick<ResolvedRule, 'threshold' | 'comparison'>, value: number): boolean {
  if (Number.isNaN(value)) return false; // 0/0: no traffic is no error rate
  return rule.comparison === 'above' ? value > rule.threshold : value < rule.threshold;
}

/** "31 % > 5 %", "1.52 s > 1 s", "0.93 > 0.9". */
export function describeBreach(rule: Pick<ResolvedRule, 'threshold' | 'comparison' | 'unit'>, value: number): string {
  const sign = rule.comparison === 'above' ? '>' : '<';
  return `${formatValue(value, rule.unit)} ${sign} ${formatValue(rule.threshold, rule.unit)}`;
}

export function formatValue(value: number, unit: ResolvedRule['unit']): string {
  if (unit === 'ratio') return `${round(value * 100)} %`;
  if (unit === 'seconds') return `${round(value)} s`;
  return String(round(value));
}

function round(n: number): number {
  return Math.abs(n) >= 10 ? Math.round(n * 10) / 10 : Math.round(n * 1000) / 1000;
}

function pick(rule: { threshold: number; forSeconds: number }): { threshold: number; forSeconds: number } {
  return { threshold: rule.threshold, forSeconds: rule.forSeconds };
}
