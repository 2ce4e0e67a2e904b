import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stepFor, verdictOf } from './evaluate-rule.ts';

const rule = { threshold: 0.05, comparison: 'above' as const };
const series = (values: Array<[number, number]>) => ({ labels: { namespace: 'shop', pod: 'web-1' }, samples: values });

test('a series fires when every sample over the whole window breaches, as Prometheus\'s `for`', () => {
  const verdict = verdictOf(rule, series([[100, 0.3], [106, 0.31], [112, 0.29], [118, 0.3], [124, 0.3], [130, 0.32], [136, 0.3], [142, 0.3], [148, 0.3], [154, 0.3], [160, 0.3]]), 100, 160, 6);
  assert.equal(verdict.firing, true);
  assert.equal(verdict.value, 0.3);
});

test('one good sample, a series that began inside the window, or one that ended early, does not fire', () => {
  assert.equal(verdictOf(rule, series([[100, 0.3], [106, 0.01], [112, 0.3], [160, 0.3]]), 100, 160, 6).firing, false);
  assert.equal(verdictOf(rule, series([[130, 0.3], [136, 0.3], [160, 0.3]]), 100, 160, 6).firing, false, 'a pod that started 30 s ago');
  assert.equal(verdictOf(rule, series([[100, 0.3], [106, 0.3], [112, 0.3]]), 100, 160, 6).firing, false, 'a pod that is gone');
  assert.equal(verdictOf(rule, series([]), 100, 160, 6).firing, false);
});

test('the range step gives about ten samples a window, between 1 s and a minute', () => {
  assert.deepEqual([stepFor(5), stepFor(60), stepFor(300), stepFor(86400)], [1, 6, 30, 60]);
});
