import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Metrics } from '../api/aegis-watch.ts';
import type { WorkloadKey } from '../reconcile/owners.ts';
import { builtInRules } from './metric-rules.ts';
import { MAX_POINTS, mergePoints, metricSignals, toPoints } from './metric-signals.ts';
import type { OwnerLookup } from './series-workload.ts';

const web: WorkloadKey = { kind: 'Deployment', namespace: 'shop', name: 'web' };
const api: WorkloadKey = { kind: 'Deployment', namespace: 'shop', name: 'api' };
const owners: Record<string, WorkloadKey> = { 'web-1-aaaaa': web, 'web-1-bbbbb': web, 'api-1-ccccc': api };
const lookup: OwnerLookup = { podOwner: (_ns, pod) => owners[pod], replicaSetOwner: () => undefined, workloadNamed: () => undefined };
const [errorRate] = builtInRules(Metrics.parse({}));
const verdict = (pod: string, value: number, firing = true) => ({ labels: { namespace: 'shop', pod }, firing, value, samples: [[1000, value], [1006, value]] as Array<[number, number]> });

test('firing pods fold into one signal per workload, showing the worst pod; quiet and unguarded ones none', () => {
  if (!errorRate) throw new Error('no error-rate rule');
  const found = metricSignals(errorRate, [verdict('web-1-aaaaa', 0.2), verdict('web-1-bbbbb', 0.35), verdict('api-1-ccccc', 0.5), verdict('web-1-zzzzz', 0.9, false)],
    lookup, (w) => w.name === 'web', new Date('2026-11-26T10:00:00Z'));
  assert.equal(found.length, 1);
  const [one] = found;
  assert.deepEqual(one?.signal, {
    class: 'ErrorRate', workload: web, object: { kind: 'Pod', name: 'web-1-bbbbb' }, reason: 'error-rate',
    message: 'ErrorRate: rule error-rate at 35 % > 5 % for 60 s (2 pods, worst web-1-bbbbb)', observedAt: '2026-11-26T10:00:00.000Z',
  });
  assert.deepEqual(one?.metric.points, [{ t: 1000, v: 0.35 }, { t: 1006, v: 0.35 }]);
  assert.equal(one?.metric.source, 'prometheus');
  assert.equal(one?.metric.value, 0.35);
});

test('evidence points stay finite and few: NaN and Inf dropped, merged by time, the newest kept', () => {
  assert.deepEqual(toPoints([[1, Number.NaN], [2, 0.5], [3, Number.POSITIVE_INFINITY]]), [{ t: 2, v: 0.5 }]);
  const old = Array.from({ length: 50 }, (_, i) => ({ t: i, v: 0 }));
  const fresh = Array.from({ length: 20 }, (_, i) => ({ t: 45 + i, v: 1 }));
  const merged = mergePoints(old, fresh) ?? [];
  assert.equal(merged.length, MAX_POINTS);
  assert.deepEqual(merged.at(-1), { t: 64, v: 1 });
  assert.deepEqual(merged.find((p) => p.t === 45), { t: 45, v: 1 }, 'a newer sample of the same time wins');
});
