import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applicationSignals, gitOpsSignals, kustomizationSignals, type ArgoApplication, type FluxCondition, type FluxKustomization } from './gitops-signals.ts';

const now = new Date('2026-11-26T10:00:00Z');
const ATTEMPTED = 'main@sha1:5394cb7f48332b2de7c17dd8b8384bbc84b7e738';
const APPLIED = 'main@sha1:67e2c98a60dc92283531412a9e604dd4bae005a9';

// As kustomize-controller v1.9 leaves a Kustomization after a failed reconcile: Ready=False
// with the error, Reconciling=True with ProgressingWithRetry, the revisions.
function kustomization(conditions: FluxCondition[]): FluxKustomization {
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: 'apps', namespace: 'flux-system', generation: 2 },
    status: { conditions, lastAttemptedRevision: ATTEMPTED, lastAppliedRevision: APPLIED, observedGeneration: 2 },
  } as FluxKustomization;
}
const at = '2026-11-26T09:58:00Z';
const buildFailed: FluxCondition = {
  type: 'Ready', status: 'False', reason: 'BuildFailed', observedGeneration: 2, lastTransitionTime: at,
  message: "kustomize build failed: accumulating resources: accumulation err='accumulating resources from 'deployment.yaml': open /tmp/kustomization-1431/apps/deployment.yaml: no such file or directory'",
};
const retrying: FluxCondition = {
  type: 'Reconciling', status: 'True', reason: 'ProgressingWithRetry', observedGeneration: 2, lastTransitionTime: at,
  message: `Fetching manifests for revision ${ATTEMPTED} with a timeout of 4m30s`,
};

test('a Kustomization with Ready=False is GitOpsSyncFailed, with the reason, message and revisions', () => {
  const [signal, ...rest] = kustomizationSignals(kustomization([retrying, buildFailed]), now);
  assert.equal(rest.length, 0);
  assert.deepEqual(signal, {
    class: 'GitOpsSyncFailed',
    workload: { kind: 'Kustomization', namespace: 'flux-system', name: 'apps' },
    object: { kind: 'Kustomization', name: 'apps' },
    reason: 'BuildFailed',
    message: buildFailed.message,
    revision: ATTEMPTED,
    appliedRevision: APPLIED,
    observedAt: now.toISOString(),
  });
});

test('a reconcile in progress (Ready=Unknown) says nothing, unless Flux has stalled', () => {
  const progressing: FluxCondition = { type: 'Ready', status: 'Unknown', reason: 'Progressing', message: 'Reconciliation in progress', lastTransitionTime: at };
  const reconciling: FluxCondition = { ...retrying, reason: 'Progressing' };
  assert.deepEqual(kustomizationSignals(kustomization([reconciling, progressing]), now), []);
  const stalled: FluxCondition = { type: 'Stalled', status: 'True', reason: 'InvalidCELExpression', message: 'Reconciliation failed terminally due to configuration error: failed to parse expression', lastTransitionTime: at };
  const signals = kustomizationSignals(kustomization([progressing, stalled]), now);
  assert.deepEqual(signals.map((s) => [s.class, s.reason, s.message]), [['GitOpsSyncFailed', 'InvalidCELExpression', stalled.message]]);
});

test('a Ready Kustomization, one without status, and one waiting on a dependency are no failure', () => {
  const ready: FluxCondition = { type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', message: `Applied revision: ${APPLIED}`, lastTransitionTime: at };
  assert.deepEqual(kustomizationSignals(kustomization([ready]), now), []);
  assert.deepEqual(kustomizationSignals({ metadata: { name: 'new', namespace: 'flux-system' } }, now), []);
  const waiting: FluxCondition = { type: 'Ready', status: 'False', reason: 'DependencyNotReady', message: "dependency 'flux-system/infra' is not ready", lastTransitionTime: at };
  assert.deepEqual(kustomizationSignals(kustomization([waiting]), now), []);
});

test('a failed apply (ReconciliationFailed) and a failed health check are failures too', () => {
  for (const reason of ['ReconciliationFailed', 'HealthCheckFailed', 'ArtifactFailed', 'PruneFailed']) {
    assert.equal(kustomizationSignals(kustomization([{ ...buildFailed, reason }]), now)[0]?.reason, reason);
  }
});

// As Argo CD 3.5's application-controller writes status: health and sync summaries, the
// managed resources with their own health, the last operation and the sync history.
const SYNCED = '8f3c0a3b9d1e4c6a2b7f5e0d9c8b7a6f5e4d3c2b';
const TARGET = 'c0ffee0b9d1e4c6a2b7f5e0d9c8b7a6f5e4d3c2b';
function application(status: object | undefined): ArgoApplication {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'shop', namespace: 'argocd' },
    spec: { project: 'default', destination: { server: 'https://kubernetes.default.svc', namespace: 'shop' }, source: { repoURL: 'https://git.example.test/shop/deploy.git', path: 'apps/shop', targetRevision: 'main' } },
    status,
  } as ArgoApplication;
}
function operation(phase: string, message: string, revision: string) {
  return {
    operation: { sync: { revision, syncStrategy: { hook: {} } }, initiatedBy: { automated: true }, retry: { limit: 5 } },
    phase, message, startedAt: '2026-11-26T09:55:00Z', finishedAt: '2026-11-26T09:56:00Z',
    syncResult: { revision, source: { repoURL: 'https://git.example.test/shop/deploy.git', path: 'apps/shop', targetRevision: 'main' } },
  };
}
const history = [{ id: 3, revision: SYNCED, deployedAt: '2026-11-26T09:40:00Z', deployStartedAt: '2026-11-26T09:39:58Z', source: { repoURL: 'https://git.example.test/shop/deploy.git', path: 'apps/shop', targetRevision: 'main' } }];

test('a Degraded Application is GitOpsDegraded, explained by its degraded resources', () => {
  const app = application({
    health: { status: 'Degraded', lastTransitionTime: '2026-11-26T09:50:00Z' },
    sync: { status: 'Synced', revision: SYNCED },
    resources: [
      { version: 'v1', kind: 'Service', namespace: 'shop', name: 'web', status: 'Synced', health: { status: 'Healthy' } },
      { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'web', status: 'Synced', health: { status: 'Degraded', message: 'Deployment "web" exceeded its progress deadline' } },
    ],
    operationState: operation('Succeeded', 'successfully synced (all tasks run)', SYNCED),
    history,
  });
  const signals = applicationSignals(app, now);
  assert.deepEqual(signals.map((s) => [s.class, s.reason, s.message, s.revision, s.appliedRevision]), [
    ['GitOpsDegraded', 'Degraded', 'Deployment/shop/web: Deployment "web" exceeded its progress deadline', SYNCED, SYNCED],
  ]);
  assert.deepEqual(signals[0]?.workload, { kind: 'Application', namespace: 'argocd', name: 'shop' });
  assert.deepEqual(signals[0]?.object, { kind: 'Application', name: 'shop' });
});

test('a sync that failed while OutOfSync is GitOpsSyncFailed with the operation message', () => {
  const message = 'one or more objects failed to apply, reason: Deployment.apps "web" is invalid: spec.template.spec.containers[0].image: Required value (retried 5 times).';
  const app = application({
    health: { status: 'Healthy' },
    sync: { status: 'OutOfSync', revision: TARGET },
    operationState: { ...operation('Failed', message, TARGET), retryCount: 5 },
    history,
  });
  assert.deepEqual(applicationSignals(app, now).map((s) => [s.class, s.reason, s.message, s.revision, s.appliedRevision]), [
    ['GitOpsSyncFailed', 'SyncFailed', message, TARGET, SYNCED],
  ]);
  const errored = application({ health: { status: 'Missing' }, sync: { status: 'OutOfSync', revision: TARGET }, operationState: operation('Error', 'ComparisonError: failed to generate manifest', TARGET) });
  assert.deepEqual(applicationSignals(errored, now).map((s) => s.reason), ['SyncError']);
});

test('an Application whose manifests cannot be generated (ComparisonError, InvalidSpecError) is GitOpsSyncFailed', () => {
  // As argocd-application-controller leaves it when the repo server cannot render the path:
  // no operation was attempted, health Unknown, sync Unknown, and a condition.
  const comparison = 'Failed to load target state: failed to generate manifest for source 1 of 1: rpc error: code = Unknown desc = apps/web: app path does not exist';
  const broken = application({ health: { status: 'Healthy' }, sync: { status: 'Unknown', revision: TARGET }, conditions: [{ type: 'ComparisonError', message: comparison }], history });
  assert.deepEqual(applicationSignals(broken, now).map((s) => [s.class, s.reason, s.message, s.revision, s.appliedRevision]), [
    ['GitOpsSyncFailed', 'ComparisonError', comparison, TARGET, SYNCED],
  ]);
  const invalid = application({ sync: { status: 'Unknown' }, conditions: [{ type: 'InvalidSpecError', message: 'application destination server \'https://gone\' and namespace \'web\' do not match any of the allowed destinations in project \'default\'' }] });
  assert.deepEqual(applicationSignals(invalid, now).map((s) => s.reason), ['InvalidSpecError']);
  // A warning condition is no failure.
  const warned = application({ health: { status: 'Healthy' }, sync: { status: 'Synced', revision: SYNCED }, conditions: [{ type: 'SharedResourceWarning', message: 'ConfigMap/x is part of another app' }] });
  assert.deepEqual(applicationSignals(warned, now), []);
});

test('a sync still running, a failed sync since fixed, and a healthy Application are no failure', () => {
  const running = application({ health: { status: 'Progressing' }, sync: { status: 'OutOfSync', revision: TARGET }, operationState: operation('Running', 'waiting for healthy state of apps/Deployment/web', TARGET) });
  const fixed = application({ health: { status: 'Healthy' }, sync: { status: 'Synced', revision: TARGET }, operationState: operation('Failed', 'an older sync failed', SYNCED) });
  const healthy = application({ health: { status: 'Healthy' }, sync: { status: 'Synced', revision: SYNCED } });
  for (const app of [running, fixed, healthy, application(undefined)]) assert.deepEqual(applicationSignals(app, now), []);
});

test('gitOpsSignals picks the reader by kind', () => {
  assert.equal(gitOpsSignals('Kustomization', kustomization([buildFailed]), now)[0]?.class, 'GitOpsSyncFailed');
  assert.equal(gitOpsSignals('Application', application({ health: { status: 'Degraded' } }), now)[0]?.class, 'GitOpsDegraded');
});
