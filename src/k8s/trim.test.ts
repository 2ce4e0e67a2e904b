import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { V1Pod } from '@kubernetes/client-node';
import { slimPod, trimObject } from './trim.ts';

const pod: V1Pod = {
  metadata: {
    name: 'web-1', namespace: 'shop', uid: 'u1', resourceVersion: '7',
    labels: { app: 'web' },
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"env":"secret"}', note: 'kept' },
    managedFields: [{ manager: 'kubectl', operation: 'Apply' }],
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc', uid: 'rs', controller: true }],
  },
  spec: {
    nodeName: 'node-1',
    volumes: [{ name: 'data', emptyDir: {} }],
    containers: [{ name: 'app', image: 'joke:1', env: [{ name: 'TOKEN', value: 'x' }], livenessProbe: { httpGet: { path: '/', port: 80 } } }],
  },
  status: { phase: 'Running', containerStatuses: [{ name: 'app', image: 'joke:1', imageID: '', ready: true, restartCount: 2 }] },
};

test('trimObject drops managedFields and the last-applied annotation, and nothing else', () => {
  const trimmed = trimObject(pod);
  assert.equal(trimmed.metadata?.managedFields, undefined);
  assert.deepEqual(trimmed.metadata?.annotations, { note: 'kept' });
  assert.deepEqual(trimmed.spec, pod.spec);
  assert.ok(pod.metadata?.managedFields, 'the original is not changed');
});

test('slimPod keeps what detection reads and drops the rest of the spec', () => {
  const slim = slimPod(pod);
  assert.deepEqual(slim.spec, { nodeName: 'node-1', containers: [{ name: 'app', image: 'joke:1' }], initContainers: undefined });
  assert.deepEqual(slim.status, pod.status);
  assert.deepEqual(slim.metadata?.ownerReferences, pod.metadata?.ownerReferences);
  assert.equal(slim.metadata?.resourceVersion, '7');
  assert.ok(!JSON.stringify(slim).includes("TOKEN") && !JSON.stringify(slim).includes("volumes"));
});
