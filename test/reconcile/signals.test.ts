// Every signal class end to end on the run's tier-2 sandbox, with the workload
// controller in-process: each failing workload gets exactly one incident of the right
// class, fifty crashing replicas make one incident, and an incident on which nothing was
// done resolves itself when the workload recovers (and reopens when it fails again).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { HealingIncident } from '../../src/api/healing-incident.ts';
import { ClusterCache } from '../../src/reconcile/cluster-cache.ts';
import { WorkloadController } from '../../src/reconcile/workload-controller.ts';
import { createNamespace, deleteNamespace, deployment, testCluster, waitFor, type AppSpec } from '../support/cluster.ts';
import { installCrds } from '../support/crds.ts';
import { createWatch, listIncidents } from '../support/gopherguard.ts';

const cluster = testCluster();
let ns: string;
let cache: ClusterCache;
let controller: WorkloadController;

before(async () => {
  await installCrds(cluster.client);
  ns = await createNamespace(cluster, 'signals');
  await createWatch(cluster.kubeConfig, ns, 'everything', {
    targets: { selector: { matchExpressions: [{ key: 'app', operator: 'Exists' }] } },
    source: { git: { repo: 'https://git.example.test/shop/deploy.git', forge: 'gitea' } },
    detectors: { probeFailures: { threshold: 2 }, unschedulable: { pendingSeconds: 0 }, resolveAfterSeconds: 10 },
  });
  cache = new ClusterCache({ client: cluster.client, namespaces: [ns] });
  controller = new WorkloadController({ client: cluster.client, cache });
  await cache.start();
  controller.start();
});
after(async () => {
  await controller.stop();
  cache.stop();
  await deleteNamespace(cluster, ns);
});


const apps: Array<AppSpec & { expect: string[] }> = [
  { name: 'oom', annotations: { 'sandbox.gopherguard.dev/needs-memory': '200Mi' }, container: { resources: { limits: { memory: '100Mi' } } }, expect: ['OOMKilled'] },
  { name: 'flood', replicas: 50, annotations: { 'sandbox.gopherguard.dev/crash-exit-code': '3' }, expect: ['CrashLoop'] },
  { name: 'typo', image: 'ghcr.io/gopherguard/jokeservice:1.0.0-typo', expect: ['ImagePull'] },
  { name: 'config', container: { envFrom: [{ configMapRef: { name: 'missing' } }] }, expect: ['ConfigError'] },
  { name: 'unlive', container: { livenessProbe: { httpGet: { path: '/healthz', port: 9999 }, periodSeconds: 1, failureThreshold: 1 } }, expect: ['ProbeFailure'] },
  { name: 'huge', container: { resources: { requests: { cpu: '64' } } }, expect: ['Unschedulable'] },
  { name: 'stuck', progressDeadlineSeconds: 3, container: { readinessProbe: { httpGet: { path: '/nope', port: 8080 }, periodSeconds: 1 } }, expect: ['ProbeFailure', 'RolloutStuck'] },
  { name: 'fine', replicas: 2, expect: [] },
];

test('each failure class becomes exactly one incident of that class, and a healthy app none', async () => {
  for (const app of apps) await cluster.apps.createNamespacedDeployment({ namespace: ns, body: deployment(app) });
  const expected = apps.flatMap((a) => a.expect.map((c) => `${a.name}/${c}`)).sort();
  // A liveness kill may first be seen as a crash (events travel apart from pod status);
  // such a CrashLoop incident must end Suppressed, pointing at the probe.
  const live = (i: HealingIncident) => i.status?.phase !== 'Suppressed';
  const found = await waitFor('an incident for every failing app, and no other open one', async () => {
    const names = (await listIncidents(cluster.kubeConfig, ns)).filter(live).map((i) => `${i.spec.workload.name}/${i.spec.signalClass}`).sort();
    return expected.every((e) => names.includes(e)) && names.length === expected.length ? names : undefined;
  }, 90_000);
  assert.deepEqual(found, expected, 'no extra or duplicate incidents');
  for (const suppressed of (await listIncidents(cluster.kubeConfig, ns)).filter((i) => !live(i))) {
    assert.equal(`${suppressed.spec.workload.name}/${suppressed.spec.signalClass}`, 'unlive/CrashLoop');
    assert.match(suppressed.status?.message ?? '', /liveness-probe kills: see incident unlive-probefailure-/);
  }
  const flood = (await listIncidents(cluster.kubeConfig, ns)).find((i) => i.spec.workload.name === 'flood');
  assert.ok((flood?.status?.occurrences ?? 0) >= 1);
  const unlive = (await listIncidents(cluster.kubeConfig, ns)).find((i) => i.spec.workload.name === 'unlive' && i.spec.signalClass === 'ProbeFailure');
  assert.equal(unlive?.status?.evidence?.reason, 'LivenessProbeFailed', 'a liveness kill is not reported as the app crashing');
});

test('an untouched incident resolves itself once the workload recovers, and reopens if it fails again', async () => {
  const crashing = deployment({ name: 'flaky', annotations: { 'sandbox.gopherguard.dev/crash-exit-code': '1' } });
  await cluster.apps.createNamespacedDeployment({ namespace: ns, body: crashing });
  const opened = await waitFor('the flaky incident', async () => (await listIncidents(cluster.kubeConfig, ns)).find((i) => i.spec.workload.name === 'flaky' && i.status?.phase));
  assert.equal(opened.status?.phase, 'Detected');

  const fixed = await cluster.apps.readNamespacedDeployment({ name: 'flaky', namespace: ns });
  fixed.spec!.template.metadata!.annotations = {};
  await cluster.apps.replaceNamespacedDeployment({ name: 'flaky', namespace: ns, body: fixed });
  const resolved = await waitFor('Resolved', async () => {
    const i = (await listIncidents(cluster.kubeConfig, ns)).find((x) => x.metadata.name === opened.metadata.name);
    return i?.status?.phase === 'Resolved' ? i : undefined;
  }, 60_000);
  assert.ok(resolved.status?.phaseTimestamps?.Resolved);
  assert.match(resolved.status?.message ?? '', /recovered by itself/);

  const broken = await cluster.apps.readNamespacedDeployment({ name: 'flaky', namespace: ns });
  broken.spec!.template.metadata!.annotations = { 'sandbox.gopherguard.dev/crash-exit-code': '1' };
  await cluster.apps.replaceNamespacedDeployment({ name: 'flaky', namespace: ns, body: broken });
  const reopened = await waitFor('reopened', async () => {
    const i = (await listIncidents(cluster.kubeConfig, ns)).find((x) => x.metadata.name === opened.metadata.name);
    return i?.status?.phase === 'Detected' ? i : undefined;
  }, 60_000);
  assert.match(reopened.status?.message ?? '', /came back/);
  assert.equal((await listIncidents(cluster.kubeConfig, ns)).filter((i) => i.spec.workload.name === 'flaky').length, 1, 'the same incident, not a new one');
});
