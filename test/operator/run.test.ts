// `gopherguard run` as real processes on the run's sandbox: two replicas elect one
// leader; killing the leader hands over to the other within the lease; nothing is
// recorded twice; SIGTERM shuts down cleanly and gives the lease up.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CoordinationV1Api } from '@kubernetes/client-node';
import { createNamespace, deleteNamespace, deployment, testCluster, waitFor } from '../support/cluster.ts';
import { installCrds } from '../support/crds.ts';
import { createWatch, listIncidents } from '../support/gopherguard.ts';

const root = join(import.meta.dirname, '..', '..');
const cluster = testCluster();
const leases = cluster.kubeConfig.makeApiClient(CoordinationV1Api);
let ns: string;
const children: ChildProcess[] = [];

before(async () => {
  await installCrds(cluster.client);
  ns = await createNamespace(cluster, 'run');
  await createWatch(cluster.kubeConfig, ns, 'all', { targets: { selector: { matchExpressions: [{ key: 'app', operator: 'Exists' }] } }, source: { flux: { kustomization: 'apps' } } });
});
after(async () => {
  for (const child of children) child.kill('SIGKILL');
  await deleteNamespace(cluster, ns);
});

interface Replica { child: ChildProcess; output: () => string; healthPort: Promise<number>; metricsPort: Promise<number>; dashboardPort: Promise<number>; exited: Promise<number | null> }

function startReplica(name: string): Replica {
  const child = spawn(process.execPath, [
    'src/cli/main.ts', 'run', '-n', ns, '--kubeconfig', process.env.GOPHERGUARD_TEST_KUBECONFIG ?? '',
    '--health-addr', '127.0.0.1:0', '--metrics-addr', '127.0.0.1:0', '--dashboard-addr', '127.0.0.1:0', '--log-format', 'json', '--lease-duration', '6', '--renew-deadline', '4', '--retry-period', '1',
  ], { cwd: root, env: { ...process.env, POD_NAME: name }, stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  let text = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => { text += chunk; });
  const healthPort = waitFor(`${name} to report its health address`, async () => Number(/"health":"http:\/\/127\.0\.0\.1:(\d+)"/.exec(text)?.[1]) || undefined, 30_000);
  const metricsPort = waitFor(`${name} to report its metrics address`, async () => Number(/"metrics":"http:\/\/127\.0\.0\.1:(\d+)\/metrics"/.exec(text)?.[1]) || undefined, 30_000);
  const dashboardPort = waitFor(`${name} to report its dashboard address`, async () => Number(/"dashboard":"http:\/\/127\.0\.0\.1:(\d+)\/"/.exec(text)?.[1]) || undefined, 30_000);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => text, healthPort, metricsPort, dashboardPort, exited };
}


async function holder(): Promise<string> {
  const lease = await leases.readNamespacedLease({ name: 'gopherguard-leader', namespace: ns });
  return lease.spec?.holderIdentity ?? '';
}

test('two replicas, one leader; the leader killed, the other takes over; no duplicates; clean SIGTERM', async () => {
  const a = startReplica('alpha');
  const b = startReplica('beta');
  for (const replica of [a, b]) {
    const port = await replica.healthPort;
    const healthz = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(healthz.status, 200);
    await waitFor('readyz', async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200, 30_000);
  }
  await cluster.apps.createNamespacedDeployment({ namespace: ns, body: deployment({ name: 'first', annotations: { 'sandbox.gopherguard.dev/crash-exit-code': '3' } }) });
  await waitFor('an incident for the first app', async () => (await listIncidents(cluster.kubeConfig, ns)).find((i) => i.spec.workload.name === 'first'), 60_000);
  const leaderName = (await holder()).split('_')[0];
  assert.ok(leaderName === 'alpha' || leaderName === 'beta', `a replica holds the lease (${leaderName})`);
  const [leader, follower] = leaderName === 'alpha' ? [a, b] : [b, a];

  leader.child.kill('SIGKILL');
  const killedAt = Date.now();
  await cluster.apps.createNamespacedDeployment({ namespace: ns, body: deployment({ name: 'second', image: 'ghcr.io/gopherguard/jokeservice:0.0.0' }) });
  await waitFor('the follower to take the lease', async () => !(await holder()).startsWith(leaderName ?? ''), 30_000);
  const tookOverMs = Date.now() - killedAt;
  await waitFor('an incident for the second app, from the new leader', async () => (await listIncidents(cluster.kubeConfig, ns)).find((i) => i.spec.workload.name === 'second'), 60_000);
  assert.ok(tookOverMs < 6000 + 4000, `took over within lease duration plus retries (${tookOverMs} ms)`);

  // Prometheus metrics of the new leader: its reconciles, its queues, its cached incidents.
  const expectedMetrics = [
    /gopherguard_reconcile_total\{controller="workloads",outcome="(success|requeue-after)"\} [1-9]/,
    /gopherguard_incidents\{class="ImagePull",phase="(Detected|Diagnosed)"\} 1/,
    /gopherguard_workqueue_depth\{controller="workloads",state="ready"\} \d+/,
    /gopherguard_workqueue_queue_duration_seconds_count\{controller="workloads"\} [1-9]/,
    /gopherguard_workqueue_retries\{controller="workloads"\} \d+/,
    /gopherguard_informer_restarts\{informer="pods"\} \d+/,
  ];
  await waitFor('the metrics of the new leader', async () => {
    const text = await (await fetch(`http://127.0.0.1:${await follower.metricsPort}/metrics`)).text();
    return expectedMetrics.every((re) => re.test(text));
  }, 15_000);

  const all = await listIncidents(cluster.kubeConfig, ns);
  assert.deepEqual(all.map((i) => `${i.spec.workload.name}/${i.spec.signalClass}`).sort(), ['first/CrashLoop', 'second/ImagePull']);

  // The dashboard of the new leader serves the same incidents from its cache.
  const dashboard = `http://127.0.0.1:${await follower.dashboardPort}`;
  const served = await waitFor('both incidents on the dashboard', async () => {
    const list = await (await fetch(`${dashboard}/api/incidents`)).json() as Array<{ name?: string; metadata?: { name?: string } }>;
    const names = list.map((i) => i.name ?? i.metadata?.name ?? '');
    return all.every((i) => names.includes(i.metadata.name ?? '')) ? names : undefined;
  }, 15_000);
  assert.equal(served.length, 2);
  const page = await fetch(dashboard);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /Healing Score/);

  follower.child.kill('SIGTERM');
  assert.equal(await follower.exited, 0, `clean exit; log:\n${follower.output().slice(-2000)}`);
  assert.equal(await holder(), '', 'the lease was given up on shutdown');
});
