// Incidents by class over time: counted here, drawn as a plain SVG of stacked bars. The SVG
// is built with the same escaping template as the pages; only numbers and our own labels
// go into it, and no script or style attribute, so the CSP needs nothing special.
import { SIGNAL_CLASSES } from '../api/healing-incident.ts';
import type { HealingIncident } from '../api/healing-incident.ts';
import { h, type Html } from './html.ts';
import { detectedAt } from './stats.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const CHART_RANGES = {
  '24h': { buckets: 24, bucketMs: HOUR, span: 'the last 24 hours', per: 'per hour' },
  '7d': { buckets: 7, bucketMs: DAY, span: 'the last 7 days', per: 'per day' },
} as const;
export type ChartRange = keyof typeof CHART_RANGES;

export function parseRange(value: string | undefined): ChartRange {
  return value === '7d' ? '7d' : '24h';
}

export interface ClassSeries {
  signalClass: string;
  counts: number[];
  total: number;
}

export interface ClassBuckets {
  range: ChartRange;
  /** Start of each bucket, ms since the epoch (UTC hours or UTC days). */
  starts: number[];
  bucketMs: number;
  /** Classes with at least one incident, in the order of SIGNAL_CLASSES. */
  series: ClassSeries[];
  total: number;
}

export function bucketByClass(incidents: readonly HealingIncident[], range: ChartRange, now: Date): ClassBuckets {
  const { buckets, bucketMs } = CHART_RANGES[range];
  // Buckets end at the next whole hour (day) so that each bar is a calendar hour (day) in UTC.
  const end = Math.floor(now.getTime() / bucketMs) * bucketMs + bucketMs;
  const start = end - buckets * bucketMs;
  const starts = Array.from({ length: buckets }, (_, i) => start + i * bucketMs);
  const byClass = new Map<string, number[]>();
  for (const incident of incidents) {
    const at = detectedAt(incident);
    const ms = at ? Date.parse(at) : NaN;
    if (!(ms >= start && ms < end)) continue;
    const signalClass = String(incident.spec?.signalClass ?? 'Unknown');
    const counts = byClass.get(signalClass) ?? new Array<number>(buckets).fill(0);
    const index = Math.floor((ms - start) / bucketMs);
    counts[index] = (counts[index] ?? 0) + 1;
    byClass.set(signalClass, counts);
  }
  const order = (c: string) => {
    const i = (SIGNAL_CLASSES as readonly string[]).indexOf(c);
    return i === -1 ? SIGNAL_CLASSES.length : i;
  };
  const series = [...byClass.entries()]
    .map(([signalClass, counts]) => ({ signalClass, counts, total: counts.reduce((a, b) => a + b, 0) }))
    .sort((a, b) => order(a.signalClass) - order(b.signalClass) || a.signalClass.localeCompare(b.signalClass));
  return { range, starts, bucketMs, series, total: series.reduce((a, s) => a + s.total, 0) };
}

// Thirteen colours that stay apart for the common kinds of colour blindness (after Okabe-Ito and Tol).
const PALETTE = ['#d55e00', '#cc79a7', '#0072b2', '#e69f00', '#009e73', '#56b4e9', '#882255', '#999933', '#44aa99', '#aa4499', '#332288', '#117733', '#661100'];

export function classColor(signalClass: string): string {
  const i = (SIGNAL_CLASSES as readonly string[]).indexOf(signalClass);
  return i === -1 ? '#777777' : (PALETTE[i % PALETTE.length] ?? '#777777');
}

const WIDTH = 720;
const PLOT = { left: 40, right: 12, top: 12, height: 160 };
const LEGEND = { perRow: 4, rowHeight: 20, itemWidth: 170 };

/** The smallest of 1, 2, 5, 10, 20, 50, ... that holds the highest bar. */
export function niceMax(value: number): number {
  if (value <= 1) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

function bucketLabel(startMs: number, range: ChartRange): string {
  const d = new Date(startMs);
  if (range === '24h') return `${String(d.getUTCHours()).padStart(2, '0')}:00`;
  return `${['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()]} ${d.getUTCDate()}`;
}

function bucketSpan(startMs: number, bucketMs: number): string {
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
  return `${iso(startMs)}–${iso(startMs + bucketMs).slice(11)} UTC`;
}

export function renderChart(data: ClassBuckets): Html {
  const n = data.starts.length;
  const plotWidth = WIDTH - PLOT.left - PLOT.right;
  const slot = plotWidth / n;
  const barWidth = Math.max(1, Math.round(slot * 0.8 * 10) / 10);
  const stacked = data.starts.map((_, i) => data.series.reduce((sum, s) => sum + (s.counts[i] ?? 0), 0));
  const yMax = niceMax(Math.max(0, ...stacked));
  const baseline = PLOT.top + PLOT.height;
  const y = (count: number) => Math.round((baseline - (count / yMax) * PLOT.height) * 10) / 10;
  const legendRows = Math.ceil(data.series.length / LEGEND.perRow);
  const height = baseline + 28 + legendRows * LEGEND.rowHeight;
  const { span: what, per } = CHART_RANGES[data.range];
  const description =
    data.total === 0
      ? `No incidents in ${what}.`
      : `${data.total} incident${data.total === 1 ? '' : 's'} in ${what}: ${data.series.map((s) => `${s.signalClass} ${s.total}`).join(', ')}.`;

  const bars = data.starts.map((start, i) => {
    let below = 0;
    const x = Math.round((PLOT.left + i * slot + (slot - barWidth) / 2) * 10) / 10;
    return data.series.map((s) => {
      const count = s.counts[i] ?? 0;
      if (count === 0) return '';
      const top = y(below + count);
      const rect = h`<rect class="bar" x="${x}" y="${top}" width="${barWidth}" height="${Math.round((y(below) - top) * 10) / 10}" fill="${classColor(s.signalClass)}"><title>${s.signalClass}: ${count}, ${bucketSpan(start, data.bucketMs)}</title></rect>`;
      below += count;
      return rect;
    });
  });
  const labelEvery = data.range === '24h' ? 6 : 1;
  const xLabels = data.starts.map((start, i) =>
    i % labelEvery === 0 ? h`<text class="axis" x="${Math.round(PLOT.left + i * slot + slot / 2)}" y="${baseline + 16}" text-anchor="middle">${bucketLabel(start, data.range)}</text>` : '',
  );
  const ticks = yMax >= 2 && yMax % 2 === 0 ? [0, yMax / 2, yMax] : [0, yMax];
  const yLabels = ticks.map(
    (t) => h`<line class="grid" x1="${PLOT.left}" x2="${WIDTH - PLOT.right}" y1="${y(t)}" y2="${y(t)}" stroke="#ccc" stroke-width="1"/><text class="axis" x="${PLOT.left - 6}" y="${y(t) + 4}" text-anchor="end">${t}</text>`,
  );
  const legend = data.series.map((s, i) => {
    const lx = PLOT.left + (i % LEGEND.perRow) * LEGEND.itemWidth;
    const ly = baseline + 30 + Math.floor(i / LEGEND.perRow) * LEGEND.rowHeight;
    return h`<g class="legend-item"><rect x="${lx}" y="${ly}" width="12" height="12" fill="${classColor(s.signalClass)}"/><text x="${lx + 18}" y="${ly + 10}">${s.signalClass} (${s.total})</text></g>`;
  });
  const empty = data.total === 0 ? h`<text class="empty" x="${PLOT.left + plotWidth / 2}" y="${PLOT.top + PLOT.height / 2}" text-anchor="middle">No incidents</text>` : '';
  return h`<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-labelledby="chart-title chart-desc"><title id="chart-title">Incidents by class, ${what}, ${per} (UTC)</title><desc id="chart-desc">${description}</desc>${yLabels}${bars}${xLabels}${empty}<g class="legend">${legend}</g></svg>`;
}
