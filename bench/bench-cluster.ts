// Shared by the operator benchmarks: a tier-1 sandbox with the CRDs installed that is
// always stopped, a bounded-concurrency runner, and the objects a kubelet and the
// controller manager would have made (tier 1 runs neither, so the benchmark plays both
// and every timestamp comes from one process).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { Agent, request as httpsRequest } from 'node:https';
import { availableParallelism, tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { KubeConfig, type V1Deployment, type V1Pod, type V1PodStatus, type V1ReplicaSet } from '@kubernetes/client-node';
import { startSandbox, stopSandbox, type SandboxState } from '../src/sandbox/cluster/sandbox.ts';
import { KubeClient } from '../src/k8s/kube-client.ts';
import { fromKubeconfigFiles } from '../src/k8s/kubeconfig.ts';
import { installCrds } from '../test/support/crds.ts';

export interface BenchCluster {
  state: SandboxState;
  kubeConfig: KubeConfig;
  /** The operator's own client. */
  client: KubeClient;
}

/**
 * Runs `body` against a fresh tier-1 sandbox (etcd + kube-apiserver) in a temp folder with
 * GopherGuard's CRDs installed, and stops it afterwards whatever happens: its processes
 * are detached, so a benchmark that died without stopping them would leave them running.
 */
export async function withTier1Sandbox<T>(body: (cluster: BenchCluster) => Promise<T>, report: (line: string) => void = (line) => console.error(line)): Promise<T> {
  return withSandbox(1, body, report);
}

/** A sandbox of the tier for the body's run, stopped afterwards (and on Ctrl-C). */
export async function withSandbox<T>(tier: 1 | 2 | 3, body: (cluster: BenchCluster) => Promise<T>, report: (line: string) => void = (line) => console.error(line)): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'gopherguard-bench-'));
  let starting: Promise<unknown> = Promise.resolve();
  let stopping: Promise<unknown> | undefined;
  // A signal during start-up waits for it to end: stopping then would miss what it starts next.
  const stop = () => (stopping ??= starting.catch(() => undefined).then(() => stopSandbox(dir)).then(() => rm(dir, { recursive: true, force: true })));
  const onSignal = (signal: NodeJS.Signals) => {
    report(`${signal}: stopping the sandbox in ${dir}`);
    void stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const started = startSandbox({ dir, tier, report });
    starting = started;
    const state = await started;
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(state.kubeconfig);
    const client = new KubeClient(fromKubeconfigFiles([state.kubeconfig]));
    await installCrds(client);
    return await body({ state, kubeConfig, client });
  } finally {
    await stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** Calls `work` for every item with at most `concurrency` calls in flight; transient API errors are retried. */
export async function runPool<T>(items: Iterable<T>, concurrency: number, work: (item: T) => Promise<unknown>): Promise<void> {
  const iterator = items[Symbol.iterator]();
  const worker = async () => {
    for (let next = iterator.next(); !next.done; next = iterator.next()) await retrying(() => work(next.value));
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

async function retrying<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const transient = code === 429 || code === 500 || code === 503 || code === 504 || typeof code === 'string';
      if (!transient || attempt >= 5) throw error;
      await sleep(100 * 2 ** attempt);
    }
  }
}

export type RawRequest = (method: 'POST' | 'PATCH', path: string, body: unknown) => Promise<{ metadata?: { uid?: string; name?: string } }>;

/**
 * A bare HTTPS client for filling the sandbox: JSON in and out over keep-alive
 * connections, with none of client-node's per-request model serialization, which costs
 * as much CPU as the API server's own work and would slow the population on two cores.
 * PATCH bodies are JSON merge patches. Errors carry the HTTP status as `code`.
 */
export async function rawRequester(state: SandboxState, maxSockets: number): Promise<RawRequest> {
  const pki = join(state.dir, 'pki');
  const [ca, cert, key] = await Promise.all(['ca.crt', 'admin.crt', 'admin.key'].map((f) => readFile(join(pki, f))));
  const agent = new Agent({ keepAlive: true, maxSockets, ca, cert, key });
  const server = new URL(state.server);
  return (method, path, body) => new Promise((resolve, reject) => {
    const payload = Buffer.from(JSON.stringify(body));
    const req = httpsRequest({
      agent, method, host: server.hostname, port: server.port, path,
      headers: { 'content-type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json', accept: 'application/json', 'content-length': payload.length },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve(JSON.parse(text) as { metadata?: { uid?: string } });
        else reject(Object.assign(new Error(`${method} ${path}: ${status} ${text.slice(0, 300)}`), { code: status }));
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

export const BENCH_NODE = 'bench-node-1';
const IMAGE = 'ghcr.io/gopherguard/jokeservice:1.0.0';

export interface AppNames {
  namespace: string;
  name: string;
  /** Labels on the Deployment (what an AegisWatch selects). */
  labels: Record<string, string>;
  /** The ReplicaSet's pod-template-hash. */
  hash: string;
}

function podLabels(app: AppNames): Record<string, string> {
  return {
    app: app.name,
    'app.kubernetes.io/name': app.name,
    'app.kubernetes.io/instance': `${app.name}-prod`,
    'app.kubernetes.io/version': '1.0.0',
    'app.kubernetes.io/part-of': 'jokes',
    team: 'payments',
    'pod-template-hash': app.hash,
  };
}

/**
 * A pod template of the size real ones have (about 4 KB as a running pod, before
 * managedFields): labels, the annotations tooling leaves behind, env, resources, two
 * probes, security contexts and volumes.
 */
function template(app: AppNames): NonNullable<V1Deployment['spec']>['template'] {
  const { 'pod-template-hash': _hash, ...labels } = podLabels(app);
  const env = [
    ['LOG_LEVEL', 'info'], ['HTTP_PORT', '8080'],
    ['DATABASE_URL', `postgres://jokes@db.${app.namespace}.svc.cluster.local:5432/jokes?sslmode=require`],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'http://otel-collector.observability:4317'], ['OTEL_SERVICE_NAME', app.name], ['GOMEMLIMIT', '200MiB'],
  ].map(([name, value]) => ({ name: name ?? '', value }));
  return {
    metadata: {
      labels,
      annotations: {
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': '9090',
        'checksum/config': 'b5d4045c3f466fa91fe2cc6abe79232a1a57cdf104f7a26e716e0a1e2789df78',
      },
    },
    spec: {
      serviceAccountName: 'default',
      terminationGracePeriodSeconds: 30,
      securityContext: { runAsNonRoot: true, runAsUser: 65532, fsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{
        name: 'app',
        image: IMAGE,
        imagePullPolicy: 'IfNotPresent',
        args: ['--config=/etc/jokes/config.yaml'],
        ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }, { name: 'metrics', containerPort: 9090, protocol: 'TCP' }],
        env: [
          ...env,
          { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
          { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } } },
        ],
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
        livenessProbe: { httpGet: { path: '/livez', port: 'http', scheme: 'HTTP' }, initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3, successThreshold: 1 },
        readinessProbe: { httpGet: { path: '/readyz', port: 'http', scheme: 'HTTP' }, periodSeconds: 5, timeoutSeconds: 1, failureThreshold: 3, successThreshold: 1 },
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
        volumeMounts: [{ name: 'config', mountPath: '/etc/jokes', readOnly: true }, { name: 'tmp', mountPath: '/tmp' }],
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
      }],
      volumes: [{ name: 'config', configMap: { name: `${app.name}-config`, defaultMode: 420 } }, { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }],
    },
  };
}

export function benchDeployment(app: AppNames, replicas: number): V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: app.name, namespace: app.namespace, labels: app.labels, annotations: { 'deployment.kubernetes.io/revision': '1' } },
    spec: { replicas, revisionHistoryLimit: 10, selector: { matchLabels: { app: app.name } }, template: template(app) },
  };
}

/** The ReplicaSet the deployment controller would have made, owned by the Deployment. */
export function benchReplicaSet(app: AppNames, deploymentUid: string, replicas: number): V1ReplicaSet {
  const tpl = template(app);
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${app.name}-${app.hash}`,
      namespace: app.namespace,
      labels: podLabels(app),
      annotations: { 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': String(replicas), 'deployment.kubernetes.io/max-replicas': String(replicas + 1) },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: app.name, uid: deploymentUid, controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      replicas,
      selector: { matchLabels: { app: app.name, 'pod-template-hash': app.hash } },
      template: { ...tpl, metadata: { ...tpl?.metadata, labels: podLabels(app) } },
    },
  };
}

/** A pod as the ReplicaSet controller creates it and the scheduler binds it (status comes separately). */
export function benchPod(app: AppNames, replicaSetUid: string, suffix: string): V1Pod {
  const tpl = template(app);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${app.name}-${app.hash}-${suffix}`,
      generateName: `${app.name}-${app.hash}-`,
      namespace: app.namespace,
      labels: podLabels(app),
      annotations: tpl?.metadata?.annotations,
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${app.name}-${app.hash}`, uid: replicaSetUid, controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      ...tpl?.spec,
      containers: tpl?.spec?.containers ?? [],
      nodeName: BENCH_NODE,
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
    },
  };
}

// client-node types timestamps as Date but sends whatever it is given; RFC 3339 strings
// keep the objects exactly as a kubelet would write them.
const stamp = (at: string) => at as unknown as Date;

function condition(type: string, status: 'True' | 'False', at: string, reason?: string) {
  return { type, status, lastTransitionTime: stamp(at), ...(reason ? { reason } : {}) };
}

/** The Node the pods are bound to. It has no addresses: a log read fails at once instead of dialling a kubelet nobody runs. */
export function benchNode() {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name: BENCH_NODE, labels: { 'kubernetes.io/hostname': BENCH_NODE, 'kubernetes.io/os': 'linux' } } };
}

/** What a kubelet reports for a running, ready pod. */
export function runningStatus(pod: V1Pod, index: number): V1PodStatus {
  const at = '2025-11-03T09:15:02Z';
  const ip = `10.244.${Math.floor(index / 250) % 250}.${(index % 250) + 2}`;
  return {
    phase: 'Running',
    conditions: [
      condition('PodReadyToStartContainers', 'True', at), condition('Initialized', 'True', at), condition('Ready', 'True', at),
      condition('ContainersReady', 'True', at), condition('PodScheduled', 'True', at),
    ],
    hostIP: '172.18.0.2',
    hostIPs: [{ ip: '172.18.0.2' }],
    podIP: ip,
    podIPs: [{ ip }],
    startTime: stamp(at),
    containerStatuses: [{
      name: 'app',
      image: IMAGE,
      imageID: 'ghcr.io/gopherguard/jokeservice@sha256:3f1a1b2c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a',
      containerID: `containerd://${(pod.metadata?.name ?? '').padEnd(64, '0').slice(0, 64)}`,
      ready: true,
      started: true,
      restartCount: 0,
      state: { running: { startedAt: stamp(at) } },
    }],
  };
}

/**
 * What a kubelet reports after the first crash of the app: restarted once, the previous
 * instance OOM-killed (exit 137) or exited with an error, now backing off.
 */
export function failedStatus(pod: V1Pod, index: number, kind: 'OOMKilled' | 'CrashLoop', now = new Date()): V1PodStatus {
  const running = runningStatus(pod, index);
  const at = now.toISOString();
  const [container] = running.containerStatuses ?? [];
  const terminated = kind === 'OOMKilled' ? { exitCode: 137, reason: 'OOMKilled' } : { exitCode: 1, reason: 'Error', message: 'panic: config: missing key "jokes.source"' };
  return {
    conditions: running.conditions?.map((c) => (c.type === 'Ready' || c.type === 'ContainersReady' ? condition(c.type, 'False', at, 'ContainersNotReady') : c)),
    containerStatuses: [{
      ...container,
      name: 'app', image: IMAGE, imageID: container?.imageID ?? '',
      ready: false,
      started: false,
      restartCount: 1,
      state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=app' } },
      lastState: { terminated: { ...terminated, startedAt: stamp('2025-11-03T09:15:02Z'), finishedAt: stamp(at), containerID: container?.containerID } },
    }],
  };
}

/** Average cores busy over an interval: the whole machine, this process (and its children), the sandbox, the rest. */
export interface CpuUsage {
  seconds: number;
  machine: number;
  benchmark: number;
  sandbox: number;
  others: number;
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

async function machineTicks(): Promise<number | undefined> {
  try {
    const [cpu] = (await readFile('/proc/stat', 'utf8')).split('\n');
    const fields = (cpu ?? '').trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal: busy = all but idle and iowait.
    return fields.slice(0, 8).reduce((a, b) => a + b, 0) - (fields[3] ?? 0) - (fields[4] ?? 0);
  } catch {
    return undefined;
  }
}

async function processTicks(pids: number[]): Promise<number> {
  let sum = 0;
  for (const pid of pids) {
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime, stime, cutime, cstime (stat(5) fields 14-17): children waited for count too.
      sum += [11, 12, 13, 14].reduce((total, i) => total + Number(fields[i] ?? 0), 0);
    } catch {
      // gone: its time is lost, which only makes "others" look busier
    }
  }
  return sum;
}

/**
 * Starts measuring CPU; the returned function ends the interval. The sandbox shares the
 * machine with whatever else runs on it, and a benchmark should say how busy that was.
 * Linux only (/proc); elsewhere the figures are NaN.
 */
export async function cpuMeter(sandboxPids: number[]): Promise<() => Promise<CpuUsage>> {
  const sample = async () => ({ at: performance.now(), machine: await machineTicks(), benchmark: await processTicks([process.pid]), sandbox: await processTicks(sandboxPids) });
  const start = await sample();
  return async () => {
    const end = await sample();
    const seconds = (end.at - start.at) / 1000;
    const cores = (ticks: number) => ticks / CLOCK_TICKS / seconds;
    if (end.machine === undefined || start.machine === undefined) return { seconds, machine: Number.NaN, benchmark: Number.NaN, sandbox: Number.NaN, others: Number.NaN };
    const machine = cores(end.machine - start.machine);
    const benchmark = cores(end.benchmark - start.benchmark);
    const sandbox = cores(end.sandbox - start.sandbox);
    return { seconds, machine, benchmark, sandbox, others: Math.max(0, machine - benchmark - sandbox) };
  };
}

export function describeCpu(usage: CpuUsage): string {
  const f = (n: number) => n.toFixed(2);
  return `CPU over ${usage.seconds.toFixed(0)} s, average cores busy: machine ${f(usage.machine)} of ${availableParallelism()}, ` +
    `benchmark process ${f(usage.benchmark)}, sandbox (etcd + kube-apiserver) ${f(usage.sandbox)}, other processes ${f(usage.others)}`;
}
