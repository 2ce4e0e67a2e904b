import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import type { KubernetesObject } from '@kubernetes/client-node';
import { KubeClient } from '../k8s/kube-client.ts';
import { ALL_NAMESPACES, GitOpsInformers, type SourceInformer } from './gitops-informers.ts';
import type { GitOpsRef } from './gitops-refs.ts';

/** An informer whose first lists fail with the given codes, then list `items`. */
function fakeInformer(failures: number[], items: KubernetesObject[], opened: string[], label: string): SourceInformer {
  const events = new EventEmitter();
  let store: KubernetesObject[] = [];
  return {
    async start() {
      opened.push(label);
      const code = failures.shift();
      if (code !== undefined) throw Object.assign(new Error(`HTTP ${code}`), { code });
      store = items;
      for (const item of items) events.emit('add', item);
    },
    stop() { opened.push(`stop ${label}`); },
    get: (namespace, name) => store.find((o) => o.metadata?.namespace === namespace && o.metadata.name === name),
    on: (event, handler) => void events.on(event, handler),
  };
}

const app = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'shop', namespace: 'argocd' } };

test('a missing API is said once, looked for again, and used once it appears', async () => {
  const logs: string[] = [];
  const changes: GitOpsRef[] = [];
  const opened: string[] = [];
  const failures = [404, 404];
  const informers = new GitOpsInformers({
    client: new KubeClient({ server: 'https://127.0.0.1:1', origin: 'unused' }),
    discoveryIntervalMs: 20,
    onChange: (ref) => changes.push(ref),
    log: (message) => logs.push(message),
    makeInformer: (kind, scope) => fakeInformer(failures, [app], opened, `${kind} ${scope}`),
  });
  await informers.cover('Application', [ALL_NAMESPACES]);
  assert.equal(informers.isAvailable('Application', ALL_NAMESPACES), false);
  assert.equal(informers.get({ kind: 'Application', namespace: 'argocd', name: 'shop' }), undefined);
  await sleep(150);
  assert.equal(informers.isAvailable('Application', ALL_NAMESPACES), true);
  assert.equal(informers.get({ kind: 'Application', namespace: 'argocd', name: 'shop' })?.metadata?.name, 'shop');
  assert.deepEqual(changes, [{ kind: 'Application', namespace: 'argocd', name: 'shop' }]);
  assert.deepEqual(logs, [
    'Argo CD is not installed (no applications.argoproj.io API): failures of its Applications are not detected; looking again every 0s',
    'Argo CD Applications can be watched now',
  ]);
  informers.stop();
});

test('cover opens new scopes, keeps the ones it has and closes the rest', async () => {
  const opened: string[] = [];
  const informers = new GitOpsInformers({
    client: new KubeClient({ server: 'https://127.0.0.1:1', origin: 'unused' }),
    onChange: () => undefined,
    makeInformer: (kind, scope) => fakeInformer([], [], opened, `${kind} ${scope}`),
  });
  await informers.cover('Kustomization', ['shop', 'flux-system']);
  await informers.cover('Kustomization', ['flux-system', 'web']);
  await informers.cover('Application', []);
  assert.deepEqual(opened, ['Kustomization shop', 'Kustomization flux-system', 'stop Kustomization shop', 'Kustomization web']);
  informers.stop();
});

test('a forbidden list is retried too, and a scope closed meanwhile stays closed', async () => {
  const logs: string[] = [];
  const opened: string[] = [];
  const informers = new GitOpsInformers({
    client: new KubeClient({ server: 'https://127.0.0.1:1', origin: 'unused' }),
    discoveryIntervalMs: 20,
    onChange: () => undefined,
    log: (message) => logs.push(message),
    makeInformer: (kind, scope) => fakeInformer([403, 403, 403], [], opened, `${kind} ${scope}`),
  });
  await informers.cover('Kustomization', ['argocd']);
  await sleep(30);
  await informers.cover('Kustomization', []);
  const count = opened.length;
  await sleep(80);
  assert.equal(opened.length, count, 'no retry after the scope was closed');
  assert.deepEqual(logs, ['not allowed to list kustomizations.kustomize.toolkit.fluxcd.io in namespace argocd; trying again every 0s']);
});
