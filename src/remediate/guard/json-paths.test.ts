import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffObjects } from './diff.ts';
import { flatten, parsePath, PathError, renderPath } from './json-paths.ts';

test('paths read as the analyzers write them and render back the same', () => {
  const path = 'spec.containers[app].env[LOG_LEVEL].valueFrom.configMapKeyRef.key';
  assert.deepEqual(parsePath(path), [
    { key: 'spec' }, { key: 'containers' }, { name: 'app' }, { key: 'env' }, { name: 'LOG_LEVEL' },
    { key: 'valueFrom' }, { key: 'configMapKeyRef' }, { key: 'key' },
  ]);
  assert.equal(renderPath(parsePath(path)), path);
  assert.deepEqual(parsePath('spec.tolerations[0].key'), [{ key: 'spec' }, { key: 'tolerations' }, { index: 0 }, { key: 'key' }]);
  assert.equal(renderPath(parsePath('metadata.annotations["app.kubernetes.io/name"]')), 'metadata.annotations["app.kubernetes.io/name"]');
  assert.throws(() => parsePath('spec.containers[app'), PathError);
  assert.throws(() => parsePath('.spec'), PathError);
});

test('a key with dots cannot pose as the nested field it spells', () => {
  const nested = flatten({ resources: { limits: { memory: '1Gi' } } });
  const dotted = flatten({ 'resources.limits.memory': '1Gi' });
  assert.deepEqual([...nested.keys()], ['resources.limits.memory']);
  assert.deepEqual([...dotted.keys()], ['["resources.limits.memory"]']);
});

test('lists are keyed by name only when every name is distinct and cannot read as an index', () => {
  assert.deepEqual([...flatten({ c: [{ name: 'app', x: 1 }, { name: 'side', x: 2 }] }).keys()], ['c[app].name', 'c[app].x', 'c[side].name', 'c[side].x']);
  // A twin, a digit-only name or a bracket in a name: positions instead.
  assert.deepEqual([...flatten({ c: [{ name: 'app' }, { name: 'app' }] }).keys()], ['c[0].name', 'c[1].name']);
  assert.deepEqual([...flatten({ c: [{ name: '0' }, { name: '1' }] }).keys()], ['c[0].name', 'c[1].name']);
  assert.deepEqual([...flatten({ c: [{ name: 'a]b' }] }).keys()], ['c[0].name']);
  assert.throws(() => renderPath([{ name: '7' }]), PathError);
});

test('lists of scalars are one leaf; empty objects, lists and nulls are none', () => {
  const leaves = flatten({ command: ['sh', '-c', 'x'], resources: {}, args: [], note: null, n: 0, ok: false });
  assert.deepEqual(Object.fromEntries(leaves), { command: ['sh', '-c', 'x'], n: 0, ok: false });
});

test('the diff compares types, ignores reordering and what the API server writes', () => {
  const before = { metadata: { name: 'a', resourceVersion: '7', managedFields: [{ manager: 'x' }] }, status: { replicas: 1 }, spec: { ports: [{ name: 'a', port: 80 }, { name: 'b', port: 81 }] } };
  const after = { metadata: { name: 'a' }, spec: { ports: [{ name: 'b', port: 81 }, { name: 'a', port: '80' }] } };
  assert.deepEqual(diffObjects(before, after), [{ path: 'spec.ports[a].port', before: 80, after: '80' }]);
});

test('objects too deep or too large are refused, not walked', () => {
  let deep: Record<string, unknown> = {};
  for (let i = 0; i < 100; i++) deep = { x: deep, y: 1 };
  assert.throws(() => flatten(deep), /deeper than/);
  assert.throws(() => flatten({ list: Array.from({ length: 20_000 }, (_, i) => i % 2 ? { a: i } : { b: i }) }), /more than 10000 fields/);
});
