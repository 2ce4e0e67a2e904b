// The dry-run's protocol, against a stand-in client (the sandbox test runs it for real).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KubeApiError, type RequestOptions } from '../../k8s/kube-client.ts';
import { dryRunChange, objectPath, type DryRunClient } from './dry-run.ts';
import { guardChange } from './guard.ts';
import type { Workload } from './types.ts';

interface Call {
  method: 'GET' | 'PUT';
  path: string;
  options?: RequestOptions;
  body?: unknown;
}

/** Answers GETs with a live object at an increasing resourceVersion; PUTs from the script. */
function standIn(puts: (Error | undefined)[]): { client: DryRunClient; calls: Call[] } {
  const calls: Call[] = [];
  let version = 10;
  const client: DryRunClient = {
    get: async <T>(path: string, options?: RequestOptions) => {
      calls.push({ method: 'GET', path, options });
      return { metadata: { name: 'web', namespace: 'shop', resourceVersion: String(version++) } } as T;
    },
    replace: async <T>(path: string, body: unknown, options?: RequestOptions) => {
      calls.push({ method: 'PUT', path, body, options });
      const error = puts.shift();
      if (error) throw error;
      return body as T;
    },
  };
  return { client, calls };
}

const web: Workload = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { template: { spec: { containers: [{ name: 'app', image: 'x:1' }] } } } };
const conflict = () => new KubeApiError(409, 'Conflict', 'PUT /apis/apps/v1/namespaces/shop/deployments/web: 409 Conflict: the object has been modified');

test('a PUT with dryRun=All and fieldValidation=Strict, carrying the live resourceVersion', async () => {
  const { client, calls } = standIn([]);
  const verdict = await dryRunChange(client, web, { namespace: 'shop' });
  assert.equal(verdict.ok, true);
  assert.deepEqual(calls.map((c) => `${c.method} ${c.path}`), ['GET /apis/apps/v1/namespaces/shop/deployments/web', 'PUT /apis/apps/v1/namespaces/shop/deployments/web']);
  assert.deepEqual(calls[1]?.options?.query, { dryRun: 'All', fieldValidation: 'Strict' });
  assert.deepEqual((calls[1]?.body as Workload).metadata, { name: 'web', namespace: 'shop', resourceVersion: '10' });
  assert.equal(web.metadata?.namespace, undefined, 'the caller\'s object is not touched');
});

test('a conflict is read again and retried once; twice is worth asking later', async () => {
  const once = standIn([conflict()]);
  assert.equal((await dryRunChange(once.client, web, { namespace: 'shop' })).ok, true);
  assert.deepEqual(once.calls.map((c) => c.method), ['GET', 'PUT', 'GET', 'PUT']);
  assert.equal((once.calls[3]?.body as Workload).metadata?.resourceVersion, '11');
  const twice = standIn([conflict(), conflict()]);
  const verdict = await dryRunChange(twice.client, web, { namespace: 'shop' });
  assert.equal(verdict.ok, false);
  assert.equal(!verdict.ok && verdict.retryable, true);
});

test('a refusal carries the API server\'s own message', async () => {
  const invalid = new KubeApiError(422, 'Invalid', 'PUT /apis/apps/v1/namespaces/shop/deployments/web: 422 Invalid: Deployment.apps "web" is invalid: spec.template.spec.containers[0].resources.limits[memory]: Invalid value: "12XB": quantities must match the regular expression');
  const verdict = await dryRunChange(standIn([invalid]).client, web, { namespace: 'shop' });
  assert.deepEqual(verdict, { ok: false, reasons: ['the API server refused the change (422 Invalid): Deployment.apps "web" is invalid: spec.template.spec.containers[0].resources.limits[memory]: Invalid value: "12XB": quantities must match the regular expression'] });
  const down = await dryRunChange(standIn([new Error('connect ECONNREFUSED 127.0.0.1:6443')]).client, web, { namespace: 'shop' });
  assert.deepEqual(down, { ok: false, reasons: ['the dry-run could not reach the API server: connect ECONNREFUSED 127.0.0.1:6443'], retryable: true });
});

test('only workloads with a valid name and namespace have a path', () => {
  assert.equal(objectPath({ ...web, kind: 'StatefulSet', metadata: { name: 'db', namespace: 'data' } }), '/apis/apps/v1/namespaces/data/statefulsets/db');
  assert.deepEqual(objectPath({ ...web, kind: 'Secret' }, 'shop'), { reason: 'cannot dry-run a Secret' });
  assert.match((objectPath({ ...web, metadata: { name: '../../secrets/x' } }, 'shop') as { reason: string }).reason, /valid name and namespace/);
  assert.match((objectPath(web) as { reason: string }).reason, /valid name and namespace/);
});

test('guardChange sends nothing the policy refused, and says who refused', async () => {
  const { client, calls } = standIn([new KubeApiError(422, 'Invalid', 'PUT x: 422 Invalid: nope')]);
  const after = structuredClone(web);
  after.spec?.template?.spec?.containers.push({ name: 'miner', image: 'evil.example/miner:1' });
  const refused = await guardChange(client, { action: { type: 'none', reason: 'x' }, before: web, after, namespace: 'shop' });
  assert.equal(refused.ok === false && refused.stage, 'policy');
  assert.equal(calls.length, 0);
  const fixed = structuredClone(web);
  const raised = await guardChange(client, { action: { type: 'raiseResource', container: 'app', resource: 'memory', field: 'limits', value: '1Gi' }, before: web, after: { ...fixed, spec: { template: { spec: { containers: [{ name: 'app', image: 'x:1', resources: { limits: { memory: '1Gi' } } }] } } } }, namespace: 'shop' });
  assert.deepEqual(raised, { ok: false, stage: 'dry-run', reasons: ['the API server refused the change (422 Invalid): nope'] });
});
