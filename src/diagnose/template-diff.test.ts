import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { V1Container, V1PodTemplateSpec } from '@kubernetes/client-node';
import { changedFields, describeChange, diffTemplates } from './template-diff.ts';

const template = (container: Partial<V1Container>, hash = 'aaa', annotations?: Record<string, string>): V1PodTemplateSpec => ({
  metadata: { labels: { app: 'web', 'pod-template-hash': hash }, ...(annotations ? { annotations } : {}) },
  spec: { containers: [{ name: 'app', image: 'ghcr.io/g/web:1', ...container }] },
});

test('reordered env vars and a new pod-template-hash are no change', () => {
  const a = template({ env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] }, 'aaa');
  const b = template({ env: [{ name: 'B', value: '2' }, { name: 'A', value: '1' }] }, 'bbb');
  assert.deepEqual(diffTemplates(a, b), []);
});

test('changes are classified, and argument lists are one field', () => {
  const a = template({ args: ['--cache=64', '--verbose'], env: [{ name: 'A', value: '1' }], resources: { limits: { memory: '256Mi' } } });
  const b = template({ args: ['--cache=0', '--verbose'], env: [{ name: 'A', value: '2' }], resources: { limits: { memory: '128Mi' } } }, 'bbb', { restartedAt: 'now' });
  const changes = diffTemplates(a, b);
  assert.deepEqual(changes.map((c) => [c.path, c.kind]), [
    ['metadata.annotations.restartedAt', 'metadata'],
    ['spec.containers[app].args', 'args'],
    ['spec.containers[app].env[A].value', 'env'],
    ['spec.containers[app].resources.limits.memory', 'resources'],
  ]);
  assert.equal(changes[1]?.before, '["--cache=64","--verbose"]');
  // Metadata is not a field that makes an app fail.
  assert.equal(changedFields(changes).length, 3);
  // Env values are never quoted: secrets live there.
  assert.equal(describeChange(changes[2]!), 'spec.containers[app].env[A].value: value changed');
  assert.equal(describeChange(changes[3]!), 'spec.containers[app].resources.limits.memory: 256Mi → 128Mi');
});

test('the leaves of one env var or one probe are one field', () => {
  const a = template({ env: [{ name: 'P', valueFrom: { secretKeyRef: { name: 'db', key: 'pw' } } }], readinessProbe: { httpGet: { path: '/readyz', port: 8080 } } });
  const b = template({ env: [{ name: 'P', valueFrom: { secretKeyRef: { name: 'db2', key: 'password' } } }], readinessProbe: { httpGet: { path: '/ready', port: 8081 } } });
  const fields = changedFields(diffTemplates(a, b));
  assert.deepEqual(fields.map((f) => f.length), [2, 2]);
  assert.deepEqual(fields.map((f) => f[0]?.item), ['P', 'readinessProbe']);
});
