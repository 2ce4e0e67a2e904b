// The operator's own client against the run's sandbox API server: the credentials users
// have (exec plugins, token files), errors with the server's reason, and watch streams.
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
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

/**
 * A loopback proxy to the sandbox's API server that first answers some requests itself,
 * as a kube-apiserver does while its storage (re)initializes after a restart.
 */
async function faultyProxy(refuse: (request: IncomingMessage, seen: number) => { status: number; retryAfter?: string } | undefined) {
  const admin = fromKubeconfigFiles([process.env.GOPHERGUARD_TEST_KUBECONFIG ?? '']);
  const upstream = new URL(admin.server);
  const methods: string[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    methods.push(request.method ?? '');
    const fault = refuse(request, methods.length);
    if (fault) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (fault.retryAfter) headers['retry-after'] = fault.retryAfter;
      response.writeHead(fault.status, headers).end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'storage is (re)initializing', reason: 'TooManyRequests', code: fault.status }));
      return;
    }
    const forwarded = httpsRequest({ host: upstream.hostname, port: upstream.port, path: request.url, method: request.method, headers: { ...request.headers, host: upstream.host }, ca: admin.ca, cert: admin.cert, key: admin.key }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    forwarded.on('error', () => response.destroy());
    request.pipe(forwarded);
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const file = join(dir, `proxy-${(server.address() as AddressInfo).port}`);
  await writeFile(file, stringify({
    'current-context': 'proxy',
    contexts: [{ name: 'proxy', context: { cluster: 'proxy', user: 'proxy', namespace: ns } }],
    clusters: [{ name: 'proxy', cluster: { server: `http://127.0.0.1:${(server.address() as AddressInfo).port}` } }],
    users: [{ name: 'proxy', user: {} }],
  }));
  return { client: new KubeClient(fromKubeconfigFiles([file])), methods, close: () => server.close() };
}

test('a request the API server turns away with 429 and Retry-After is sent again, and takes effect once', async () => {
  const proxy = await faultyProxy((_request, seen) => (seen <= 2 ? { status: 429, retryAfter: '1' } : undefined));
  try {
    const started = Date.now();
    await proxy.client.create(`/api/v1/namespaces/${ns}/configmaps`, { metadata: { name: 'after-retry' }, data: { a: '1' } });
    assert.deepEqual(proxy.methods, ['POST', 'POST', 'POST']);
    assert.ok(Date.now() - started >= 2000, 'it waited the second the server asked for, twice');
    const made = await cluster.core.readNamespacedConfigMap({ name: 'after-retry', namespace: ns });
    assert.equal(made.data?.a, '1');
  } finally {
    proxy.client.close();
    proxy.close();
  }
});

test('a 500 without Retry-After is not repeated: the caller gets the error with its status', async () => {
  const proxy = await faultyProxy(() => ({ status: 500 }));
  try {
    const failed = await proxy.client.get(`/api/v1/namespaces/${ns}/configmaps`).catch((error: unknown) => error);
    assert.ok(failed instanceof KubeApiError);
    assert.equal(failed.code, 500);
    assert.equal(proxy.methods.length, 1);
  } finally {
    proxy.client.close();
    proxy.close();
  }
});

test('thirty open watches on one client leave requests a socket', async () => {
  const client = new KubeClient(fromKubeconfigFiles([process.env.GOPHERGUARD_TEST_KUBECONFIG ?? '']));
  const abort = new AbortController();
  const path = `/api/v1/namespaces/${ns}/configmaps`;
  try {
    const watches = Array.from({ length: 30 }, () => client.watch(path, { timeoutSeconds: 60 }, () => undefined, abort.signal));
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Aborted if it waits 10 s for a socket (the watches hold theirs for 60 s).
    const answer = await client.get<ListResult<V1ConfigMap>>(path, { signal: AbortSignal.timeout(10_000) });
    assert.ok(Array.isArray(answer.items), 'a list while every watch is open');
    abort.abort();
    await Promise.all(watches);
  } finally {
    client.close();
  }
});
