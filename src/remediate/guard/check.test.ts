import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { V1Deployment } from '@kubernetes/client-node';
import type { RemedyAction } from '../../diagnose/remedy-action.ts';
import { applyAction } from './apply-action.ts';
import { checkChange } from './check.ts';
import type { ChangeInput, Verdict } from './types.ts';

function deployment(): V1Deployment {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
    spec: {
      replicas: 2, selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          serviceAccountName: 'web',
          containers: [{
            name: 'app', image: 'ghcr.io/acme/app:1.2.0', command: ['/app/server'],
            ports: [{ name: 'http', containerPort: 8080 }],
            env: [{ name: 'LOG_LEVEL', value: 'info' }],
            resources: { limits: { memory: '512Mi', cpu: '1' }, requests: { memory: '256Mi', cpu: '250m' } },
            livenessProbe: { httpGet: { path: '/health', port: 8080 } },
            securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false },
          }, { name: 'side', image: 'ghcr.io/acme/side:2.0.0', ports: [{ containerPort: 9901 }] }],
        },
      },
    },
  };
}

/** An earlier revision: another tag, log level, command and privileges. */
function previous(): NonNullable<V1Deployment['spec']>['template'] {
  const template = structuredClone(deployment().spec?.template ?? {});
  const app = template.spec?.containers[0];
  if (app) {
    app.image = 'ghcr.io/acme/app:1.1.0';
    app.env = [{ name: 'LOG_LEVEL', value: 'warn' }, { name: 'LD_PRELOAD', value: '/lib/x.so' }];
    app.command = ['/app/server', '--v1'];
    app.securityContext = { privileged: true };
  }
  return template;
}

function check(action: RemedyAction, edit?: (after: V1Deployment) => void, extra: Partial<ChangeInput> = {}): Verdict {
  const before = deployment();
  const history = { revisions: [previous()] };
  const after = applyAction(before, action, { history });
  edit?.(after);
  return checkChange({ action, before, after, history, ...extra });
}

const app = (d: V1Deployment) => d.spec?.template.spec?.containers[0] ?? { name: '' };
const reasons = (verdict: Verdict) => (verdict.ok ? [] : verdict.reasons);

test('a fix that stays in its lane passes', () => {
  assert.deepEqual(check({ type: 'raiseResource', container: 'app', resource: 'memory', field: 'limits', value: '1Gi' }), { ok: true });
  assert.deepEqual(check({ type: 'setImageTag', container: 'app', tag: '1.1.0' }), { ok: true });
  assert.deepEqual(check({ type: 'restoreEnv', container: 'app', name: 'LOG_LEVEL', value: 'warn' }), { ok: true });
  assert.deepEqual(check({ type: 'revertField', path: 'spec.containers[app].command', value: '["/app/server","--v1"]' }), { ok: true });
  assert.deepEqual(check({ type: 'fixProbe', container: 'app', probe: 'liveness', path: '/livez' }), { ok: true });
  assert.deepEqual(check({ type: 'none', reason: 'explain' }), { ok: true });
});

test('every other changed path is named', () => {
  const verdict = check({ type: 'raiseResource', container: 'app', resource: 'memory', field: 'limits', value: '1Gi' }, (after) => {
    if (after.spec) after.spec.replicas = 20;
    app(after).imagePullPolicy = 'Never';
  });
  assert.deepEqual(reasons(verdict), [
    'changes spec.replicas, which a raiseResource action may not change',
    'changes spec.template.spec.containers[app].imagePullPolicy, which a raiseResource action may not change',
  ]);
});

test('bounds: 2x the value in Git, under the cap, never below the request, never removed', () => {
  // The cluster runs 1Gi already (an earlier raise); Git says 512Mi, so 1.5Gi is 3x Git.
  const before = deployment();
  const raised = applyAction(before, { type: 'raiseResource', container: 'app', resource: 'memory', field: 'limits', value: '1Gi' });
  const action: RemedyAction = { type: 'raiseResource', container: 'app', resource: 'memory', field: 'limits', value: '1536Mi' };
  assert.deepEqual(reasons(checkChange({ action, before: raised, baseline: before, after: applyAction(raised, action) })), [
    'raises the memory limit of container app to 1536Mi, more than 2x its value in Git (512Mi)',
  ]);
  assert.match(reasons(check({ type: 'raiseResource', container: 'app', resource: 'memory', field: 'limits', value: '1Gi' }, undefined, { limits: { memoryCap: '768Mi' } })).join(), /above the cap of 768Mi/);
  assert.match(reasons(check({ type: 'raiseResource', container: 'app', resource: 'cpu', field: 'requests', value: '500m' }, (after) => {
    delete app(after).resources?.limits?.cpu;
  })).join(), /removes the cpu limit of container app/);
  assert.match(reasons(check({ type: 'fitRequests', container: 'app', memory: '384Mi' })).join(), /fitRequests only lowers requests/);
  assert.deepEqual(reasons(check({ type: 'raiseResource', container: 'app', resource: 'memory', field: 'limits', value: '128Mi' })), [
    'sets the memory request of container app above its limit',
    'lowers the memory limit of container app: raiseResource only raises',
  ]);
});

test('security is never loosened, even on a path the action may change, even back to history', () => {
  const verdict = check({ type: 'revertField', path: 'spec.containers[app].securityContext.privileged', value: 'true' });
  assert.deepEqual(reasons(verdict), ['loosens security: adds container app: privileged']);
});

test('revertField restores only what history had; restoreEnv never an injection vector', () => {
  assert.match(reasons(check({ type: 'revertField', path: 'spec.containers[app].command', value: '["sh"]' })).join('\n'), /no earlier revision had that value/);
  assert.deepEqual(reasons(check({ type: 'restoreEnv', container: 'app', name: 'LD_PRELOAD', value: '/lib/x.so' })), [
    'sets env var LD_PRELOAD of container app, which changes what the process loads or trusts',
    'env var LD_PRELOAD changes what the process loads or trusts; it is never restored',
  ]);
  assert.match(reasons(check({ type: 'restoreEnv', container: 'app', name: 'LOG_LEVEL', value: 'trace' })).join(), /no earlier revision set env var LOG_LEVEL/);
  const before = deployment();
  const after = structuredClone(before);
  app(after).image = 'x';
  assert.match(reasons(checkChange({ action: { type: 'revertField', path: 'spec.containers[app', value: 'x' }, before, after })).join('\n'), /revert path spec\.containers\[app is malformed/);
});

test('image tags: the same repository, never latest, and known from history or vouched for', () => {
  assert.match(reasons(check({ type: 'setImageTag', container: 'app', tag: 'latest' })).join(), /names no particular build/);
  assert.match(reasons(check({ type: 'setImageTag', container: 'app', tag: '1.3.0' })).join(), /never run by an earlier revision/);
  assert.deepEqual(check({ type: 'setImageTag', container: 'app', tag: '1.3.0' }, undefined, { knownGoodTags: ['1.3.0'] }), { ok: true });
  assert.deepEqual(reasons(check({ type: 'setImageTag', container: 'app', tag: '1.1.0' }, (after) => {
    app(after).image = 'ghcr.io.evil.example/acme/app:1.1.0';
  })), ['changes the image repository of container app from ghcr.io/acme/app to ghcr.io.evil.example/acme/app']);
  assert.match(reasons(check({ type: 'setImageTag', container: 'app', tag: '1.1.0' }, (after) => {
    app(after).image = 'ghcr.io/evil/app@sha256:0000000000000000000000000000000000000000000000000000000000000000';
  })).join('\n'), /from ghcr\.io\/acme\/app to ghcr\.io\/evil\/app/);
});

test('identity, kind and RBAC', () => {
  assert.deepEqual(reasons(check({ type: 'setImageTag', container: 'app', tag: '1.1.0' }, (after) => {
    if (after.metadata) after.metadata.namespace = 'kube-system';
    if (after.spec?.template.spec) after.spec.template.spec.serviceAccountName = 'admin';
  })), [
    'changes metadata.namespace (the namespace may never change)',
    'changes spec.template.spec.serviceAccountName (the service account may never change)',
  ]);
  const binding = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'x' } };
  assert.deepEqual(checkChange({ action: { type: 'none', reason: 'x' }, before: binding, after: binding }), { ok: false, reasons: ['ClusterRoleBinding objects are never changed by GopherGuard'] });
  assert.deepEqual(reasons(check({ type: 'none', reason: 'x' }, (after) => void (after.kind = 'Pod'))), ['only Deployment, StatefulSet, DaemonSet objects can be changed (got Deployment → Pod)']);
});

test('a live object compares with its edited copy: server fields aside, no change is no fix', () => {
  const live = { ...deployment(), status: { replicas: 2 } };
  live.metadata = { ...live.metadata, resourceVersion: '4711', uid: 'u', generation: 3, managedFields: [] };
  const action: RemedyAction = { type: 'raiseResource', container: 'app', resource: 'memory', field: 'limits', value: '768Mi' };
  const after = applyAction(deployment(), action);
  assert.deepEqual(checkChange({ action, before: live, after }), { ok: true });
  assert.deepEqual(checkChange({ action, before: live, after: deployment() }), { ok: false, reasons: ['the proposed object is the same as the current one'] });
});
