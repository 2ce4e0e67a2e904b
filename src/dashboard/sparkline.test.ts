import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderSparkline } from './sparkline.ts';

const points = [{ t: 1000, v: 0 }, { t: 1030, v: 0.01 }, { t: 1060, v: 0.3 }, { t: 1090, v: 0.31 }];

test('a metric incident\'s series is a line, its threshold a dashed rule, the rollout inside the window a marker', () => {
  const svg = String(renderSparkline({
    summary: 's',
    metric: { rule: 'error-rate', source: 'prometheus', query: 'sum(rate(x[1m]))', threshold: 0.05, comparison: 'above', value: 0.31, points },
    rollouts: [{ revision: '1', at: new Date(500_000).toISOString() }, { revision: '2', at: new Date(1_045_000).toISOString(), image: 'ghcr.io/g/joke:1.3.0' }],
  }));
  assert.match(svg, /<path class="series" d="M4,\d+(\.\d)? L/);
  assert.equal((svg.match(/ L/g) ?? []).length, 3, 'one segment per later sample');
  assert.match(svg, /<line class="threshold"/);
  assert.match(svg, /rev 2/);
  assert.doesNotMatch(svg, /rev 1</, 'a rollout before the window is not drawn');
  assert.match(svg, /error-rate: 4 samples from 00:16:40 to 00:18:10, latest 0.31, threshold 0.05/);
  assert.match(svg, /<code>sum\(rate\(x\[1m\]\)\)<\/code>/);
});

test('no series, or a single point, draws nothing; a query with markup is escaped', () => {
  assert.equal(renderSparkline({ summary: 's' }), '');
  assert.equal(renderSparkline({ summary: 's', metric: { rule: 'r', source: 'alertmanager', points: [{ t: 1, v: 1 }] } }), '');
  const svg = String(renderSparkline({ summary: 's', metric: { rule: '<b>', source: 'prometheus', query: '"><script>', points } }));
  assert.doesNotMatch(svg, /<script>|<b>/);
});
