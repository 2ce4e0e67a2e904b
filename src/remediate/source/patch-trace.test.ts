import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Step } from '../edit/path.ts';
import { indexPath, traceJson, traceSmp } from './patch-trace.ts';

const memory: Step[] = ['spec', 'template', 'spec', 'containers', { name: 'app' }, 'resources', 'limits', 'memory'];
const smp = (container: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ spec: { template: { spec: { containers: [container], ...extra } } } });

test('a strategic-merge patch writes a field it names, through containers merged by name', () => {
  assert.deepEqual(traceSmp(smp({ name: 'app', resources: { limits: { memory: '1Gi' } } }), memory), { writes: true, path: memory });
  assert.deepEqual(traceSmp(smp({ name: 'app', resources: { requests: { cpu: 1 } } }), memory), { writes: false });
  assert.deepEqual(traceSmp(smp({ name: 'other', resources: { limits: { memory: '1Gi' } } }), memory), { writes: false });
});

test('replace and delete directives make the patch the writer, or unknowable', () => {
  assert.deepEqual(traceSmp(smp({ name: 'app', resources: { $patch: 'replace', requests: { cpu: 1 } } }), memory), { writes: true, path: memory });
  assert.equal(traceSmp(smp({ name: 'app', $patch: 'delete' }), memory).writes, 'unknown');
  assert.equal(traceSmp(smp({ name: 'app', resources: null }), memory).writes, 'unknown');
  const mount: Step[] = ['spec', 'template', 'spec', 'containers', { name: 'app' }, 'volumeMounts', { name: 'data' }, 'mountPath'];
  assert.match(JSON.stringify(traceSmp(smp({ name: 'app', volumeMounts: [{ name: 'data', mountPath: '/d' }] }), mount)), /not merged by name/);
});

test('a JSON 6902 operation writes the path it names, by the index the item has', () => {
  const doc = smp({ name: 'sidecar' });
  (doc.spec.template.spec.containers as unknown[]).push({ name: 'app' });
  const indexes = indexPath(doc, memory);
  assert.deepEqual(indexes, ['spec', 'template', 'spec', 'containers', '1', 'resources', 'limits', 'memory']);
  const replace = { op: 'replace', path: '/spec/template/spec/containers/1/resources/limits/memory', value: '2Gi' };
  assert.deepEqual(traceJson([replace], memory, indexes), { writes: true, path: [0, 'value'], op: 0 });
  const wrongIndex = { ...replace, path: '/spec/template/spec/containers/0/resources/limits/memory' };
  assert.deepEqual(traceJson([wrongIndex], memory, indexes), { writes: false });
  const parent = { op: 'add', path: '/spec/template/spec/containers/1/resources', value: { limits: { memory: '1Gi' } } };
  assert.deepEqual(traceJson([parent, { op: 'test', path: '/x', value: 1 }], memory, indexes), { writes: true, path: [0, 'value', 'limits', 'memory'], op: 0 });
});

test('JSON 6902 operations that remove, move or shift items around the field are not traced', () => {
  const indexes = ['spec', 'template', 'spec', 'containers', '0', 'resources', 'limits', 'memory'];
  assert.match(JSON.stringify(traceJson([{ op: 'remove', path: '/spec/template/spec/containers/0/resources' }], memory, indexes)), /removes/);
  assert.match(JSON.stringify(traceJson([{ op: 'add', path: '/spec/template/spec/containers/0', value: { name: 'init' } }], memory, indexes)), /moving the items/);
  assert.match(JSON.stringify(traceJson([{ op: 'move', from: '/spec/template/spec/containers/0/resources', path: '/x' }], memory, indexes)), /moves/);
  assert.match(JSON.stringify(traceJson([{ op: 'replace', path: '/spec/template/spec/containers/0/resources/limits/memory/x', value: 1 }], memory, indexes)), /inside the field/);
});

test('a container a JSON patch appends is traced into the appended value', () => {
  const indexes = ['spec', 'template', 'spec', 'containers', undefined, 'resources', 'limits', 'memory'];
  const append = { op: 'add', path: '/spec/template/spec/containers/-', value: { name: 'app', resources: { limits: { memory: '1Gi' } } } };
  assert.deepEqual(traceJson([append], memory, indexes), { writes: true, path: [0, 'value', 'resources', 'limits', 'memory'], op: 0 });
});
