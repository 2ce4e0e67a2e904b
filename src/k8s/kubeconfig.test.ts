import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { stringify } from 'yaml';
import { fromKubeconfigFiles, inCluster, loadClusterAccess } from './kubeconfig.ts';

let dir: string;
before(async () => { dir = await mkdtemp(join(tmpdir(), 'gopherguard-kubeconfig-')); });
after(async () => { await rm(dir, { recursive: true, force: true }); });

const config = (overrides: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Config',
  'current-context': 'dev',
  contexts: [{ name: 'dev', context: { cluster: 'c1', user: 'u1', namespace: 'shop' } }],
  clusters: [{ name: 'c1', cluster: { server: 'https://127.0.0.1:6443/', 'certificate-authority': 'ca.crt' } }],
  users: [{ name: 'u1', user: { 'client-certificate-data': Buffer.from('CERT').toString('base64'), 'client-key': 'keys/u1.key' } }],
  ...overrides,
});

test('reads the current context: server, CA and key files relative to the kubeconfig, inline cert, namespace', async () => {
  await writeFile(join(dir, 'ca.crt'), 'CA');
  await mkdir(join(dir, 'keys'), { recursive: true });
  await writeFile(join(dir, 'keys', 'u1.key'), 'KEY');
  const file = join(dir, 'config');
  await writeFile(file, stringify(config()));
  const access = fromKubeconfigFiles([file]);
  assert.equal(access.server, 'https://127.0.0.1:6443');
  assert.equal(access.ca?.toString(), 'CA');
  assert.equal(access.cert?.toString(), 'CERT');
  assert.equal(access.key?.toString(), 'KEY');
  assert.equal(access.namespace, 'shop');
});

test('several files merge as kubectl merges them: the first to define a name wins', async () => {
  const first = join(dir, 'first');
  const second = join(dir, 'second');
  await writeFile(first, stringify({ 'current-context': 'prod', contexts: [{ name: 'prod', context: { cluster: 'p', user: 'bot' } }] }));
  await writeFile(second, stringify({
    'current-context': 'dev',
    clusters: [{ name: 'p', cluster: { server: 'https://prod.example:443' } }],
    users: [{ name: 'bot', user: { token: 't0k3n' } }],
  }));
  const access = loadClusterAccess(undefined, { KUBECONFIG: `${first}:${second}` });
  assert.equal(access.server, 'https://prod.example:443');
  assert.equal(access.token, 't0k3n');
});

test('a kubeconfig that names what it does not define says which name is missing', async () => {
  const file = join(dir, 'broken');
  await writeFile(file, stringify(config({ contexts: [{ name: 'dev', context: { cluster: 'nope', user: 'u1' } }] })));
  assert.throws(() => fromKubeconfigFiles([file]), /cluster "nope" of context "dev" is not defined/);
  await writeFile(file, stringify(config({ 'current-context': '' })));
  assert.throws(() => fromKubeconfigFiles([file]), /sets no current-context/);
  await writeFile(file, 'clusters: [');
  assert.throws(() => fromKubeconfigFiles([file]), /cannot read kubeconfig/);
});

test('exec credential plugins are kept with their folder, args and env', async () => {
  const file = join(dir, 'exec');
  await writeFile(file, stringify(config({
    users: [{ name: 'u1', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: './get-token', args: ['--cluster', 'c1'], env: [{ name: 'REGION', value: 'eu' }] } } }],
  })));
  assert.deepEqual(fromKubeconfigFiles([file]).exec, { command: './get-token', args: ['--cluster', 'c1'], env: { REGION: 'eu' }, cwd: dir });
});

test('in a cluster: the service account token file (re-read on use), CA and namespace', async () => {
  const sa = join(dir, 'sa');
  await mkdir(sa, { recursive: true });
  await writeFile(join(sa, 'ca.crt'), 'CA');
  await writeFile(join(sa, 'token'), 'tok');
  await writeFile(join(sa, 'namespace'), 'gopherguard\n');
  const access = inCluster({ KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' }, sa);
  assert.equal(access.server, 'https://[fd00::1]:443');
  assert.equal(access.tokenFile, join(sa, 'token'));
  assert.equal(access.namespace, 'gopherguard');
  assert.throws(() => inCluster({}, sa), /KUBERNETES_SERVICE_HOST/);
});
