// The incident store's status writes against the run's real API server, with another
// writer slipped in between its read and its write: the 409 Conflict the API server
// answers is retried on a fresh read, so neither write is lost.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { IncidentStore } from '../../src/incident/incident-store.ts';
import type { KubeClient } from '../../src/k8s/kube-client.ts';
import type { Signal } from '../../src/detect/signal.ts';
import { createNamespace, deleteNamespace, testCluster } from '../support/cluster.ts';
import { installCrds } from '../support/crds.ts';

const cluster = testCluster();
let ns: string;

before(async () => {
  await installCrds(cluster.client);
  ns = await createNamespace(cluster, 'store');
});
after(async () => {
  await deleteNamespace(cluster, ns);
});

test('a status write that meets another writer (409 Conflict) is retried on a fresh read, and both changes stay', async () => {
  const signal = (): Signal => ({
    class: 'CrashLoop', workload: { kind: 'Deployment', namespace: ns, name: 'web' }, container: 'app',
    object: { kind: 'Pod', name: 'web-1' }, reason: 'Error', restartCount: 1, observedAt: new Date().toISOString(),
  });
  const created = await new IncidentStore(cluster.client).recordSignal({ name: 'w', namespace: ns }, signal(), { summary: 'crash' });
  const path = `/apis/gopherguard.dev/v1alpha1/namespaces/${ns}/healingincidents/${created.name}`;

  // The first status write of this store is preceded by another writer's: its read is stale by then.
  let interfered = 0;
  const racing = Object.create(cluster.client) as KubeClient;
  racing.replace = async (target: string, body: unknown, options?: Parameters<KubeClient['replace']>[2]) => {
    if (interfered === 0 && target.endsWith('/status')) {
      interfered += 1;
      await cluster.client.mergePatch(`${path}/status`, { status: { message: 'the other writer was here' } });
    }
    return cluster.client.replace(target, body, options);
  };
  let attempts = 0;
  await new IncidentStore(racing).updateStatus(ns, created.name, (incident) => {
    attempts += 1;
    return incident.status ? { ...incident.status, occurrences: (incident.status.occurrences ?? 0) + 10 } : undefined;
  });
  assert.equal(interfered, 1);
  assert.equal(attempts, 2, 'read again after the conflict');
  const after = await cluster.client.get<{ status?: { occurrences?: number; message?: string } }>(path);
  assert.equal(after.status?.occurrences, 11, 'this write landed');
  assert.equal(after.status?.message, 'the other writer was here', 'and the other writer\'s change was kept');
});
