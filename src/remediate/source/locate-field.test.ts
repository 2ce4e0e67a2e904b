import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChangePlan } from '../edit/field-change.ts';
import type { Step } from '../edit/path.ts';
import type { Workload } from '../edit/workload.ts';
import type { GitSource } from './git-source.ts';
import { detectKind, locateField } from './locate-field.ts';
import { memoryTree } from './repo-tree.ts';

const deployment = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: {tier: web}
spec:
  template:
    spec:
      containers:
        - name: app
          image: ghcr.io/acme/${name}:1.0.0
          resources:
            limits:
              memory: 128Mi
`;
const workload = (name: string, namespace?: string): Workload => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, ...(namespace ? { namespace } : {}) } });
const source = (path: string, extra: Partial<GitSource> = {}): GitSource => ({ repoURL: 'r', ref: 'main', path, kind: 'kustomize', origin: 'test', ...extra });
const memory: ChangePlan = {
  action: 'raiseResource',
  container: 'app',
  summary: '',
  changes: [{ path: ['spec', 'containers', { name: 'app' }, 'resources', 'limits', 'memory'], value: '256Mi' }],
};
const tag: ChangePlan = {
  action: 'setImageTag',
  container: 'app',
  summary: '',
  changes: [{ path: ['spec', 'containers', { name: 'app' }, 'image'], value: 'ghcr.io/acme/web:0.9.0', imageTag: '0.9.0' }],
};

async function reason(files: Record<string, string>, src: GitSource, w: Workload, plan: ChangePlan): Promise<string> {
  const location = await locateField(memoryTree(files), src, w, plan);
  assert.equal(location.located, false, JSON.stringify(location));
  return location.located ? '' : location.reason;
}

test('tells the kind of a directory from its files', async () => {
  const tree = memoryTree({ 'c/Chart.yaml': 'name: c', 'k/kustomization.yaml': 'resources: []', 'p/a.yaml': 'a: 1' });
  assert.deepEqual([await detectKind(tree, 'c'), await detectKind(tree, 'k'), await detectKind(tree, 'p')], ['helm', 'kustomize', 'plain']);
});

test('follows names through prefixes and suffixes, and patches that name the resource before them', async () => {
  const files = {
    'base/kustomization.yaml': 'resources: [deploy.yaml]\nnamePrefix: team-\n',
    'base/deploy.yaml': deployment('web'),
    'prod/kustomization.yaml': 'resources: [../base]\nnameSuffix: -prod\npatches:\n  - path: mem.yaml\n',
    'prod/mem.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: team-web\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          resources:\n            limits:\n              memory: 192Mi\n',
  };
  const location = await locateField(memoryTree(files), source('prod'), workload('team-web-prod'), memory);
  assert.ok(location.located);
  const path = ['spec', 'template', 'spec', 'containers', { name: 'app' }, 'resources', 'limits', 'memory'];
  assert.deepEqual(location.changes, [{ file: 'prod/mem.yaml', docIndex: 0, ops: [{ op: 'set', path, value: '256Mi' }] }]);
});

test('a patch file two overlays share is not edited for one of them', async () => {
  const files = {
    'base/kustomization.yaml': 'resources: [deploy.yaml]\n',
    'base/deploy.yaml': deployment('web'),
    'common/mem.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {template: {spec: {containers: [{name: app, resources: {limits: {memory: 192Mi}}}]}}}\n',
    'a/kustomization.yaml': 'resources: [../base]\npatches:\n- path: ../common/mem.yaml\n',
    'b/kustomization.yaml': 'resources: [../base]\npatches:\n- path: ../common/mem.yaml\n',
  };
  const location = await locateField(memoryTree(files), source('a'), workload('web'), memory);
  assert.ok(location.located);
  assert.equal(location.changes[0]?.file, 'a/kustomization.yaml');
  assert.match(location.notes[0] ?? '', /common\/mem.yaml is also used by b\/kustomization.yaml; the change goes into a new patch in a\/kustomization.yaml/);
});

test('refuses what cannot be traced: selectors, transformers, remote bases, cycles, engine patches', async () => {
  const base = { 'base/kustomization.yaml': 'resources: [deploy.yaml]\n', 'base/deploy.yaml': deployment('web') };
  const selector = { ...base, 'o/kustomization.yaml': 'resources: [../base]\npatches:\n- target: {kind: Deployment, labelSelector: "tier in (web, api)"}\n  patch: |-\n    - op: replace\n      path: /spec/template/spec/containers/0/resources/limits/memory\n      value: 1Gi\n' };
  assert.match(await reason(selector, source('o'), workload('web'), memory), /may or may not apply/);
  const transformers = { ...base, 'o/kustomization.yaml': 'resources: [../base]\ntransformers: [t.yaml]\n' };
  assert.match(await reason(transformers, source('o'), workload('web'), memory), /runs custom transformers/);
  const remote = { 'o/kustomization.yaml': 'resources:\n- github.com/acme/bases//web?ref=v1\n' };
  assert.match(await reason(remote, source('o'), workload('web'), memory), /no Deployment web among the 0 manifests of o; not read: o\/kustomization.yaml includes remote github.com/);
  const cycle = { 'a/kustomization.yaml': 'resources: [../b]\n', 'b/kustomization.yaml': 'resources: [../a]\n' };
  assert.match(await reason(cycle, source('a'), workload('web'), memory), /cycle: a → b → a/);
  const engine = source('base', { overrides: { patches: [{ patch: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {template: {spec: {containers: [{name: app, resources: {limits: {memory: 1Gi}}}]}}}\n' }] } });
  assert.match(await reason(base, engine, workload('web'), memory), /is set by test, not in Git/);
  const namespaced = { ...base, 'n/kustomization.yaml': 'namespace: shop\nresources: [../base]\n' };
  assert.match(await reason(namespaced, source('n'), workload('web', 'other'), memory), /^no Deployment other\/web among the 1 manifests of n$/);
  const noBase = { 'o/kustomization.yaml': 'resources: [../missing]\n' };
  assert.match(await reason(noBase, source('o'), workload('web'), memory), /missing has no kustomization file/);
});

test('an images entry of the overlay that other workloads also run is not changed for one', async () => {
  const files = {
    'o/kustomization.yaml': 'resources: [web.yaml, api.yaml]\nimages:\n- name: ghcr.io/acme/shared\n  newTag: 1.0.1\n',
    'o/web.yaml': deployment('web').replace('ghcr.io/acme/web', 'ghcr.io/acme/shared'),
    'o/api.yaml': deployment('api').replace('ghcr.io/acme/api', 'ghcr.io/acme/shared'),
  };
  const shared: ChangePlan = { ...tag, changes: [{ ...tag.changes[0], path: tag.changes[0]?.path ?? [], value: 'ghcr.io/acme/shared:1.0.0', imageTag: '1.0.0' }] };
  assert.match(await reason(files, source('o'), workload('web'), shared), /images\[0\] also sets the image of Deployment api container app/);
});

test('an image Git renders differently from what runs is not edited', async () => {
  const files = { 'o/kustomization.yaml': 'resources: [web.yaml]\nimages:\n- name: ghcr.io/acme/web\n  newName: registry.local/web\n', 'o/web.yaml': deployment('web') };
  assert.match(await reason(files, source('o'), workload('web'), tag), /Git renders image registry.local\/web:1.0.0 .* but it runs ghcr.io\/acme\/web/);
});

test('a field of a container that only a patch adds is created in that patch', async () => {
  const files = {
    'o/kustomization.yaml': 'resources: [web.yaml]\npatches:\n- path: sidecar.yaml\n',
    'o/web.yaml': deployment('web'),
    'o/sidecar.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers:\n      - name: proxy\n        image: envoyproxy/envoy:v1.29.1\n',
  };
  const plan: ChangePlan = { ...memory, changes: [{ path: ['spec', 'containers', { name: 'proxy' }, 'resources', 'limits', 'memory'], value: '64Mi' }] };
  const location = await locateField(memoryTree(files), source('o'), workload('web'), plan);
  assert.ok(location.located);
  assert.deepEqual(location.changes, [{ file: 'o/sidecar.yaml', docIndex: 0, ops: [{ op: 'set', path: ['spec', 'template', 'spec', 'containers', { name: 'proxy' }, 'resources', 'limits', 'memory'], value: '64Mi' }] }]);
  const env: ChangePlan = { ...memory, changes: [{ path: ['spec', 'containers', { name: 'proxy' }, 'env', { name: 'LOG' }, 'value'], value: 'debug' }] };
  const added = await locateField(memoryTree(files), source('o'), workload('web'), env);
  assert.ok(added.located);
  assert.equal(added.changes[0]?.file, 'o/sidecar.yaml');
  const restored = await locateField(memoryTree(files), source('o'), workload('web'), { ...env, changes: [{ ...env.changes[0], path: ['spec', 'containers', { name: 'app' }, 'env', { name: 'LOG' }, 'value'] }] });
  assert.ok(restored.located);
  assert.equal(restored.changes[0]?.file, 'o/web.yaml');
  const ghost: ChangePlan = { ...memory, changes: [{ path: ['spec', 'containers', { name: 'ghost' }, 'image'], value: 'x:1' }] };
  assert.match(await reason(files, source('o'), workload('web'), ghost), /spec.template.spec.containers\[ghost\] is neither in o\/web.yaml nor added by a patch/);
});

test('a reference an overlay patch sets over the base is removed with null, not uncovered', async () => {
  const files = {
    'o/kustomization.yaml': 'resources: [web.yaml]\npatches:\n- path: ref.yaml\n',
    'o/web.yaml': deployment('web').replace('          resources:', '          env:\n            - name: DSN\n              valueFrom: {secretKeyRef: {name: a, key: dsn}}\n          resources:'),
    'o/ref.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        env:\n        - name: DSN\n          valueFrom: {secretKeyRef: {name: b, key: dsn}}\n',
  };
  const env: Step[] = ['spec', 'template', 'spec', 'containers', { name: 'app' }, 'env', { name: 'DSN' }];
  const plan: ChangePlan = {
    ...memory,
    changes: [
      { path: ['spec', 'containers', { name: 'app' }, 'env', { name: 'DSN' }, 'value'], value: 'sqlite://' },
      { path: ['spec', 'containers', { name: 'app' }, 'env', { name: 'DSN' }, 'valueFrom'], remove: true },
    ],
  };
  const location = await locateField(memoryTree(files), source('o'), workload('web'), plan);
  assert.ok(location.located);
  assert.deepEqual(location.changes, [
    { file: 'o/web.yaml', docIndex: 0, ops: [{ op: 'set', path: [...env, 'value'], value: 'sqlite://' }] },
    { file: 'o/ref.yaml', docIndex: 0, ops: [{ op: 'set', path: [...env, 'valueFrom'], value: null }] },
  ]);
});
