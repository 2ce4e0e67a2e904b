import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Metrics } from '../api/aegis-watch.ts';
import { breaches, builtInRules, describeBreach, watchRules } from './metric-rules.ts';

test('the built-in rules are on by default, per pod, with the watch\'s rate window', () => {
  const rules = builtInRules(Metrics.parse({ rateWindowSeconds: 30 }));
  assert.deepEqual(rules.map((r) => [r.name, r.class, r.threshold, r.forSeconds]), [
    ['error-rate', 'ErrorRate', 0.05, 60], ['latency-p95', 'Latency', 1, 120], ['cpu-throttling', 'CpuThrottling', 0.25, 300], ['memory-saturation', 'MemorySaturation', 0.9, 300],
  ]);
  assert.equal(rules[0]?.expr, 'sum by (namespace, pod) (rate(http_requests_total{code=~"5.."}[30s])) / sum by (namespace, pod) (rate(http_requests_total[30s]))');
  assert.match(rules[2]?.expr ?? '', /by \(namespace, pod, container\)/);
});

test('a watch switches built-ins off, renames labels, and adds rules of its own (a custom class too)', () => {
  const metrics = Metrics.parse({
    labels: { namespace: 'kubernetes_namespace', pod: 'kubernetes_pod_name' },
    builtIn: { latency: { enabled: false }, cpuThrottling: { enabled: false }, memorySaturation: { enabled: false }, errorRate: { threshold: 0.01, forSeconds: 30 } },
    rules: [
      { name: 'queue-depth', expr: 'max by (namespace, pod) (jobs_waiting)', threshold: 100, class: 'QueueBacklog' },
      { name: 'apdex', expr: 'apdex', threshold: 0.8, comparison: 'below', class: 'Latency', forSeconds: 0 },
    ],
  });
  const rules = watchRules(metrics);
  assert.deepEqual(rules.map((r) => [r.name, r.class, r.customClass]), [['error-rate', 'ErrorRate', undefined], ['queue-depth', 'Custom', 'QueueBacklog'], ['apdex', 'Latency', undefined]]);
  assert.match(rules[0]?.expr ?? '', /sum by \(kubernetes_namespace, kubernetes_pod_name\)/);
  assert.deepEqual([rules[0]?.threshold, rules[0]?.forSeconds], [0.01, 30]);
});

test('a breach is on the rule\'s side of the threshold; NaN (no traffic) never is', () => {
  assert.equal(breaches({ threshold: 0.05, comparison: 'above' }, 0.3), true);
  assert.equal(breaches({ threshold: 0.05, comparison: 'above' }, 0.05), false);
  assert.equal(breaches({ threshold: 0.8, comparison: 'below' }, 0.5), true);
  assert.equal(breaches({ threshold: 0.05, comparison: 'above' }, Number.NaN), false);
  assert.equal(describeBreach({ threshold: 0.05, comparison: 'above', unit: 'ratio' }, 0.3125), '31.3 % > 5 %');
  assert.equal(describeBreach({ threshold: 1, comparison: 'above', unit: 'seconds' }, 1.5), '1.5 s > 1 s');
});
