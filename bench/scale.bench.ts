// The operator's cache at scale: memory and initial sync with N pods in M Deployments.
// A tier-1 sandbox is filled directly through the API (Deployments, their ReplicaSets,
// pods of realistic size with a Running status), then a fresh child process per variant
// syncs a cache against it, so the population's own memory counts nowhere.
//
// Usage: npm run bench -- scale [--pods 10000] [--deployments 1000] [--namespaces 10] [--concurrency 32]
//          [--child-flags="--max-semi-space-size=2 --max-old-space-size=128"]   (V8/Node flags for the measuring children, space-separated;
//          the default is what deploy/operator/deployment.yaml sets, and the children get its MALLOC_* settings)
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import { CoreV1Api } from '@kubernetes/client-node';
import { trimObject } from '../src/k8s/trim.ts';
import {
  benchDeployment, benchNode, benchPod, benchReplicaSet, cpuMeter, describeCpu, rawRequester, runPool, runningStatus, withTier1Sandbox, type AppNames,
} from './bench-cluster.ts';
import type { ChildResult } from './scale-child.ts';
import { printTable } from './table.ts';

const { values } = parseArgs({
  options: {
    pods: { type: 'string', default: '10000' },
    deployments: { type: 'string', default: '1000' },
    namespaces: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '32' },
    // The NODE_OPTIONS of deploy/operator/deployment.yaml.
    'child-flags': { type: 'string', default: '--max-semi-space-size=2 --max-old-space-size=128' },
  },
});
const podCount = Number(values.pods);
const deploymentCount = Number(values.deployments);
const namespaceCount = Number(values.namespaces);
const concurrency = Number(values.concurrency);
const childFlags = values['child-flags'].split(/\s+/).filter(Boolean);
// glibc's malloc settings of deploy/operator/deployment.yaml, unless the environment gives its own.
const MALLOC = {
  MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
  MALLOC_MMAP_THRESHOLD_: process.env.MALLOC_MMAP_THRESHOLD_ ?? '131072',
  MALLOC_TRIM_THRESHOLD_: process.env.MALLOC_TRIM_THRESHOLD_ ?? '131072',
};
for (const [name, value] of Object.entries({ podCount, deploymentCount, namespaceCount, concurrency })) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${value}`);
}
if (deploymentCount > podCount) throw new Error('at least one pod per Deployment');

const GOAL = { rssBytes: 150e6, syncMs: 10_000 };
const started = performance.now();
const apps: AppNames[] = Array.from({ length: deploymentCount }, (_, i) => {
  const name = `svc-${String(i).padStart(4, '0')}`;
  return { namespace: `team-${String(i % namespaceCount).padStart(2, '0')}`, name, labels: { app: name, tier: 'web' }, hash: (0x6c5b4a39 + i).toString(16) };
});

interface Phase {
  name: string;
  objects: number;
  requests: number;
  ms: number;
}

const result = await withTier1Sandbox(async ({ kubeConfig, state }) => {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const api = await rawRequester(state, concurrency);
  const endPopulationCpu = await cpuMeter(state.processes.map((p) => p.pid));
  const phases: Phase[] = [];
  const timed = async (name: string, objects: number, requests: number, run: () => Promise<void>) => {
    const at = performance.now();
    await run();
    phases.push({ name, objects, requests, ms: performance.now() - at });
    console.error(`${name}: ${objects} in ${((performance.now() - at) / 1000).toFixed(1)} s`);
  };

  const namespaces = [...new Set(apps.map((a) => a.namespace))];
  await timed('Namespaces, a Node, an AegisWatch per namespace', namespaces.length * 2 + 1, namespaces.length * 2 + 1, async () => {
    await api('POST', '/api/v1/nodes', benchNode());
    await runPool(namespaces, concurrency, async (name) => {
      await api('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
      await api('POST', `/apis/gopherguard.dev/v1alpha1/namespaces/${name}/aegiswatches`, {
        apiVersion: 'gopherguard.dev/v1alpha1', kind: 'AegisWatch', metadata: { name: 'web' },
        spec: { targets: { selector: { matchLabels: { tier: 'web' } } }, source: { flux: { kustomization: name } } },
      });
    });
  });

  // Pods spread evenly; the first (podCount % deploymentCount) Deployments get one more.
  const replicas = (i: number) => Math.floor(podCount / deploymentCount) + (i < podCount % deploymentCount ? 1 : 0);
  const replicaSetUids = new Map<string, string>();
  await timed('Deployments + ReplicaSets', deploymentCount * 2, deploymentCount * 2, () =>
    runPool(apps.entries(), concurrency, async ([i, app]) => {
      const deployment = await api('POST', `/apis/apps/v1/namespaces/${app.namespace}/deployments`, benchDeployment(app, replicas(i)));
      const rs = await api('POST', `/apis/apps/v1/namespaces/${app.namespace}/replicasets`, benchReplicaSet(app, deployment.metadata?.uid ?? '', replicas(i)));
      replicaSetUids.set(app.name, rs.metadata?.uid ?? '');
    }));

  function* podJobs() {
    let index = 0;
    for (const [i, app] of apps.entries()) for (let p = 0; p < replicas(i); p += 1) yield { app, p, index: index++ };
  }
  let done = 0;
  await timed('Pods (create + pods/status patch to Running)', podCount, podCount * 2, () =>
    runPool(podJobs(), concurrency, async ({ app, p, index }) => {
      const pod = benchPod(app, replicaSetUids.get(app.name) ?? '', `p${p}`);
      const path = `/api/v1/namespaces/${app.namespace}/pods`;
      await api('POST', path, pod);
      // Create drops any status (the API server resets it to Pending), so the kubelet's part is a second write.
      await api('PATCH', `${path}/${pod.metadata?.name}/status`, { status: runningStatus(pod, index) });
      done += 1;
      if (done % 1000 === 0) console.error(`  ${done}/${podCount} pods`);
    }));
  const populationCpu = await endPopulationCpu();

  const sample = (await core.listPodForAllNamespaces({ limit: 1 })).items[0];
  const podBytes = { served: JSON.stringify(sample).length, cached: sample ? JSON.stringify(trimObject(sample)).length : 0 };

  // Let the API server finish what the population left (watch-cache fan-out, GC of
  // request buffers) so the first list is not measured against it.
  await sleep(5000);
  const children: ChildResult[] = [];
  const failed: string[] = [];
  const endSyncCpu = await cpuMeter(state.processes.map((p) => p.pid));
  for (const mode of ['idle', 'cluster-cache', 'raw-informer']) {
    try {
      // client-node's informer, the comparison, keeps whole objects: no heap cap for it.
      const flags = mode === 'raw-informer' ? childFlags.filter((f) => !f.startsWith('--max-old-space-size')) : childFlags;
      const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', ...flags, join(import.meta.dirname, 'scale-child.ts'), state.kubeconfig, mode], { maxBuffer: 1 << 20, env: { ...process.env, ...MALLOC } });
      children.push(JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as ChildResult);
      console.error(`${mode}: synced in ${((children.at(-1)?.syncMs ?? 0) / 1000).toFixed(2)} s`);
    } catch (error) {
      // A child may die of a heap limit given in --child-flags: that is a result too.
      const { code, signal, stderr } = error as { code?: number; signal?: string; stderr?: string };
      failed.push(`${mode}: exited with ${signal ?? code}: ${(stderr ?? String(error)).trim().split('\n').slice(-3).join(' / ').slice(0, 300)}`);
    }
  }
  const syncCpu = await endSyncCpu();
  return { phases, podBytes, children, failed, populationCpu, syncCpu };
});

const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
const s = (ms: number) => (ms / 1000).toFixed(2);
const populationMs = result.phases.reduce((sum, p) => sum + p.ms, 0);
const populationRequests = result.phases.reduce((sum, p) => sum + p.requests, 0);
printTable(
  `Scale: populating a tier-1 sandbox with ${podCount} pods in ${deploymentCount} Deployments (${namespaceCount} namespaces, ${concurrency} requests in flight)`,
  ['phase', 'objects', 'requests', 'time s', 'requests/s'],
  [
    ...result.phases.map((p) => [p.name, p.objects, p.requests, s(p.ms), (p.requests / (p.ms / 1000)).toFixed(0)]),
    ['total', result.phases.reduce((sum, p) => sum + p.objects, 0), populationRequests, s(populationMs), (populationRequests / (populationMs / 1000)).toFixed(0)],
  ],
);
console.log(`pod object: ${result.podBytes.served} bytes of JSON as served (with managedFields), ${result.podBytes.cached} as the operator caches it (trimmed)
${describeCpu(result.populationCpu)}`);

const byMode = new Map(result.children.map((c) => [c.mode, c]));
const idle = byMode.get('idle');
const label: Record<string, string> = {
  idle: 'idle Node process (same imports, no cache)',
  'cluster-cache': 'ClusterCache, all namespaces (8 informers)',
  'raw-informer': 'client-node makeInformer, pods only',
};
printTable(
  `Scale: initial sync and memory of a fresh process, ${podCount} pods in ${deploymentCount} Deployments (MB = 10^6 bytes)${childFlags.length > 0 ? `, children run with ${childFlags.join(' ')}` : ''} and ${Object.entries(MALLOC).map(([k, v]) => `${k}=${v}`).join(' ')}`,
  ['cache', 'objects cached', 'sync s', 'RSS after sync', 'heapUsed after sync', 'RSS after GC', 'heapUsed after GC', 'peak RSS', 'heap/pod after GC'],
  result.children.map((c) => {
    const total = Object.values(c.objects).reduce((a, b) => a + b, 0);
    const perPod = idle && c.objects.pods ? `${((c.afterGc.heapUsed - idle.afterGc.heapUsed) / c.objects.pods / 1000).toFixed(1)} kB` : '';
    return [label[c.mode] ?? c.mode, c.mode === 'idle' ? '-' : total, c.mode === 'idle' ? '-' : s(c.syncMs), mb(c.afterSync.rss), mb(c.afterSync.heapUsed), mb(c.afterGc.rss), mb(c.afterGc.heapUsed), mb(c.maxRss), perPod];
  }),
);
for (const line of result.failed) console.log(`failed: ${line}`);
for (const c of result.children) {
  console.log(`${c.mode} after GC: heapTotal ${mb(c.afterGc.heapTotal)} MB, external ${mb(c.afterGc.external)} MB (arrayBuffers ${mb(c.afterGc.arrayBuffers)}); ` +
    `RSS not in the JS heap: ${mb(c.afterGc.rss - c.afterGc.heapTotal)} MB`);
}
if (idle) {
  console.log(`an idle process: ${mb(idle.boot.rss)} MB RSS (heapUsed ${mb(idle.boot.heapUsed)}) for Node running a .ts file with nothing imported, ` +
    `${mb(idle.before.rss)} MB (heapUsed ${mb(idle.before.heapUsed)}) once the operator's modules (its own API client, not client-node: ADR 7) are imported`);
}
const cache = byMode.get('cluster-cache');
if (cache) {
  console.log(`ClusterCache objects: ${Object.entries(cache.objects).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  printTable('Scale: the goal (issue) against this run, ClusterCache', ['metric', 'goal', 'measured', 'within goal'], [
    ['initial sync (start() resolved)', `< ${s(GOAL.syncMs)} s`, `${s(cache.syncMs)} s`, cache.syncMs < GOAL.syncMs ? 'yes' : 'no'],
    ['RSS after sync', `< ${mb(GOAL.rssBytes)} MB`, `${mb(cache.afterSync.rss)} MB`, cache.afterSync.rss < GOAL.rssBytes ? 'yes' : 'no'],
    ['peak RSS during sync', `< ${mb(GOAL.rssBytes)} MB`, `${mb(cache.maxRss)} MB`, cache.maxRss < GOAL.rssBytes ? 'yes' : 'no'],
    ['RSS after forced GC', `< ${mb(GOAL.rssBytes)} MB`, `${mb(cache.afterGc.rss)} MB`, cache.afterGc.rss < GOAL.rssBytes ? 'yes' : 'no'],
  ]);
}
console.log(`
each cache ran in its own child (node --expose-gc bench/scale-child.ts), in the order idle, ClusterCache, raw informer;
  "after GC" = after two forced full GCs; peak RSS = getrusage maxRSS of the child. The pods have no events (nobody
  runs a kubelet), so the events informer is empty; a real cluster of this size would add its events.
the API server and etcd run on the same 2-core machine as the child: the sync time includes the API server encoding
  the lists while the child decodes them. ${describeCpu(result.syncCpu)} (during the children).
Benchmark total ${((performance.now() - started) / 1000).toFixed(0)} s.`);
