import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AegisWatch } from '../../api/aegis-watch.ts';
import type { Workload } from '../edit/workload.ts';
import type { ArgoApplicationObject, FluxGitRepositoryObject, FluxKustomizationObject } from './gitops-objects.ts';
import { locateSource, type SourceInputs } from './locate-source.ts';

function deployment(labels: Record<string, string> = {}, annotations: Record<string, string> = {}): Workload {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop', labels, annotations } };
}

const kustomization: FluxKustomizationObject = {
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
  kind: 'Kustomization',
  metadata: { name: 'apps', namespace: 'flux-system' },
  spec: {
    path: './clusters/prod/apps/',
    sourceRef: { kind: 'GitRepository', name: 'fleet' },
    targetNamespace: 'shop',
    images: [{ name: 'ghcr.io/acme/web', newTag: '1.0.0' }],
  },
};
const repository: FluxGitRepositoryObject = {
  metadata: { name: 'fleet', namespace: 'flux-system' },
  spec: { url: 'https://github.com/acme/fleet', ref: { branch: 'main' } },
};

function app(name: string, spec: ArgoApplicationObject['spec'], namespace = 'argocd'): ArgoApplicationObject {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name, namespace }, spec };
}

function watch(source: AegisWatch['spec']['source']): SourceInputs['watch'] {
  return { metadata: { name: 'shop', namespace: 'shop' }, spec: { source } as AegisWatch['spec'] };
}

test('Flux: the Kustomization named by the labels, its GitRepository, path and overrides', () => {
  const source = locateSource({
    workload: deployment({ 'kustomize.toolkit.fluxcd.io/name': 'apps', 'kustomize.toolkit.fluxcd.io/namespace': 'flux-system' }),
    kustomizations: [kustomization],
    gitRepositories: [repository],
  });
  assert.deepEqual(source, {
    repoURL: 'https://github.com/acme/fleet',
    ref: 'main',
    refKind: 'branch',
    path: 'clusters/prod/apps',
    kind: 'kustomize',
    generatesKustomization: true,
    overrides: { namespace: 'shop', images: [{ name: 'ghcr.io/acme/web', newTag: '1.0.0' }] },
    origin: 'Flux Kustomization flux-system/apps',
  });
});

test('Flux: refs by precedence, master by default, and what cannot be a Git source', () => {
  const labels = { 'kustomize.toolkit.fluxcd.io/name': 'apps', 'kustomize.toolkit.fluxcd.io/namespace': 'flux-system' };
  const withRef = (ref: NonNullable<FluxGitRepositoryObject['spec']>['ref']) =>
    locateSource({ workload: deployment(labels), kustomizations: [kustomization], gitRepositories: [{ ...repository, spec: { url: 'u', ref } }] });
  assert.equal(withRef({ branch: 'main', tag: 'v1', commit: 'abc' }).ref, 'abc');
  assert.equal(withRef({ branch: 'main', tag: 'v1' }).refKind, 'tag');
  assert.equal(withRef(undefined).ref, 'master');
  const oci = { ...kustomization, spec: { ...kustomization.spec, sourceRef: { kind: 'OCIRepository', name: 'fleet' } } };
  assert.throws(() => locateSource({ workload: deployment(labels), kustomizations: [oci], gitRepositories: [repository] }), /reads from a OCIRepository fleet, not a GitRepository/);
  assert.throws(() => locateSource({ workload: deployment(labels), kustomizations: [], gitRepositories: [] }), /Flux Kustomization flux-system\/apps \(which applied Deployment shop\/web\) is not in the cache/);
  assert.throws(() => locateSource({ workload: deployment(labels), kustomizations: [kustomization], gitRepositories: [] }), /GitRepository flux-system\/fleet .* is not in the cache/);
});

test('Argo CD: the tracking annotation names the Application; Helm value files resolve against its path', () => {
  const shop = app('shop', {
    source: {
      repoURL: 'https://github.com/acme/charts.git',
      targetRevision: 'release-1',
      path: 'charts/storefront',
      helm: { valueFiles: ['env/prod.yaml', '../shared/common.yaml'], valuesObject: { api: { replicaCount: 3 } }, parameters: [{ name: 'api.image.tag', value: '1' }] },
    },
  });
  const source = locateSource({ workload: deployment({}, { 'argocd.argoproj.io/tracking-id': 'shop:apps/Deployment:shop/web' }), applications: [shop] });
  assert.deepEqual(source, {
    repoURL: 'https://github.com/acme/charts.git',
    ref: 'release-1',
    refKind: 'revision',
    path: 'charts/storefront',
    kind: 'helm',
    helm: {
      valueFiles: ['charts/storefront/env/prod.yaml', 'charts/shared/common.yaml'],
      values: { api: { replicaCount: 3 } },
      parameters: [{ name: 'api.image.tag', value: '1' }],
    },
    origin: 'Argo CD Application argocd/shop',
  });
});

test('Argo CD: multiple sources, $ref value files, kustomize overrides and the instance label', () => {
  const multi = app('shop', {
    sources: [
      { repoURL: 'https://github.com/acme/deploy', targetRevision: 'main', ref: 'values' },
      { repoURL: 'https://github.com/acme/deploy.git', targetRevision: 'main', path: 'charts/web', helm: { valueFiles: ['$values/env/prod/web.yaml'], values: 'api:\n  replicas: 2\n' } },
    ],
  });
  const source = locateSource({ workload: deployment({ 'app.kubernetes.io/instance': 'shop' }), applications: [multi] });
  assert.deepEqual(source.helm, { valueFiles: ['env/prod/web.yaml'], values: { api: { replicas: 2 } } });
  const kustomized = app('shop', { source: { repoURL: 'r', path: 'overlays/prod', kustomize: { namePrefix: 'p-', images: ['ghcr.io/acme/web:2.0', 'old=ghcr.io/acme/new@sha256:abc'] } } });
  assert.deepEqual(locateSource({ workload: deployment({ 'app.kubernetes.io/instance': 'shop' }), applications: [kustomized] }).overrides, {
    namePrefix: 'p-',
    images: [{ name: 'ghcr.io/acme/web', newTag: '2.0' }, { name: 'old', newName: 'ghcr.io/acme/new', digest: 'sha256:abc' }],
  });
  const directory = app('shop', { source: { repoURL: 'r', path: '.', directory: { recurse: true } } });
  assert.deepEqual(locateSource({ workload: deployment({ 'app.kubernetes.io/instance': 'shop' }), applications: [directory] }), {
    repoURL: 'r', ref: 'HEAD', refKind: 'revision', path: '', kind: 'plain', recurse: true, origin: 'Argo CD Application argocd/shop',
  });
});

test('Argo CD: says why an Application cannot be traced to files', () => {
  const tracked = deployment({}, { 'argocd.argoproj.io/tracking-id': 'team_shop:apps/Deployment:shop/web' });
  assert.throws(() => locateSource({ workload: tracked, applications: [app('shop', {}, 'argocd')] }), /Argo CD Application team\/shop is not in the cache/);
  const chart = app('shop', { source: { repoURL: 'https://charts.example.com', chart: 'web', targetRevision: '1.2.3' } }, 'team');
  assert.throws(() => locateSource({ workload: tracked, applications: [chart] }), /installs chart web from a Helm repository; its templates are not in Git/);
  const two = app('shop', { sources: [{ repoURL: 'a', path: 'x' }, { repoURL: 'b', path: 'y' }] }, 'team');
  assert.throws(() => locateSource({ workload: tracked, applications: [two] }), /has 2 sources that render manifests/);
  const otherRepo = app('shop', { sources: [{ repoURL: 'https://github.com/acme/values', ref: 'v' }, { repoURL: 'https://github.com/acme/charts', path: 'c', helm: { valueFiles: ['$v/prod.yaml'] } }] }, 'team');
  assert.throws(() => locateSource({ workload: tracked, applications: [otherRepo] }), /from another repository/);
  const copied = deployment({}, { 'argocd.argoproj.io/tracking-id': 'shop:apps/Deployment:shop/api' });
  assert.throws(() => locateSource({ workload: copied, applications: [] }), /names another object/);
  const label = deployment({ 'app.kubernetes.io/instance': 'my-release' });
  assert.throws(() => locateSource({ workload: label, applications: [] }), /from the app.kubernetes.io\/instance label, which Helm charts also set/);
});

test('the watch: spec.source.git wins, spec.source.argoCD and flux are used without tracking, and a clear error otherwise', () => {
  const git = watch({ git: { repo: 'https://github.com/acme/shop', branch: 'prod', path: './deploy/', forge: 'github' } });
  const flux = deployment({ 'kustomize.toolkit.fluxcd.io/name': 'apps', 'kustomize.toolkit.fluxcd.io/namespace': 'flux-system' });
  assert.deepEqual(locateSource({ workload: flux, watch: git }), {
    repoURL: 'https://github.com/acme/shop', ref: 'prod', refKind: 'branch', path: 'deploy', recurse: true, origin: 'AegisWatch shop/shop spec.source.git',
  });
  const named = watch({ argoCD: { application: 'shop' } });
  assert.equal(locateSource({ workload: deployment(), watch: named, applications: [app('shop', { source: { repoURL: 'r', path: 'p' } })] }).path, 'p');
  const byFlux = watch({ flux: { kustomization: 'apps', namespace: 'flux-system' } });
  assert.equal(locateSource({ workload: deployment(), watch: byFlux, kustomizations: [kustomization], gitRepositories: [repository] }).path, 'clusters/prod/apps');
  assert.throws(() => locateSource({ workload: deployment() }), {
    name: 'SourceError',
    message: 'no Flux labels and no Argo CD tracking on Deployment shop/web; set spec.source.git on the AegisWatch',
  });
  assert.throws(() => locateSource({ workload: deployment({ 'helm.toolkit.fluxcd.io/name': 'web' }) }), /Flux HelmRelease web/);
});
