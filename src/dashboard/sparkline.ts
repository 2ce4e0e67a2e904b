// The metric behind a metric incident, drawn small: its samples as a line, the threshold
// as a dashed rule, and each rollout in the window as a marker, so "it began with the
// deploy" can be seen at a glance. Server-rendered SVG: no script, allowed by the CSP.
import type { Evidence } from '../api/healing-incident.ts';
import { h, type Html } from './html.ts';

const WIDTH = 480;
const HEIGHT = 96;
const PAD = { left: 4, right: 4, top: 8, bottom: 14 };

export function renderSparkline(evidence: Evidence | undefined): Html | '' {
  const metric = evidence?.metric;
  const points = metric?.points ?? [];
  if (!metric || points.length < 2) return '';
  const first = points[0]?.t ?? 0;
  const last = points.at(-1)?.t ?? first + 1;
  const span = Math.max(1, last - first);
  const values = points.map((p) => p.v);
  const top = Math.max(...values, metric.threshold ?? -Infinity);
  const bottom = Math.min(0, ...values, metric.threshold ?? Infinity);
  const range = top - bottom || 1;
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (t: number) => round(PAD.left + ((t - first) / span) * plotW);
  const y = (v: number) => round(PAD.top + (1 - (v - bottom) / range) * plotH);
  const line = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.t)},${y(p.v)}`).join(' ');
  const threshold = metric.threshold === undefined
    ? ''
    : h`<line class="threshold" x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${y(metric.threshold)}" y2="${y(metric.threshold)}"><title>threshold ${metric.threshold}</title></line>`;
  const rollouts = (evidence?.rollouts ?? [])
    .map((r) => ({ ...r, t: Date.parse(r.at) / 1000 }))
    .filter((r) => r.t >= first && r.t <= last)
    .map((r) => h`<g class="rollout"><line x1="${x(r.t)}" x2="${x(r.t)}" y1="${PAD.top}" y2="${HEIGHT - PAD.bottom}"/><text x="${x(r.t) + 3}" y="${HEIGHT - 3}">rev ${r.revision}</text><title>revision ${r.revision} rolled out at ${r.at}${r.image ? ` (${r.image})` : ''}</title></g>`);
  const description = `${metric.rule}: ${points.length} samples from ${iso(first)} to ${iso(last)}, latest ${values.at(-1)}${metric.threshold === undefined ? '' : `, threshold ${metric.threshold}`}`;
  return h`<figure class="sparkline"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${description}"><title>${description}</title>${threshold}${rollouts}<path class="series" d="${line}"/></svg><figcaption>${metric.rule}${metric.query ? h` <code>${metric.query}</code>` : ''}</figcaption></figure>`;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(11, 19);
}
