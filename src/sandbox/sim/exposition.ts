/**
 * Prometheus's text exposition format (version 0.0.4), for metrics whose values are
 * computed whole at each scrape. prom-client's metric classes only count up from events
 * (a Histogram has no way to set its buckets), and the exporter has no events, only a
 * formula of time, so it writes the format itself.
 */
export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export type Labels = Record<string, string>;

export interface Sample {
  /** The family's name, or for a histogram its _bucket, _sum or _count series. */
  name: string;
  labels: Labels;
  value: number;
}

export interface MetricFamily {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  samples: Sample[];
}

export function formatFamilies(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  for (const family of families) {
    lines.push(`# HELP ${family.name} ${family.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`);
    lines.push(`# TYPE ${family.name} ${family.type}`);
    for (const sample of family.samples) lines.push(`${sample.name}${formatLabels(sample.labels)} ${formatValue(sample.value)}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The _bucket, _sum and _count series of a histogram in which every one of `count`
 * observations had the same value: all of them land in the buckets at or above it.
 */
export function uniformHistogram(name: string, labels: Labels, buckets: readonly number[], count: number, value: number): Sample[] {
  return [
    ...buckets.map((le) => ({ name: `${name}_bucket`, labels: { ...labels, le: formatValue(le) }, value: value <= le ? count : 0 })),
    { name: `${name}_bucket`, labels: { ...labels, le: '+Inf' }, value: count },
    { name: `${name}_sum`, labels, value: count * value },
    { name: `${name}_count`, labels, value: count },
  ];
}

function formatLabels(labels: Labels): string {
  const pairs = Object.entries(labels).map(([key, value]) => `${key}="${value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')}"`);
  return pairs.length > 0 ? `{${pairs.join(',')}}` : '';
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}
