import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { V1Deployment } from '@kubernetes/client-node';
import { applyAction, ApplyActionError } from './apply-action.ts';

function deployment(): V1Deployment {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [{
            name: 'app', image: 'ghcr.io/acme/app:1.2.0@sha256:0000000000000000000000000000000000000000000000000000000000000000',
            command: ['/app/server'], ports: [{ name: 'http', containerPort: 8080 }],
            env: [{ name: 'LOG_LEVEL', value: 'info' }, { name: 'CONFIG', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'app.yml' } } }],
            resources: { limits: { memory: '256Mi' }, requests: { memory: '128Mi', cpu: '500m' } },
            livenessProbe: { httpGet: { path: '/health', port: 'http' }, periodSeconds: 5, timeoutSeconds: 2 },
          }, { name: 'side', image: 'busybox:1.36' }],
        },
      },
    },
  };
}

const app = (d: V1Deployment) => d.spec?.template.spec?.containers[0];

test('each action changes a copy, in its one place', () => {
  const before = deployment();
  const raised = applyAction(before, { type: 'raiseResource', container: 'app', resource: 'memory', field: 'limits', value: '512Mi' });
  assert.equal(app(raised)?.resources?.limits?.memory, '512Mi');
  assert.equal(app(before)?.resources?.limits?.memory, '256Mi', 'the input is not touched');

  const fitted = applyAction(before, { type: 'fitRequests', container: 'app', cpu: '250m' });
  assert.deepEqual(app(fitted)?.resources?.requests, { memory: '128Mi', cpu: '250m' });

  // Same repository, new tag; the digest pinned the old build, so it goes.
  assert.equal(app(applyAction(before, { type: 'setImageTag', container: 'app', tag: '1.1.0' }))?.image, 'ghcr.io/acme/app:1.1.0');

  const probe = app(applyAction(before, { type: 'fixProbe', container: 'app', probe: 'liveness', path: '/livez', port: 8080, timeoutSeconds: 5 }))?.livenessProbe;
  assert.deepEqual(probe, { httpGet: { path: '/livez', port: 8080 }, periodSeconds: 5, timeoutSeconds: 5 });
});

test('a startup probe asks what the liveness probe asks, long enough for the start', () => {
  const startup = app(applyAction(deployment(), { type: 'addStartupProbe', container: 'app', startupSeconds: 95 }))?.startupProbe;
  assert.deepEqual(startup, { httpGet: { path: '/health', port: 'http' }, periodSeconds: 10, failureThreshold: 10, timeoutSeconds: 2 });
});

test('restoreEnv sets a value, or brings back the definition an earlier revision had', () => {
  const before = deployment();
  assert.deepEqual(app(applyAction(before, { type: 'restoreEnv', container: 'app', name: 'LOG_LEVEL', value: 'warn' }))?.env?.[0], { name: 'LOG_LEVEL', value: 'warn' });
  const old = structuredClone(before.spec?.template ?? {});
  old.spec?.containers[0]?.env?.push({ name: 'DB_URL', valueFrom: { secretKeyRef: { name: 'db', key: 'url' } } });
  const restored = applyAction(before, { type: 'restoreEnv', container: 'app', name: 'DB_URL' }, { history: { revisions: [old] } });
  assert.deepEqual(app(restored)?.env?.at(-1), { name: 'DB_URL', valueFrom: { secretKeyRef: { name: 'db', key: 'url' } } });
  assert.throws(() => applyAction(before, { type: 'restoreEnv', container: 'app', name: 'NOPE' }), ApplyActionError);
});

test('revertField writes the analyzers path, typed as the field is', () => {
  const before = deployment();
  const key = applyAction(before, { type: 'revertField', path: 'spec.containers[app].env[CONFIG].valueFrom.configMapKeyRef.key', value: 'app.yaml' });
  assert.equal(app(key)?.env?.[1]?.valueFrom?.configMapKeyRef?.key, 'app.yaml');
  const command = applyAction(before, { type: 'revertField', path: 'spec.containers[app].command', value: '["/app/server","--v1"]' });
  assert.deepEqual(app(command)?.command, ['/app/server', '--v1']);
  const port = applyAction(before, { type: 'revertField', path: 'spec.containers[app].ports[http].containerPort', value: '9090' });
  assert.equal(app(port)?.ports?.[0]?.containerPort, 9090);
  const delay = applyAction(before, { type: 'revertField', path: 'spec.containers[app].livenessProbe.initialDelaySeconds', value: '30' });
  assert.equal(app(delay)?.livenessProbe?.initialDelaySeconds, 30);
});

test('what does not fit the workload is an ApplyActionError, and no path reaches a prototype', () => {
  const before = deployment();
  for (const action of [
    { type: 'raiseResource', container: 'nope', resource: 'memory', field: 'limits', value: '1Gi' },
    { type: 'fixProbe', container: 'app', probe: 'readiness', path: '/x' },
    { type: 'addStartupProbe', container: 'side', startupSeconds: 60 },
    { type: 'revertField', path: 'spec.containers[nope].image', value: 'x' },
    { type: 'revertField', path: 'spec.containers[app].command', value: 'not json' },
    { type: 'revertField', path: 'spec.__proto__.polluted', value: 'yes' },
    { type: 'revertField', path: 'spec.containers[app].constructor.prototype.polluted', value: 'yes' },
    { type: 'revertCommit', commit: 'abcdef1' },
  ] as const) {
    assert.throws(() => applyAction(before, action), ApplyActionError, JSON.stringify(action));
  }
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});
