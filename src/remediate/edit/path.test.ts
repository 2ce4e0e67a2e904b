import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatPath, getAt, parseFieldPath } from './path.ts';

test('parses the analyzers\' field paths: names in brackets, indexes as numbers', () => {
  assert.deepEqual(parseFieldPath('spec.containers[app].env[LOG_LEVEL].valueFrom.configMapKeyRef.key'), [
    'spec', 'containers', { name: 'app' }, 'env', { name: 'LOG_LEVEL' }, 'valueFrom', 'configMapKeyRef', 'key',
  ]);
  assert.deepEqual(parseFieldPath('spec.tolerations[0].key'), ['spec', 'tolerations', 0, 'key']);
  assert.deepEqual(parseFieldPath('spec.containers[my-app.v2].image'), ['spec', 'containers', { name: 'my-app.v2' }, 'image']);
  for (const bad of ['', '.a', 'a..b', 'a.', 'a[]', 'a[b', 'a.[b]']) assert.throws(() => parseFieldPath(bad), /bad field path/, bad);
});

test('formats a path back and walks plain values by it', () => {
  const path = parseFieldPath('spec.containers[app].ports[0].containerPort');
  assert.equal(formatPath(path), 'spec.containers[app].ports[0].containerPort');
  const value = { spec: { containers: [{ name: 'x' }, { name: 'app', ports: [{ containerPort: 80 }] }] } };
  assert.equal(getAt(value, path), 80);
  assert.equal(getAt(value, parseFieldPath('spec.containers[none].image')), undefined);
});
