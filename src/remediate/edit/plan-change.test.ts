import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RemedyAction } from '../../diagnose/remedy-action.ts';
import { planChange } from './plan-change.ts';
import type { Workload } from './workload.ts';

const workload: Workload = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop' },
  spec: {
    template: {
      spec: {
        initContainers: [{ name: 'migrate', image: 'ghcr.io/acme/migrate:1' }],
        containers: [
          {
            name: 'app',
            image: 'ghcr.io/acme/web:1.2.3',
            env: [{ name: 'A', value: 'a' }, { name: 'REF', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }],
            livenessProbe: { httpGet: { path: '/live', port: 8080, scheme: 'HTTP' }, periodSeconds: 5 },
            readinessProbe: { tcpSocket: { port: 8080 } },
          },
          { name: 'pinned', image: 'ghcr.io/acme/side@sha256:abc' },
        ],
      },
    },
  },
};

function changes(action: RemedyAction) {
  const result = planChange(action, workload);
  assert.ok(result.ok, result.ok ? '' : result.reason);
  return result.plan.changes;
}

function reason(action: RemedyAction): string {
  const result = planChange(action, workload);
  assert.equal(result.ok, false);
  return result.ok ? '' : `${result.kind}: ${result.reason}`;
}

const app = ['spec', 'containers', { name: 'app' }];

test('raises and fits resources on the named container, init containers included', () => {
  assert.deepEqual(changes({ type: 'raiseResource', container: 'app', resource: 'memory', field: 'limits', value: '512Mi' }), [
    { path: [...app, 'resources', 'limits', 'memory'], value: '512Mi' },
  ]);
  assert.deepEqual(changes({ type: 'fitRequests', container: 'migrate', cpu: '250m', memory: '64Mi' }), [
    { path: ['spec', 'initContainers', { name: 'migrate' }, 'resources', 'requests', 'cpu'], value: '250m' },
    { path: ['spec', 'initContainers', { name: 'migrate' }, 'resources', 'requests', 'memory'], value: '64Mi' },
  ]);
});

test('sets only the tag of an image, and never of one pinned by digest', () => {
  assert.deepEqual(changes({ type: 'setImageTag', container: 'app', tag: '1.2.2' }), [
    { path: [...app, 'image'], value: 'ghcr.io/acme/web:1.2.2', imageTag: '1.2.2' },
  ]);
  assert.match(reason({ type: 'setImageTag', container: 'pinned', tag: '2' }), /^unsupported: .*digest/);
});

test('fixes a probe on the handler it has', () => {
  assert.deepEqual(changes({ type: 'fixProbe', container: 'app', probe: 'liveness', port: 9090, path: '/healthz', failureThreshold: 5 }), [
    { path: [...app, 'livenessProbe', 'httpGet', 'port'], value: 9090 },
    { path: [...app, 'livenessProbe', 'httpGet', 'path'], value: '/healthz' },
    { path: [...app, 'livenessProbe', 'failureThreshold'], value: 5 },
  ]);
  assert.deepEqual(changes({ type: 'fixProbe', container: 'app', probe: 'readiness', port: 9090 }), [
    { path: [...app, 'readinessProbe', 'tcpSocket', 'port'], value: 9090 },
  ]);
  assert.match(reason({ type: 'fixProbe', container: 'app', probe: 'readiness', path: '/x' }), /not an HTTP probe/);
  assert.match(reason({ type: 'fixProbe', container: 'app', probe: 'startup', timeoutSeconds: 2 }), /no startup probe/);
});

test('adds a startup probe on the liveness handler that allows the start time', () => {
  const [change] = changes({ type: 'addStartupProbe', container: 'app', startupSeconds: 600 });
  assert.deepEqual(change, {
    path: [...app, 'startupProbe'],
    value: { httpGet: { path: '/live', port: 8080, scheme: 'HTTP' }, periodSeconds: 20, failureThreshold: 30 },
  });
  const probe = change?.value as { periodSeconds: number; failureThreshold: number };
  assert.ok(probe.periodSeconds * probe.failureThreshold >= 600);
});

test('restores an env var value, dropping the reference that replaced it', () => {
  assert.deepEqual(changes({ type: 'restoreEnv', container: 'app', name: 'REF', value: 'v' }), [
    { path: [...app, 'env', { name: 'REF' }, 'value'], value: 'v' },
    { path: [...app, 'env', { name: 'REF' }, 'valueFrom'], remove: true },
  ]);
  assert.deepEqual(changes({ type: 'restoreEnv', container: 'app', name: 'NEW', value: '1' }), [{ path: [...app, 'env', { name: 'NEW' }, 'value'], value: '1' }]);
  assert.match(reason({ type: 'restoreEnv', container: 'app', name: 'REF' }), /came from a reference/);
});

test('reverts a field by the analyzers\' path, JSON lists and integers typed', () => {
  assert.deepEqual(changes({ type: 'revertField', path: 'spec.containers[app].args', value: '["--port","80"]' }), [{ path: [...app, 'args'], value: ['--port', '80'] }]);
  assert.deepEqual(changes({ type: 'revertField', path: 'spec.containers[app].ports[0].containerPort', value: '8080' }), [
    { path: [...app, 'ports', 0, 'containerPort'], value: 8080 },
  ]);
  assert.deepEqual(changes({ type: 'revertField', path: 'spec.containers[app].env[A].value', value: '8080' }), [{ path: [...app, 'env', { name: 'A' }, 'value'], value: '8080' }]);
  assert.match(reason({ type: 'revertField', path: 'status.phase', value: 'x' }), /not a pod template field/);
  assert.match(reason({ type: 'revertField', path: 'spec.containers[ghost].image', value: 'x' }), /no container ghost/);
});

test('says none and unsupported for what has no edit', () => {
  assert.equal(reason({ type: 'none', reason: 'create Secret db' }), 'none: create Secret db');
  assert.match(reason({ type: 'revertCommit', commit: 'abc1234' }), /^unsupported: reverting commit abc1234/);
  assert.match(reason({ type: 'raiseResource', container: 'ghost', resource: 'cpu', field: 'limits', value: '1' }), /no container ghost/);
});
