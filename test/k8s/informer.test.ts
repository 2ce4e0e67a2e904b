// The informer against a real API server of its own, which this test restarts.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CoreV1Api, KubeConfig, type V1ConfigMap } from '@kubernetes/client-node';
import { Informer } from '../../src/k8s/informer.ts';
import { KubeClient } from '../../src/k8s/kube-client.ts';
import { fromKubeconfigFiles } from '../../src/k8s/kubeconfig.ts';
import { restartComponent, startSandbox, stopSandbox } from '../../src/sandbox/cluster/sandbox.ts';
import { waitFor } from '../support/cluster.ts';

let dir: string;
let core: CoreV1Api;
let client: KubeClient;
const namespace = 'informer';

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gopherguard-informer-'));
  const state = await startSandbox({ dir, tier: 1 });
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(state.kubeconfig);
  core = kubeConfig.makeApiClient(CoreV1Api);
  client = new KubeClient(fromKubeconfigFiles([state.kubeconfig]));
  await core.createNamespace({ body: { metadata: { name: namespace } } });
});
after(async () => {
  await stopSandbox(dir);
  await rm(dir, { recursive: true, force: true });
});

function configMapInformer(): Informer<V1ConfigMap> {
  return new Informer<V1ConfigMap>({
    client,
    name: 'configmaps',
    path: `/api/v1/namespaces/${namespace}/configmaps`,
    backoff: { initialMs: 200, maxMs: 2000 },
  });
}

const cm = (name: string, value = '1'): V1ConfigMap => ({
  metadata: { name, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"secret":"hunter2"}' } },
  data: { value },
});

test('lists, then follows adds, updates and deletes, caching trimmed objects', async () => {
  await core.createNamespacedConfigMap({ namespace, body: cm('before-start') });
  const informer = configMapInformer();
  const seen: string[] = [];
  informer.on('add', (o) => seen.push(`add ${o.metadata?.name}`));
  informer.on('update', (o, old) => seen.push(`update ${o.metadata?.name} ${old?.data?.value}->${o.data?.value}`));
  informer.on('delete', (o) => seen.push(`delete ${o.metadata?.name}`));
  informer.on('add', () => { throw new Error('a broken handler must not break the informer'); });
  await informer.start();
  try {
    assert.ok(informer.hasSynced);
    await core.createNamespacedConfigMap({ namespace, body: cm('live') });
    await core.replaceNamespacedConfigMap({ name: 'live', namespace, body: cm('live', '2') });
    await core.deleteNamespacedConfigMap({ name: 'live', namespace });
    await waitFor('the delete', async () => seen.includes('delete live'), 10_000);
    assert.deepEqual(seen.filter((s) => s.includes('live') || s.includes('before-start')), ['add before-start', 'add live', 'update live 1->2', 'delete live']);
    const cached = informer.get(namespace, 'before-start');
    assert.equal(cached?.metadata?.managedFields, undefined, 'managedFields trimmed');
    assert.equal(cached?.metadata?.annotations?.['kubectl.kubernetes.io/last-applied-configuration'], undefined, 'last-applied dropped');
  } finally {
    informer.stop();
  }
});

test('survives a kube-apiserver restart and misses nothing created around it', async () => {
  const informer = configMapInformer();
  await informer.start();
  try {
    await restartComponent(dir, 'kube-apiserver', 1000);
    // Created the moment the API server is back, possibly before the informer reconnects.
    await core.createNamespacedConfigMap({ namespace, body: cm('after-restart') });
    await waitFor('the object created after the restart', async () => informer.get(namespace, 'after-restart'), 30_000);
    assert.ok(informer.stats.restarts >= 1, 'the watch was restarted');
    await core.createNamespacedConfigMap({ namespace, body: cm('later') });
    await waitFor('a later object, over the resumed watch', async () => informer.get(namespace, 'later'), 10_000);
  } finally {
    informer.stop();
  }
});
