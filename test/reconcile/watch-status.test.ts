// AegisWatches the API server accepts but that cannot work get Ready=False with a sentence
// that says what to fix, and a Warning event; a sound one is Ready and counts workloads.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CustomObjectsApi } from '@kubernetes/client-node';
import type { AegisWatch } from '../../src/api/aegis-watch.ts';
import { ClusterCache } from '../../src/reconcile/cluster-cache.ts';
import { WatchController } from '../../src/reconcile/watch-controller.ts';
import { createNamespace, deleteNamespace, deployment, eventsFor, testCluster, waitFor } from '../support/cluster.ts';
import { installCrds } from '../support/crds.ts';
import { createWatch } from '../support/gopherguard.ts';

const cluster = testCluster();
const custom = cluster.kubeConfig.makeApiClient(CustomObjectsApi);
let ns: string;
let cache: ClusterCache;
let controller: WatchController;

before(async () => {
  await installCrds(cluster.client);
  ns = await createNamespace(cluster, 'watches');
  cache = new ClusterCache({ client: cluster.client, namespaces: [ns] });
  controller = new WatchController({ client: cluster.client, cache, resyncMs: 1000 });
  await cache.start();
  controller.start();
});
after(async () => {
  await controller.stop();
  cache.stop();
  await deleteNamespace(cluster, ns);
});

function readyOf(name: string) {
  return waitFor(`Ready condition on ${name}`, async () => {
    const watch = (await custom.getNamespacedCustomObject({ group: 'gopherguard.dev', version: 'v1alpha1', namespace: ns, plural: 'aegiswatches', name })) as AegisWatch;
    const ready = watch.status?.conditions?.find((c) => c.type === 'Ready');
    return ready && watch.status?.observedGeneration === watch.metadata.generation ? { ready, status: watch.status } : undefined;
  });
}

test('an unknown Argo CD application, a missing Secret and an empty selector each get a clear Ready=False', async () => {
  await createWatch(cluster.kubeConfig, ns, 'no-app', { targets: { workloads: [{ kind: 'Deployment', name: 'web' }] }, source: { argoCD: { application: 'shop', namespace: ns } } });
  await createWatch(cluster.kubeConfig, ns, 'no-secret', {
    targets: { workloads: [{ kind: 'Deployment', name: 'web' }] },
    source: { git: { repo: 'https://git.example.test/shop/deploy.git', forge: 'gitea', secretRef: { name: 'forge-token' } } },
  });
  await createWatch(cluster.kubeConfig, ns, 'empty', { targets: { selector: { matchLabels: {} } }, source: { git: { repo: 'https://git.example.test/shop/deploy.git', forge: 'github' } } });

  const noApp = await readyOf('no-app');
  assert.equal(noApp.ready.status, 'False');
  assert.equal(noApp.ready.reason, 'SourceNotFound');
  assert.match(noApp.ready.message ?? '', /Argo CD is not installed in this cluster|Application .*shop does not exist/);

  const noSecret = await readyOf('no-secret');
  assert.deepEqual([noSecret.ready.status, noSecret.ready.reason], ['False', 'SecretNotFound']);
  assert.match(noSecret.ready.message ?? '', new RegExp(`spec\\.source\\.git\\.secretRef: Secret ${ns}/forge-token does not exist`));

  const empty = await readyOf('empty');
  assert.deepEqual([empty.ready.status, empty.ready.reason], ['False', 'EmptySelector']);
  assert.match(empty.ready.message ?? '', /selects no workload/);

  const events = await waitFor('a Warning event on the watch', async () =>
    (await eventsFor(cluster, ns, 'no-secret')).find((e) => e.type === 'Warning' && e.reason === 'SecretNotFound'));
  assert.equal(events.involvedObject.kind, 'AegisWatch');
});

test('a sound watch is Ready and counts the workloads it guards; fixing a bad one makes it Ready', async () => {
  const web = deployment({ name: 'web' });
  await cluster.apps.createNamespacedDeployment({ namespace: ns, body: web });
  await createWatch(cluster.kubeConfig, ns, 'good', { targets: { workloads: [{ kind: 'Deployment', name: 'web' }] }, source: { git: { repo: 'https://git.example.test/shop/deploy.git', forge: 'github' } } });
  const good = await waitFor('guarding one workload', async () => {
    const r = await readyOf('good');
    return r.status?.guardedWorkloads === 1 ? r : undefined;
  });
  assert.deepEqual([good.ready.status, good.ready.reason, good.ready.message], ['True', 'Guarding', 'guarding 1 workload']);

  await cluster.core.createNamespacedSecret({ namespace: ns, body: { metadata: { name: 'forge-token' }, stringData: { token: 'not-a-real-token' } } });
  const fixed = await waitFor('no-secret to become Ready', async () => {
    const r = await readyOf('no-secret');
    return r.ready.status === 'True' ? r : undefined;
  });
  assert.equal(fixed.ready.reason, 'Guarding');
});
