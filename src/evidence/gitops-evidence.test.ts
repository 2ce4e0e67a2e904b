import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CoreV1Event } from '@kubernetes/client-node';
import type { GitOpsSignal } from '../detect/gitops-signals.ts';
import { gitOpsEvidence } from './gitops-evidence.ts';

const signal: GitOpsSignal = {
  class: 'GitOpsSyncFailed',
  workload: { kind: 'Kustomization', namespace: 'flux-system', name: 'apps' },
  object: { kind: 'Kustomization', name: 'apps' },
  reason: 'BuildFailed',
  message: "kustomize build failed: accumulating resources: accumulation err='accumulating resources from 'deployment.yaml'",
  revision: 'main@sha1:5394cb7f48332b2de7c17dd8b8384bbc84b7e738',
  appliedRevision: 'main@sha1:67e2c98a60dc92283531412a9e604dd4bae005a9',
  observedAt: '2026-11-26T10:00:00.000Z',
};

const event = (kind: string, name: string, reason: string, message: string): CoreV1Event => ({
  metadata: { name: `${name}.${reason}` }, involvedObject: { kind, name }, reason, message, count: 1, lastTimestamp: new Date('2026-11-26T09:59:00Z'),
});

test('the summary names the engine, the object, the reason, both revisions and the message', () => {
  const evidence = gitOpsEvidence(signal, []);
  assert.equal(
    evidence.summary,
    `GitOpsSyncFailed in Flux Kustomization flux-system/apps, reason BuildFailed, revision ${signal.revision}, last applied ${signal.appliedRevision}: ${signal.message}`,
  );
  assert.equal(evidence.reason, 'BuildFailed');
  assert.deepEqual(evidence.ownerChain, ['Kustomization/apps']);
});

test('only the engine events on this object are kept; the summary stays within 4 KiB', () => {
  const events = [event('Kustomization', 'apps', 'BuildFailed', 'kustomize build failed'), event('Kustomization', 'infra', 'ReconciliationSucceeded', 'ok'), event('Pod', 'apps', 'BackOff', 'x')];
  const evidence = gitOpsEvidence({ ...signal, message: 'y'.repeat(10_000) }, events);
  assert.deepEqual(evidence.events?.map((e) => e.reason), ['BuildFailed']);
  assert.equal(evidence.summary.length, 4096);
  assert.match(evidence.summary, /^GitOpsSyncFailed in Flux Kustomization flux-system\/apps, reason BuildFailed, revision main@sha1:5394/);
});

test('an Argo CD Application, with one revision only when nothing newer was tried', () => {
  const degraded: GitOpsSignal = {
    ...signal, class: 'GitOpsDegraded', reason: 'Degraded', workload: { kind: 'Application', namespace: 'argocd', name: 'shop' }, object: { kind: 'Application', name: 'shop' },
    message: 'Deployment/shop/web: Deployment "web" exceeded its progress deadline', revision: 'c0ffee', appliedRevision: 'c0ffee',
  };
  assert.equal(gitOpsEvidence(degraded, []).summary, 'GitOpsDegraded in Argo CD Application argocd/shop, reason Degraded, revision c0ffee: Deployment/shop/web: Deployment "web" exceeded its progress deadline');
});
