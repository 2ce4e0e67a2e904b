// Detection latency: from a pod's status turning to a failure to its HealingIncident
// existing. A tier-1 sandbox (etcd + kube-apiserver only) with the benchmark as the
// kubelet: it patches pods/status itself, so t0 is the moment the change leaves for the
// API server, and nothing else (KWOK, controller manager, scheduler) competes for the two
// cores or adds its own delay. The operator's ClusterCache and WorkloadController run in this process, so every
// timestamp comes from one monotonic clock.
//
// Usage: npm run bench -- detection-latency [failures=200] [--interval-ms 250] [--warm-up 10] [--pods 2] [--workers 2]
// The default spacing keeps the controller below saturation on a 2-core machine, so the
// figures are latency; a shorter one (e.g. --interval-ms 50) measures queueing instead,
// which the work-queue row and the queue depth in the footnote then show.
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { V1Pod } from '@kubernetes/client-node';
import { KubeClient, type RequestOptions } from '../src/k8s/kube-client.ts';
import { ClusterCache } from '../src/reconcile/cluster-cache.ts';
import { WorkloadController } from '../src/reconcile/workload-controller.ts';
import {
  BENCH_NODE, benchDeployment, benchNode, benchPod, benchReplicaSet, cpuMeter, describeCpu, failedStatus, rawRequester, runPool, runningStatus, withTier1Sandbox, type AppNames,
} from './bench-cluster.ts';
import { percentile, printTable } from './table.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'interval-ms': { type: 'string', default: '250' },
    'warm-up': { type: 'string', default: '10' },
    pods: { type: 'string', default: '2' },
    workers: { type: 'string', default: '2' },
  },
});
const failures = Number(positionals[0] ?? 200);
const intervalMs = Number(values['interval-ms']);
const warmUp = Number(values['warm-up']);
const podsPerApp = Number(values.pods);
const workers = Number(values.workers);
for (const [name, value] of Object.entries({ failures, intervalMs, warmUp, podsPerApp, workers })) {
  if (!Number.isInteger(value) || value < (name === 'warmUp' ? 0 : 1)) throw new Error(`${name} must be a positive integer, got ${value}`);
}

const NAMESPACE = 'bench-detect';
const total = warmUp + failures;
const apps: AppNames[] = Array.from({ length: total }, (_, i) => ({
  namespace: NAMESPACE,
  name: `app-${String(i).padStart(4, '0')}`,
  labels: { app: `app-${String(i).padStart(4, '0')}`, tier: 'web' },
  hash: (0x5d4c3b2a + i).toString(16),
}));

/** Per failing workload, performance.now() at each step; keyed by the Deployment's name. */
interface Timeline {
  kind: 'OOMKilled' | 'CrashLoop';
  pod: string;
  sent?: number;
  patched?: number;
  inCache?: number;
  reconcileStarted?: number;
  createSent?: number;
  created?: number;
  signalled?: number;
}

const started = Date.now();
/**
 * The operator's own client, with the HealingIncident create timed: the bench hands it to
 * the controller, so the create split is measured on the production path.
 */
class TimedClient extends KubeClient {
  lastStart = new Map<string, number>();
  timelines = new Map<string, Timeline>();
  override async create<T>(path: string, body: unknown, options?: RequestOptions): Promise<T> {
    if (!path.endsWith('/healingincidents')) return super.create<T>(path, body, options);
    const name = (body as { spec?: { workload?: { name?: string } } }).spec?.workload?.name ?? '';
    const timeline = this.timelines.get(name);
    const sent = performance.now();
    const created = await super.create<T>(path, body, options);
    if (timeline && timeline.created === undefined) Object.assign(timeline, { reconcileStarted: this.lastStart.get(name), createSent: sent, created: performance.now() });
    return created;
  }
}

const result = await withTier1Sandbox(async ({ client, state }) => {
  // The benchmark's own writes go through a bare HTTPS client: it shares this process's
  // event loop with the operator, and client-node's serialization would cost it CPU.
  const api = await rawRequester(state, 16);

  // The cluster as the controller manager, the scheduler and the kubelet would leave it:
  // Deployment → ReplicaSet → running pods, linked by controller ownerReferences.
  await api('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } });
  await api('POST', '/api/v1/nodes', benchNode());
  await api('POST', `/apis/gopherguard.dev/v1alpha1/namespaces/${NAMESPACE}/aegiswatches`, {
    apiVersion: 'gopherguard.dev/v1alpha1', kind: 'AegisWatch', metadata: { name: 'web' },
    spec: { targets: { selector: { matchLabels: { tier: 'web' } } }, source: { flux: { kustomization: 'web' } } },
  });
  const pods = new Map<string, V1Pod>(); // first pod of each app: the one that fails
  const populating = performance.now();
  await runPool(apps.entries(), 16, async ([index, app]) => {
    const deployment = await api('POST', `/apis/apps/v1/namespaces/${NAMESPACE}/deployments`, benchDeployment(app, podsPerApp));
    const rs = await api('POST', `/apis/apps/v1/namespaces/${NAMESPACE}/replicasets`, benchReplicaSet(app, deployment.metadata?.uid ?? '', podsPerApp));
    for (let p = 0; p < podsPerApp; p += 1) {
      const pod = benchPod(app, rs.metadata?.uid ?? '', `p${p}`);
      await api('POST', `/api/v1/namespaces/${NAMESPACE}/pods`, pod);
      await api('PATCH', `/api/v1/namespaces/${NAMESPACE}/pods/${pod.metadata?.name}/status`, { status: runningStatus(pod, index * podsPerApp + p) });
      if (p === 0) pods.set(app.name, pod);
    }
  });
  const populateMs = performance.now() - populating;

  const timelines = new Map<string, Timeline>(apps.map((app, i) => [app.name, { kind: i % 2 === 0 ? 'OOMKilled' : 'CrashLoop', pod: pods.get(app.name)?.metadata?.name ?? '' }]));
  const appOfPod = new Map([...timelines].map(([app, t]) => [t.pod, app]));
  const operatorLog: string[] = [];
  // All namespaces, as the operator runs by default.
  const cache = new ClusterCache({ client, log: (message, fields) => operatorLog.push(`${message} ${JSON.stringify(fields)}`) });
  // Registered before the controller's own handlers, so it sees the update first.
  cache.pods.on('update', (pod) => {
    const app = appOfPod.get(pod.metadata?.name ?? '');
    const timeline = app ? timelines.get(app) : undefined;
    if (timeline?.sent !== undefined && timeline.inCache === undefined && (pod.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1) timeline.inCache = performance.now();
  });
  const timed = new TimedClient(client.access);
  timed.timelines = timelines;
  const controller = new WorkloadController({
    client: timed, cache, concurrency: workers,
    log: (message, fields) => operatorLog.push(`${message} ${JSON.stringify(fields)}`),
    onSignal: (signal, incident) => {
      const timeline = timelines.get(signal.workload.name);
      if (incident.created && timeline && timeline.signalled === undefined) timeline.signalled = performance.now();
    },
  });
  const queue = { maxDepth: 0 };
  instrument(controller, timed, queue);

  const syncing = performance.now();
  await cache.start();
  const syncMs = performance.now() - syncing;
  controller.start();
  // The initial adds queued every workload once; start failing pods only when that is done.
  await waitUntil(async () => idle(controller), 60_000, 'the initial reconciles');
  const incidentsBefore = cache.incidents.list().length;

  const patchStatus = (name: string, body: object) => api('PATCH', `/api/v1/namespaces/${NAMESPACE}/pods/${name}/status`, body);
  const endCpu = await cpuMeter(state.processes.map((p) => p.pid));
  queue.maxDepth = 0; // the initial reconciles are not part of the measurement
  const firing = performance.now();
  // Settled as they go: a rejection left waiting for the Promise.all below would count as unhandled.
  const patches: Array<Promise<unknown>> = [];
  const patchErrors: unknown[] = [];
  for (const [index, app] of apps.entries()) {
    const due = firing + index * intervalMs;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const timeline = timelines.get(app.name) as Timeline;
    const pod = pods.get(app.name) as V1Pod;
    const body = { status: failedStatus(pod, index * podsPerApp, timeline.kind) };
    timeline.sent = performance.now();
    patches.push(patchStatus(timeline.pod, body).then(() => { timeline.patched = performance.now(); }, (error: unknown) => patchErrors.push(error)));
  }
  await Promise.all(patches);
  if (patchErrors.length > 0) throw new Error(`${patchErrors.length} pod status patches failed, first: ${String(patchErrors[0])}`);
  await waitUntil(async () => [...timelines.values()].every((t) => t.signalled !== undefined), 60_000, 'every incident').catch((error: unknown) => operatorLog.push(String(error)));
  const fireMs = performance.now() - firing;
  const cpu = await endCpu();
  await Promise.race([controller.stop(), sleep(10_000)]);
  cache.stop();
  return { timelines: [...timelines.values()].slice(warmUp), populateMs, syncMs, fireMs, incidentsBefore, operatorLog, cpu, maxDepth: queue.maxDepth };
});

/**
 * Two hooks the controller offers no events for, so that the time between the pod update
 * arriving and onSignal can be split: when the reconcile of the workload starts (reconcile
 * is public and its workers call it through `this`), and when the HealingIncident create
 * is sent and answered (the IncidentStore's client, a private field: read defensively).
 */
function instrument(controller: WorkloadController, timed: TimedClient, queue: { maxDepth: number }): void {
  const lastStart = timed.lastStart;
  const reconcile = controller.reconcile.bind(controller);
  controller.reconcile = (key) => {
    lastStart.set(key.split('/')[2] ?? '', performance.now());
    const { depth, inFlight } = controller.queue.stats();
    queue.maxDepth = Math.max(queue.maxDepth, depth + inFlight);
    return reconcile(key);
  };
}

function idle(controller: WorkloadController): boolean {
  const { depth, inFlight } = controller.queue.stats();
  return depth === 0 && inFlight === 0;
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let quietSince: number | undefined;
  for (;;) {
    // Twice in a row 100 ms apart: one idle instant between two reconciles is not the end.
    if (await check()) {
      quietSince ??= performance.now();
      if (performance.now() - quietSince >= 100) return;
    } else {
      quietSince = undefined;
    }
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(20);
  }
}

const { timelines } = result;
const complete = timelines.filter((t) => t.sent !== undefined && t.signalled !== undefined);
type Span = [string, (t: Timeline) => number | undefined];
const gap = (from: keyof Timeline, to: keyof Timeline) => (t: Timeline) => {
  const a = t[from];
  const b = t[to];
  return typeof a === 'number' && typeof b === 'number' ? b - a : undefined;
};
const detection = gap('sent', 'created');
const spans: Span[] = [
  ['informer: t0 → pod update in cache.pods', gap('sent', 'inCache')],
  ['work queue: update → reconcile starts', gap('inCache', 'reconcileStarted')],
  ['reconcile: start → incident create sent', gap('reconcileStarted', 'createSent')],
  ['create HealingIncident round trip', gap('createSent', 'created')],
  ['= detection latency: t0 → incident created', detection],
  ['status write + log read → onSignal', gap('created', 'signalled')],
  ['= t0 → onSignal(created: true)', gap('sent', 'signalled')],
  ['(pod status patch round trip, overlaps)', gap('sent', 'patched')],
];
const totalDetection = complete.reduce((sum, t) => sum + (detection(t) ?? 0), 0);
const ms = (n: number) => n.toFixed(1);
const rows = spans.map(([label, span]) => {
  const values = complete.map(span).filter((v): v is number => v !== undefined);
  const share = label.startsWith('(') || label.includes('onSignal') ? '' : `${((values.reduce((a, b) => a + b, 0) / totalDetection) * 100).toFixed(0)}%`;
  return [label, values.length, ms(percentile(values, 50)), ms(percentile(values, 95)), ms(percentile(values, 99)), ms(Math.max(...values)), share];
});
for (const kind of ['OOMKilled', 'CrashLoop'] as const) {
  const values = complete.filter((t) => t.kind === kind).map(detection).filter((v): v is number => v !== undefined);
  rows.push([`  detection latency, ${kind} only`, values.length, ms(percentile(values, 50)), ms(percentile(values, 95)), ms(percentile(values, 99)), ms(Math.max(...values)), '']);
}
printTable(
  `Detection latency: pod status → HealingIncident (${failures} failures, one every ${intervalMs} ms)`,
  ['span (ms)', 'n', 'p50', 'p95', 'p99', 'max', 'share of detection (sum)'],
  rows,
);
const inCache = complete.map(gap('sent', 'inCache')).filter((v): v is number => v !== undefined);
const rest = complete.map((t) => (detection(t) ?? 0) - (gap('sent', 'inCache')(t) ?? 0));
console.log(`
informer vs the rest (per failure, median): informer ${ms(percentile(inCache, 50))} ms, the rest ${ms(percentile(rest, 50))} ms
set-up: tier-1 sandbox (etcd + kube-apiserver, no KWOK/controller manager/scheduler); the benchmark acts as kubelet and
  controllers: ${total} Deployments, each with 1 ReplicaSet and ${podsPerApp} Running pods, on Node ${BENCH_NODE} (no addresses, so the
  operator's log read fails fast), one AegisWatch selecting tier=web; ClusterCache (all namespaces) + WorkloadController
  (${workers} workers) in this process; cache synced in ${ms(result.syncMs)} ms, populated in ${(result.populateMs / 1000).toFixed(1)} s.
load: one merge patch of pods/status per Deployment (restartCount 1, lastState.terminated OOMKilled exit 137 or Error
  exit 1, waiting CrashLoopBackOff), alternating, one every ${intervalMs} ms; first ${warmUp} are warm-up, not counted;
  ${complete.length}/${failures} incidents seen, ${result.incidentsBefore} existed before the failures; firing took ${(result.fireMs / 1000).toFixed(1)} s;
  at most ${result.maxDepth} workloads waited in the work queue or were being reconciled at once.
t0 = performance.now() just before the patch is sent; "incident created" = the create call for the workload's
  HealingIncident returned 201; onSignal comes after the operator also wrote its status and tried to read logs.
the API server and etcd run on the same machine as the operator and the load (2 cores shared): the informer share
  includes the API server's own write and watch fan-out on this machine.
  ${describeCpu(result.cpu)} (while failing pods; the benchmark process is the operator and the load together).
  Benchmark total ${((Date.now() - started) / 1000).toFixed(0)} s.`);
const warnings = result.operatorLog.filter((line) => !line.startsWith('incident detected'));
if (warnings.length > 0) console.log(`operator warnings and errors (${warnings.length}), first: ${warnings.slice(0, 3).join(' | ')}`);
