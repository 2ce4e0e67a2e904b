// The operator (in-process, leader election off) keeps detecting across a kube-apiserver
// restart on a sandbox of its own: failures that begin while its watches reconnect are
// not missed, and nothing is recorded twice.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { Operator } from '../../src/operator/operator.ts';
import { restartComponent, startSandbox, stopSandbox } from '../../src/sandbox/cluster/sandbox.ts';
import { deployment, waitFor } from '../support/cluster.ts';
import { KubeClient } from '../../src/k8s/kube-client.ts';
import { fromKubeconfigFiles } from '../../src/k8s/kubeconfig.ts';
import { installCrds } from '../support/crds.ts';
import { createWatch, listIncidents } from '../support/gopherguard.ts';

let dir: string;
let kubeConfig: KubeConfig;
let client: KubeClient;
let operator: Operator;
const ns = 'restart';
// The operator's log, shown when the test fails: which watch was waiting on what.
const operatorLog: string[] = [];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gopherguard-restart-'));
  const state = await startSandbox({ dir, tier: 2, nodes: 1 });
  kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(state.kubeconfig);
  client = new KubeClient(fromKubeconfigFiles([state.kubeconfig]));
  await installCrds(client);
  const core = kubeConfig.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: ns } } });
  await waitFor('default ServiceAccount', async () => Boolean(await core.readNamespacedServiceAccount({ name: 'default', namespace: ns })));
  await createWatch(kubeConfig, ns, 'all', { targets: { selector: { matchExpressions: [{ key: 'app', operator: 'Exists' }] } }, source: { git: { repo: 'https://git.example.test/a/b.git', forge: 'gitea' } } });
  operator = new Operator({
    client, namespaces: [ns], leaderElection: { enabled: false, namespace: ns, name: 'unused' },
    health: { host: '127.0.0.1', port: 0 },
    log: (level, message, fields) => void operatorLog.push(`${new Date().toISOString()} ${level} ${message} ${JSON.stringify(fields ?? {})}`),
  });
  await operator.start();
});
after(async () => {
  await operator.stop();
  await stopSandbox(dir);
  await rm(dir, { recursive: true, force: true });
});


test('detection resumes after a kube-apiserver restart and misses nothing that failed meanwhile', async () => {
  const apps = kubeConfig.makeApiClient(AppsV1Api);
  await apps.createNamespacedDeployment({ namespace: ns, body: deployment({ name: 'before', image: 'ghcr.io/gopherguard/jokeservice:nope' }) });
  await waitFor('the incident before the restart', async () => (await listIncidents(kubeConfig, ns)).find((i) => i.spec.workload.name === 'before' && i.status));

  await restartComponent(dir, 'kube-apiserver', 2000);
  // Fails the moment the API server is back, while the operator's watches reconnect.
  await apps.createNamespacedDeployment({ namespace: ns, body: deployment({ name: 'after', annotations: { 'sandbox.gopherguard.dev/needs-memory': '1Gi' }, container: { resources: { limits: { memory: '64Mi' } } } }) });
  // Every client (the controller manager, KWOK, the operator) reconnects on its own
  // backoff of up to 30 s, as client-go's does, so on a loaded machine this takes a while.
  await waitFor('the incident after the restart', async () => (await listIncidents(kubeConfig, ns)).find((i) => i.spec.workload.name === 'after' && i.status), 120_000)
    .catch((error: unknown) => {
      throw new Error(`${String(error)}\noperator log:\n${operatorLog.slice(-40).join('\n')}`);
    });

  const names = (await listIncidents(kubeConfig, ns)).map((i) => `${i.spec.workload.name}/${i.spec.signalClass}`).sort();
  assert.deepEqual(names, ['after/OOMKilled', 'before/ImagePull']);
});
