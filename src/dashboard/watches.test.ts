import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AegisWatch } from '../api/aegis-watch.ts';
import { renderWatches, summarizeWatches } from './watches.ts';

const watch = (name: string, conditions: Array<{ type: string; status: 'True' | 'False'; reason: string; message: string }>) => ({
  metadata: { namespace: 'shop', name },
  spec: { mode: 'pullRequest' },
  status: { guardedWorkloads: 2, conditions: conditions.map((c) => ({ ...c, lastTransitionTime: '2026-11-26T10:00:00Z' })) },
}) as unknown as AegisWatch;

test('a watch that is Ready but cannot reach Prometheus says so beside its health', () => {
  const summaries = summarizeWatches([
    watch('web', [{ type: 'Ready', status: 'True', reason: 'Guarding', message: 'guarding 2 workloads' },
      { type: 'MetricsAvailable', status: 'False', reason: 'MetricsUnavailable', message: 'metrics unavailable: Prometheus at http://prom:9090 is unreachable' }]),
    watch('api', [{ type: 'Ready', status: 'True', reason: 'Guarding', message: 'guarding 1 workload' },
      { type: 'MetricsAvailable', status: 'True', reason: 'Queried', message: '4 rules evaluated' }]),
  ]);
  assert.deepEqual(summaries.map((s) => [s.name, s.metricsProblem]), [['api', undefined], ['web', 'metrics unavailable: Prometheus at http://prom:9090 is unreachable']]);
  const html = String(renderWatches(summaries));
  assert.equal((html.match(/Metrics unavailable/g) ?? []).length, 1);
  assert.match(html, /Prometheus at http:\/\/prom:9090 is unreachable/);
});
