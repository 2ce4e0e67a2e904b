import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gitOpsKey, parseGitOpsKey, sourceRef } from './gitops-refs.ts';

test("a Flux source defaults to the watch's namespace, an Argo CD one to argocd", () => {
  assert.deepEqual(sourceRef({ namespace: 'shop', spec: { source: { flux: { kustomization: 'apps' } } } }), { kind: 'Kustomization', namespace: 'shop', name: 'apps' });
  assert.deepEqual(sourceRef({ namespace: 'shop', spec: { source: { flux: { kustomization: 'apps', namespace: 'flux-system' } } } }), { kind: 'Kustomization', namespace: 'flux-system', name: 'apps' });
  assert.deepEqual(sourceRef({ namespace: 'shop', spec: { source: { argoCD: { application: 'shop' } } } }), { kind: 'Application', namespace: 'argocd', name: 'shop' });
  assert.deepEqual(sourceRef({ namespace: 'shop', spec: { source: { argoCD: { application: 'shop', namespace: 'apps' } } } }), { kind: 'Application', namespace: 'apps', name: 'shop' });
});

test('a Git source has no GitOps object', () => {
  const git = { repo: 'https://git.example.test/shop/deploy.git', branch: 'main', path: '.', forge: 'gitea' as const };
  assert.equal(sourceRef({ namespace: 'shop', spec: { source: { git } } }), undefined);
});

test('queue keys round-trip and reject anything else', () => {
  const ref = { kind: 'Application' as const, namespace: 'argocd', name: 'shop.prod' };
  assert.deepEqual(parseGitOpsKey(gitOpsKey(ref)), ref);
  for (const bad of ['Deployment/shop/web', 'Kustomization/shop', 'Application//x']) assert.equal(parseGitOpsKey(bad), undefined, bad);
});
