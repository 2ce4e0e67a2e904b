// The operator's own client against the run's sandbox API server: the credentials users
// have (exec plugins, token files), errors with the server's reason, and watch streams.
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { RbacAuthorizationV1Api, type V1ConfigMap } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { KubeApiError, KubeClient, type ListResult, type WatchEvent } from '../../src/k8s/kube-client.ts';
import { fromKubeconfigFiles } from '../../src/k8s/kubeconfig.ts';
import { createNamespace, deleteNamespace, testCluster, waitFor } from '../support/cluster.ts';

const cluster = testCluster();
let ns: string;
let dir: string;
let token: string;

before(async () => {
  ns = await createNamespace(cluster, 'client');
  dir = await mkdtemp(join(tmpdir(), 'gopherguard-client-'));
  await cluster.core.createNamespacedServiceAccount({ namespace: ns, body: { metadata: { name: 'reader' } } });
  await cluster.kubeConfig.makeApiClient(RbacAuthorizationV1Api).createNamespacedRoleBinding({
    namespace: ns,
    body: { metadata: { name: 'reader-view' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'ServiceAccount', name: 'reader', namespace: ns }] },
  });
  const request = await cluster.core.createNamespacedServiceAccountToken({ name: 'reader', namespace: ns, body: { spec: { audiences: [], expirationSeconds: 3600 } } });
  token = request.status?.token ?? '';
  assert.ok(token, 'a service-account token');
});
after(async () => {
  await deleteNamespace(cluster, ns);
  await rm(dir, { recursive: true, force: true });
});

/** A kubeconfig with the sandbox's CA and server, and the given user. */
async function kubeconfigWith(user: Record<string, unknown>): Promise<string> {
  const admin = fromKubeconfigFiles([process.env.GOPHERGUARD_TEST_KUBECONFIG ?? '']);
  const file = join(dir, `config-${Math.random().toString(36).slice(2, 7)}`);
  await writeFile(file, stringify({
    'current-context': 'sa',
    contexts: [{ name: 'sa', context: { cluster: 'sandbox', user: 'sa', namespace: ns } }],
    clusters: [{ name: 'sandbox', cluster: { server: admin.server, 'certificate-authority-data': admin.ca?.toString('base64') } }],
    users: [{ name: 'sa', user }],
  }));
  return file;
}

test('an exec credential plugin is run and its token used; what RBAC forbids is a KubeApiError with the reason', async () => {
  const plugin = join(dir, 'get-token.sh');
  await writeFile(plugin, `#!/bin/sh\necho "$CALLS" >> "${join(dir, 'calls')}"\nprintf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s"}}' "$TOKEN"\n`);
  await chmod(plugin, 0o755);
  const file = await kubeconfigWith({ exec: { apiVersion: 'client.authentication.k8s.io/v1', command: './get-token.sh', env: [{ name: 'TOKEN', value: token }, { name: 'CALLS', value: 'x' }] } });
  const client = new KubeClient(fromKubeconfigFiles([file]));
  try {
    const list = await client.get<ListResult<V1ConfigMap>>(`/api/v1/namespaces/${ns}/configmaps`);
    assert.ok(Array.isArray(list.items));
    await client.get(`/api/v1/namespaces/${ns}/pods`);
    // A token without expiry is reused, not fetched per request.
    assert.equal((await readFile(join(dir, 'calls'), 'utf8')).trim().split('\n').length, 1);
    const forbidden = await client.get(`/api/v1/namespaces/${ns}/secrets`).catch((error: unknown) => error);
    assert.ok(forbidden instanceof KubeApiError);
    assert.equal(forbidden.code, 403);
    assert.equal(forbidden.reason, 'Forbidden');
    assert.match(forbidden.message, /cannot list resource "secrets"/);
  } finally {
    client.close();
  }
});

test('a token file is read at each request, so a rotated token is picked up', async () => {
  const tokenFile = join(dir, 'token');
  await writeFile(tokenFile, 'not-a-valid-token');
  const client = new KubeClient(fromKubeconfigFiles([await kubeconfigWith({ tokenFile })]));
  try {
    const refused = await client.get(`/api/v1/namespaces/${ns}/configmaps`).catch((error: unknown) => error);
    assert.equal((refused as KubeApiError).code, 401);
    await writeFile(tokenFile, token);
    await client.get(`/api/v1/namespaces/${ns}/configmaps`);
  } finally {
    client.close();
  }
});

test('a watch streams events as they happen and ends cleanly when aborted', async () => {
  const client = cluster.client;
  const path = `/api/v1/namespaces/${ns}/configmaps`;
  const list = await client.get<ListResult<V1ConfigMap>>(path);
  const seen: Array<WatchEvent<V1ConfigMap>> = [];
  const abort = new AbortController();
  const watching = client.watch<V1ConfigMap>(path, { resourceVersion: list.metadata?.resourceVersion }, (event) => {
    // The controller manager may add kube-root-ca.crt meanwhile.
    if (event.object.metadata?.name === 'watched') seen.push(event);
  }, abort.signal);
  await client.create(path, { metadata: { name: 'watched' }, data: { a: '1' } });
  await client.mergePatch(`${path}/watched`, { data: { a: '2' } });
  await client.delete(`${path}/watched`);
  await waitFor('three events', async () => seen.length >= 3, 10_000);
  abort.abort();
  await watching;
  assert.deepEqual(seen.map((e) => [e.type, e.object.data?.a]), [['ADDED', '1'], ['MODIFIED', '2'], ['DELETED', '2']]);
  const missing = await client.get(`${path}/watched`).catch((error: unknown) => error);
  assert.equal((missing as KubeApiError).reason, 'NotFound');
});
