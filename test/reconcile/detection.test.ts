// Detection end to end on the run's tier-2 sandbox: a guarded Deployment fails, and the
// operator's controller (in-process) records exactly one HealingIncident for it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { HealingIncident } from '../../src/api/healing-incident.ts';
import { ClusterCache } from '../../src/reconcile/cluster-cache.ts';
import { WorkloadController } from '../../src/reconcile/workload-controller.ts';
import { createNamespace, deleteNamespace, deployment, eventsFor, testCluster, waitFor } from '../support/cluster.ts';
import { installCrds } from '../support/crds.ts';
import { createWatch, listIncidents } from '../support/gopherguard.ts';

const cluster = testCluster();
let ns: string;

before(async () => {
  await installCrds(cluster.client);
  ns = await createNamespace(cluster, 'detect');
  await createWatch(cluster.kubeConfig, ns, 'shop', { targets: { selector: { matchLabels: { tier: 'web' } } }, source: { flux: { kustomization: 'shop' } } });
});
after(async () => { await deleteNamespace(cluster, ns); });

function startOperator() {
  const cache = new ClusterCache({ client: cluster.client, namespaces: [ns] });
  const controller = new WorkloadController({ client: cluster.client, cache });
  return {
    async start() { await cache.start(); controller.start(); },
    async stop() { await controller.stop(); cache.stop(); },
  };
}

test('three OOM-killed replicas make one incident with evidence; a restart of the operator duplicates nothing', async () => {
  const app = deployment({
    name: 'hungry', replicas: 3,
    annotations: { 'sandbox.gopherguard.dev/needs-memory': '200Mi' },
    container: { resources: { limits: { memory: '128Mi' } } },
  });
  app.metadata = { ...app.metadata, labels: { ...app.metadata?.labels, tier: 'web' } };
  await cluster.apps.createNamespacedDeployment({ namespace: ns, body: app });
  // An unguarded failing app: no incident for it.
  await cluster.apps.createNamespacedDeployment({ namespace: ns, body: deployment({ name: 'stray', annotations: { 'sandbox.gopherguard.dev/crash-exit-code': '1' } }) });

  const operator = startOperator();
  await operator.start();
  let first: HealingIncident;
  try {
    first = await waitFor('an OOMKilled incident', async () => (await listIncidents(cluster.kubeConfig, ns)).find((i) => i.spec.signalClass === 'OOMKilled' && i.status?.evidence?.logExcerpt));
    assert.equal(first.spec.workload.name, 'hungry');
    assert.equal(first.spec.container, 'app');
    assert.equal(first.spec.watch, 'shop');
    assert.equal(first.status?.phase, 'Detected');
    assert.ok(first.status?.phaseTimestamps?.Detected);
    assert.match(first.status?.evidence?.summary ?? '', /OOMKilled in container app of pod hungry-/);
    assert.equal(first.status?.evidence?.exitCode, 137);
    assert.deepEqual(first.status?.evidence?.ownerChain?.[2], 'Deployment/hungry');
    assert.match(first.status?.evidence?.logExcerpt ?? '', /cache warm-up/);
    assert.match(first.status?.evidence?.podTemplate ?? '', /memory: 128Mi/);
    const event = await waitFor('an IncidentDetected event on the Deployment', async () =>
      (await eventsFor(cluster, ns, 'hungry')).find((e) => e.reason === 'IncidentDetected' && e.involvedObject.kind === 'Deployment'));
    assert.equal(event.type, 'Warning');
    assert.match(event.message ?? '', new RegExp(`OOMKilled: .*\\(HealingIncident ${first.metadata.name}\\)`));
    await waitFor('a second occurrence (another restart)', async () => ((await listIncidents(cluster.kubeConfig, ns)).find((i) => i.metadata.name === first.metadata.name)?.status?.occurrences ?? 0) >= 2, 30_000);
  } finally {
    await operator.stop();
  }
  const again = startOperator();
  await again.start();
  try {
    await new Promise((resolve) => setTimeout(resolve, 3000)); // several restarts happen meanwhile
    const all = await listIncidents(cluster.kubeConfig, ns);
    assert.deepEqual(all.map((i) => `${i.spec.workload.name}/${i.spec.signalClass}`), ['hungry/OOMKilled'], 'one incident, none for the unguarded app');
    assert.ok((all[0]?.status?.occurrences ?? 0) >= 2, 'occurrences kept across the restart');
    assert.equal(all[0]?.status?.firstSeen, first.status?.firstSeen);
  } finally {
    await again.stop();
  }
});
