import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NOW, ago, incident, sampleIncidents } from '../../test/dashboard/fixtures.ts';
import { bucketByClass, niceMax, parseRange, renderChart } from './chart.ts';

test('incidents are counted per class in UTC hours over the last 24 hours', () => {
  const data = bucketByClass(sampleIncidents(), '24h', NOW);
  assert.equal(data.starts.length, 24);
  // Now is 12:30, so the last bucket is 12:00-13:00 and the first starts 23 hours earlier.
  assert.equal(data.starts.at(-1), Date.parse('2026-11-26T12:00:00Z'));
  assert.equal(data.starts[0], Date.parse('2026-11-25T13:00:00Z'));
  const byClass = Object.fromEntries(data.series.map((s) => [s.signalClass, s.total]));
  assert.deepEqual(byClass, { CrashLoop: 1, OOMKilled: 2, ImagePull: 1, ProbeFailure: 1, GitOpsSyncFailed: 1 }); // old-crash is 3 days old
  assert.equal(data.total, 6);
  // Classes come in the order of SIGNAL_CLASSES, and counts land in the right hour.
  assert.deepEqual(data.series.map((s) => s.signalClass), ['CrashLoop', 'OOMKilled', 'ImagePull', 'ProbeFailure', 'GitOpsSyncFailed']);
  const gitops = data.series.find((s) => s.signalClass === 'GitOpsSyncFailed');
  assert.equal(gitops?.counts[23], 1);
  assert.equal(data.series.find((s) => s.signalClass === 'OOMKilled')?.counts[23 - 4], 1); // web-oom at 10:05
});

test('the 7 day range counts per UTC day and includes older incidents', () => {
  const data = bucketByClass(sampleIncidents(), '7d', NOW);
  assert.equal(data.starts.length, 7);
  assert.equal(data.starts.at(-1), Date.parse('2026-11-26T00:00:00Z'));
  assert.equal(data.total, 7);
  assert.equal(data.series.find((s) => s.signalClass === 'CrashLoop')?.counts[3], 1); // old-crash, 2026-11-23
  assert.equal(parseRange('7d'), '7d');
  assert.equal(parseRange('<x>'), '24h');
  assert.equal(parseRange(undefined), '24h');
});

test('bucket edges: the window starts inclusive and ends exclusive', () => {
  const at = (iso: string) => incident('a', `i${Date.parse(iso)}`, 'CrashLoop', { phase: 'Detected', phaseTimestamps: { Detected: iso } });
  const start = new Date(Date.parse('2026-11-25T13:00:00Z')).toISOString();
  const end = new Date(Date.parse('2026-11-26T13:00:00Z')).toISOString();
  const before = new Date(Date.parse(start) - 1).toISOString();
  const data = bucketByClass([at(start), at(end), at(before)], '24h', NOW);
  assert.equal(data.total, 1);
  assert.equal(data.series[0]?.counts[0], 1);
});

test('the SVG has a title, a description, one bar segment per non-empty count, and sane numbers', () => {
  const incidents = [
    ...sampleIncidents(),
    incident('shop', 'web-oom-2', 'OOMKilled', { phase: 'Detected', phaseTimestamps: { Detected: ago(20) } }),
    incident('shop', 'web-oom-3', 'OOMKilled', { phase: 'Detected', phaseTimestamps: { Detected: ago(25) } }),
  ];
  const svg = renderChart(bucketByClass(incidents, '24h', NOW)).toString();
  assert.match(svg, /^<svg [^>]*role="img"[^>]*aria-labelledby="chart-title chart-desc"/);
  assert.match(svg, /<title id="chart-title">Incidents by class, the last 24 hours, per hour \(UTC\)<\/title>/);
  assert.match(svg, /<desc id="chart-desc">8 incidents in the last 24 hours: CrashLoop 1, OOMKilled 4,/);
  // The 12:00 hour holds ProbeFailure 1, GitOpsSyncFailed 1, OOMKilled 2: three segments, four high.
  const bars = [...svg.matchAll(/<rect class="bar" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" fill="(#[0-9a-f]{6})"><title>([^<]*)<\/title>/g)];
  assert.equal(bars.length, 7); // 08, 09, 10, 11 (one class each) and 12 (three classes)
  const last = bars.filter((b) => b[6]?.includes('12:00–13:00'));
  assert.equal(last.length, 3);
  const heights = last.map((b) => Number(b[4]));
  const total = heights.reduce((a, b) => a + b, 0);
  // Four incidents on an axis that tops out at niceMax(4) = 5: four fifths of the 160 px plot.
  assert.equal(Math.round(total * 10) / 10, 128);
  assert.match(svg, /<text class="axis" x="34" y="16" text-anchor="end">5<\/text>/);
  // Segments stack: each starts where the one below it ends.
  const sorted = last.map((b) => ({ y: Number(b[2]), h: Number(b[4]) })).sort((a, b) => b.y - a.y);
  for (let i = 1; i < sorted.length; i++) assert.equal(Math.round((sorted[i]!.y + sorted[i]!.h) * 10) / 10, sorted[i - 1]!.y);
  assert.equal(Math.round(((sorted[0]?.y ?? 0) + (sorted[0]?.h ?? 0)) * 10) / 10, 172); // the baseline
  assert.doesNotMatch(svg, /NaN|Infinity|undefined/);
  // A legend entry per class, with its count.
  assert.deepEqual([...svg.matchAll(/<g class="legend-item">.*?<text [^>]*>([^<]*)<\/text><\/g>/g)].map((m) => m[1]), [
    'CrashLoop (1)', 'OOMKilled (4)', 'ImagePull (1)', 'ProbeFailure (1)', 'GitOpsSyncFailed (1)',
  ]);
});

test('an empty range still draws the axes and says so', () => {
  const svg = renderChart(bucketByClass([], '24h', NOW)).toString();
  assert.match(svg, /No incidents in the last 24 hours/);
  assert.doesNotMatch(svg, /class="bar"/);
  assert.doesNotMatch(svg, /NaN|Infinity|undefined/);
});

test('the y axis tops out at 1, 2 or 5 times a power of ten', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 6, 11, 20, 51].map(niceMax), [1, 1, 2, 5, 5, 10, 20, 20, 100]);
});

test('labels in the SVG are escaped like any text', () => {
  const odd = incident('a', 'b', 'CrashLoop', { phase: 'Detected', phaseTimestamps: { Detected: ago(1) } });
  odd.spec.signalClass = '</text><script>alert(1)</script>' as never; // past the schema
  const svg = renderChart(bucketByClass([odd], '24h', NOW)).toString();
  assert.doesNotMatch(svg, /<script/);
  assert.match(svg, /&lt;\/text&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt; \(1\)/);
  assert.match(svg, /fill="#777777"/); // an unknown class gets the neutral colour
});
