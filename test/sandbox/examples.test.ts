// The example manifests the README and the demo point people to behave as their comments say.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import type { V1Deployment } from '@kubernetes/client-node';
import { readManifests } from '../../src/sandbox/cluster/apply.ts';
import { containerStatus, createNamespace, deleteNamespace, testCluster, waitForPod } from '../support/cluster.ts';

const cluster = testCluster();
let ns: string;
before(async () => { ns = await createNamespace(cluster, 'examples'); });
after(async () => { await deleteNamespace(cluster, ns); });

const expectations: Record<string, { what: string; check: Parameters<typeof waitForPod>[4] }> = {
  'jokeservice-oom': { what: 'OOMKilled', check: (p) => containerStatus(p)?.lastState?.terminated?.reason === 'OOMKilled' },
  'jokeservice-typo': { what: 'ErrImagePull', check: (p) => /ErrImagePull|ImagePullBackOff/.test(containerStatus(p)?.state?.waiting?.reason ?? '') },
  'jokeservice-unready': { what: 'Running but not Ready', check: (p) => p.status?.phase === 'Running' && containerStatus(p)?.ready === false },
  'jokeservice-noenv': { what: 'exit 1', check: (p) => containerStatus(p)?.lastState?.terminated?.exitCode === 1 },
};

test('every example in examples/sandbox fails the way its comment says', async () => {
  const manifests = (await readManifests(join(import.meta.dirname, '..', '..', 'examples', 'sandbox'))) as V1Deployment[];
  assert.deepEqual(manifests.map((m) => m.metadata?.name).sort(), Object.keys(expectations).sort());
  for (const body of manifests) await cluster.apps.createNamespacedDeployment({ namespace: ns, body });
  for (const [name, { what, check }] of Object.entries(expectations)) {
    await waitForPod(cluster, ns, name, what, check);
  }
});
