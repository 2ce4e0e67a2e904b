// JokeService (examples/jokeservice) as a person runs it: the real service in a child
// process, its chaos switches, and its GitOps repo as Flux and the sandbox read it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { dirname, join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { after, test } from 'node:test';
import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { judgePod } from '../../src/sandbox/sim/judge.ts';
import type { World } from '../../src/sandbox/sim/judge.ts';

const root = join(import.meta.dirname, '..', '..');
const app = join(root, 'examples', 'jokeservice');
const MAIN = join(app, 'src', 'main.ts');
const DEPLOY = join(app, 'deploy');

// ---------------------------------------------------------------- the running service

interface LogLine {
  level: string;
  msg: string;
  [field: string]: unknown;
}

interface Service {
  child: ChildProcess;
  stdout: LogLine[];
  stderr: LogLine[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first stdout line that has this message. */
  line(msg: string, timeoutMs?: number): Promise<LogLine>;
}

const children = new Set<ChildProcess>();
after(() => {
  for (const child of children) child.kill('SIGKILL');
});

/** Starts the service with only `env` (and PATH): nothing leaks in from the test's environment. */
function start(env: Record<string, string>): Service {
  const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const stdout: LogLine[] = [];
  const stderr: LogLine[] = [];
  const waiters = new Set<() => void>();
  const collect = (stream: NodeJS.ReadableStream, into: LogLine[]) => {
    createInterface({ input: stream }).on('line', (text) => {
      // Every line must be JSON: a line that is not fails the test that waits on it.
      into.push(JSON.parse(text) as LogLine);
      for (const wake of waiters) wake();
    });
  };
  collect(child.stdout!, stdout);
  collect(child.stderr!, stderr);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
      for (const wake of waiters) wake();
    });
  });
  const line = (msg: string, timeoutMs = 20_000) => new Promise<LogLine>((resolve, reject) => {
    const timer = setTimeout(() => { waiters.delete(check); reject(new Error(`no "${msg}" line within ${timeoutMs} ms; stdout: ${JSON.stringify(stdout)} stderr: ${JSON.stringify(stderr)}`)); }, timeoutMs);
    const check = () => {
      const found = stdout.find((l) => l.msg === msg);
      if (found) { clearTimeout(timer); waiters.delete(check); resolve(found); }
      else if (child.exitCode !== null || child.signalCode !== null) {
        clearTimeout(timer); waiters.delete(check);
        reject(new Error(`exited (${child.exitCode ?? child.signalCode}) before "${msg}"; stderr: ${JSON.stringify(stderr)}`));
      }
    };
    waiters.add(check);
    check();
  });
  return { child, stdout, stderr, exited, line };
}

/** Starts the service on any free port (PORT=0) and reads the port from its "listening" line. */
async function listening(env: Record<string, string>): Promise<Service & { port: number }> {
  const service = start({ JOKE_SOURCE: 'builtin', PORT: '0', ...env });
  const line = await service.line('listening');
  assert.equal(typeof line.port, 'number');
  assert.equal(line.addr, `:${line.port}`);
  return { ...service, port: line.port as number };
}

interface Answer {
  status: number;
  type: string;
  body: string;
}

/** One GET on a fresh connection (no keep-alive pool to outlive the service). */
function get(port: number, path: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { body += chunk; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The value of one sample in Prometheus text, whatever the order of its labels; undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v) && Object.keys(have).length === Object.keys(labels).length) {
      return Number(match[3]);
    }
  }
  return undefined;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  assert.ok(address && typeof address === 'object');
  return address.port;
}

async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  assert.ok(kb, `no VmRSS in /proc/${pid}/status`);
  return Number(kb) / 1024;
}

async function stop(service: Service): Promise<void> {
  service.child.kill('SIGTERM');
  await service.exited;
}

test('GET /joke answers 200 with a joke as JSON, and /metrics counts requests by path and code', async () => {
  const service = await listening({});
  for (let i = 0; i < 3; i++) {
    const answer = await get(service.port, '/joke');
    assert.equal(answer.status, 200);
    assert.match(answer.type, /^application\/json/);
    const joke = JSON.parse(answer.body) as Record<string, unknown>;
    assert.deepEqual(Object.keys(joke).sort(), ['id', 'punchline', 'setup']);
    assert.ok(Number.isInteger(joke.id));
    assert.ok(typeof joke.setup === 'string' && joke.setup.length > 0);
    assert.ok(typeof joke.punchline === 'string' && joke.punchline.length > 0);
  }
  assert.equal((await get(service.port, '/healthz')).status, 200);
  assert.equal((await get(service.port, '/readyz')).status, 200);
  assert.equal((await get(service.port, '/no-such-path')).status, 404);

  const metrics = await get(service.port, '/metrics');
  assert.equal(metrics.status, 200);
  assert.match(metrics.type, /^text\/plain/);
  assert.equal(sample(metrics.body, 'http_requests_total', { path: '/joke', code: '200' }), 3);
  assert.equal(sample(metrics.body, 'http_requests_total', { path: '/healthz', code: '200' }), 1);
  assert.equal(sample(metrics.body, 'http_requests_total', { path: 'other', code: '404' }), 1, 'unknown paths share one label');
  assert.equal(sample(metrics.body, 'http_request_duration_seconds_count', { path: '/joke', code: '200' }), 3);
  assert.equal(sample(metrics.body, 'http_request_duration_seconds_bucket', { path: '/joke', code: '200', le: '+Inf' }), 3);
  assert.ok((sample(metrics.body, 'process_resident_memory_bytes', {}) ?? 0) > 0, 'process metrics');
  assert.ok(service.stdout.some((l) => l.level === 'info' && l.msg === 'GET /joke' && l.status === 200), 'requests are logged');
  await stop(service);
});

test('every path the sandbox overlay says the app serves answers 200 on the real service', async () => {
  const annotations = (await sandboxPatch()).spec?.template?.metadata?.annotations ?? {};
  const paths = (annotations['sandbox.gopherguard.dev/http-paths'] ?? '').split(',');
  assert.ok(paths.length >= 4);
  const service = await listening({});
  for (const path of paths) assert.equal((await get(service.port, path)).status, 200, path);
  await stop(service);
});

test('without JOKE_SOURCE it logs a JSON error line to stderr and exits 1; empty counts as unset', async () => {
  const envs: Record<string, string>[] = [{ PORT: '0' }, { PORT: '0', JOKE_SOURCE: '' }];
  for (const env of envs) {
    const service = start(env);
    assert.deepEqual(await service.exited, { code: 1, signal: null });
    const error = service.stderr[0];
    assert.equal(error?.level, 'error');
    assert.equal(error?.msg, 'JOKE_SOURCE is not set');
    assert.ok(!service.stdout.some((l) => l.msg === 'listening'));
  }
});

test('an invalid switch value exits 2 with an error naming the variable and the value', async () => {
  const bad: Record<string, string> = {
    CHAOS_ERROR_RATE: '1.5',
    CHAOS_MEMORY_HOG_MB: 'lots',
    CHAOS_SLOW_START_SECONDS: '-1',
    CHAOS_LATENCY_MS: '0.5',
    PORT: '70000',
    JOKE_SOURCE: 'database',
  };
  await Promise.all(Object.entries(bad).map(async ([variable, value]) => {
    const service = start({ JOKE_SOURCE: 'builtin', PORT: '0', [variable]: value });
    assert.deepEqual(await service.exited, { code: 2, signal: null }, variable);
    const error = service.stderr.find((l) => l.variable === variable);
    assert.ok(error, `${variable}: ${JSON.stringify(service.stderr)}`);
    assert.equal(error.level, 'error');
    assert.ok(error.msg.includes(variable) && error.msg.includes(value), error.msg);
  }));
});

test('CHAOS_ERROR_RATE=1: every /joke answers 500, health stays 200, and the metrics count the 500s', async () => {
  const service = await listening({ CHAOS_ERROR_RATE: '1' });
  for (let i = 0; i < 5; i++) assert.equal((await get(service.port, '/joke')).status, 500);
  assert.equal((await get(service.port, '/healthz')).status, 200);
  assert.equal((await get(service.port, '/readyz')).status, 200);
  const metrics = (await get(service.port, '/metrics')).body;
  assert.equal(sample(metrics, 'http_requests_total', { path: '/joke', code: '500' }), 5);
  assert.equal(sample(metrics, 'http_requests_total', { path: '/joke', code: '200' }), undefined);
  await stop(service);
});

test('CHAOS_ERROR_RATE=0.5 with CHAOS_SEED fails about half the answers, the same ones on every run', async () => {
  const statuses = async () => {
    const service = await listening({ CHAOS_ERROR_RATE: '0.5', CHAOS_SEED: '7' });
    const seen: number[] = [];
    for (let i = 0; i < 100; i++) seen.push((await get(service.port, '/joke')).status);
    await stop(service);
    return seen;
  };
  const first = await statuses();
  const failures = first.filter((s) => s === 500).length;
  assert.ok(failures >= 25 && failures <= 75, `${failures} of 100 failed`);
  assert.ok(first.every((s) => s === 200 || s === 500));
  assert.deepEqual(await statuses(), first);
});

test('CHAOS_SLOW_START_SECONDS=2: the port stays closed for 2 s, then /readyz and /healthz answer', async () => {
  const port = await freePort();
  const spawnedAt = performance.now();
  const service = start({ JOKE_SOURCE: 'builtin', PORT: String(port), CHAOS_SLOW_START_SECONDS: '2' });
  let refused = 0;
  let readyAt: number | undefined;
  while (readyAt === undefined && performance.now() - spawnedAt < 22_000) {
    try {
      const answer = await get(port, '/readyz');
      assert.equal(answer.status, 200);
      readyAt = performance.now() - spawnedAt;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ECONNREFUSED') throw error;
      refused++;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  assert.ok(readyAt !== undefined, 'ready within 22 s');
  assert.ok(readyAt >= 2000, `ready after ${readyAt} ms`);
  assert.ok(refused >= 5, `refused ${refused} times before`);
  assert.equal((await get(port, '/healthz')).status, 200);
  assert.equal((await service.line('warming caches before listening')).expected, '2s');
  await stop(service);
});

test('SIGTERM during a slow start exits 0 at once', async () => {
  const service = start({ JOKE_SOURCE: 'builtin', PORT: '0', CHAOS_SLOW_START_SECONDS: '600' });
  await service.line('warming caches before listening');
  service.child.kill('SIGTERM');
  assert.deepEqual(await service.exited, { code: 0, signal: null });
});

test('CHAOS_MEMORY_HOG_MB=64 raises the resident set by about 64 MiB', async () => {
  const [plain, hog] = await Promise.all([listening({}), listening({ CHAOS_MEMORY_HOG_MB: '64' })]);
  const grown = (await rssMiB(hog.child.pid!)) - (await rssMiB(plain.child.pid!));
  assert.ok(grown >= 56 && grown <= 90, `RSS grew by ${grown.toFixed(1)} MiB`);
  assert.equal((await hog.line('chaos: holding memory')).mib, 64);
  await Promise.all([stop(plain), stop(hog)]);
});

test('SIGTERM: the request in flight still gets its answer, then the process exits 0', async () => {
  const service = await listening({ CHAOS_LATENCY_MS: '1500' });
  // Connected and sent before the signal; the answer comes 1.5 s later, after it.
  const inFlight = new Promise<Answer>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: service.port, path: '/joke', agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => { body += chunk.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    });
    req.on('error', reject);
    req.on('socket', (socket) => socket.on('connect', () => setTimeout(() => service.child.kill('SIGTERM'), 300)));
    req.end();
  });
  assert.equal((await inFlight).status, 200);
  assert.deepEqual(await service.exited, { code: 0, signal: null });
  assert.ok(service.stdout.some((l) => l.msg === 'received SIGTERM, draining'));
  assert.ok(service.stdout.some((l) => l.msg === 'stopped'));
});

// ---------------------------------------------------------------- the GitOps repo

interface Kustomization {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  resources?: string[];
  patches?: { path?: string; target?: { kind?: string; name?: string } }[];
  patchesStrategicMerge?: unknown;
}

async function yamlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && /\.ya?ml$/.test(e.name)).map((e) => join(e.parentPath, e.name)).sort();
}

async function documents(file: string): Promise<unknown[]> {
  const docs = parseAllDocuments(await readFile(file, 'utf8'));
  assert.ok(!Array.isArray(docs) || docs.length > 0, `${file} is empty`);
  return (Array.isArray(docs) ? docs : [docs]).map((doc) => {
    assert.deepEqual(doc.errors, [], `${relative(root, file)}: ${doc.errors.join('; ')}`);
    return doc.toJS() as unknown;
  });
}

async function one<T>(...path: string[]): Promise<T> {
  const docs = await documents(join(DEPLOY, ...path));
  assert.equal(docs.length, 1);
  return docs[0] as T;
}

const sandboxPatch = () => one<V1Deployment>('overlays', 'sandbox', 'sandbox-behaviour.yaml');

test('every YAML file under deploy parses, sets no namespace, and every kustomization points at files that exist', async () => {
  const files = await yamlFiles(DEPLOY);
  assert.deepEqual(files.map((f) => relative(DEPLOY, f)), [
    'base/deployment.yaml', 'base/kustomization.yaml', 'base/service.yaml',
    'overlays/sandbox/kustomization.yaml', 'overlays/sandbox/sandbox-behaviour.yaml',
  ]);
  for (const file of files) {
    for (const doc of await documents(file)) {
      assert.ok(doc && typeof doc === 'object', `${file}: a mapping`);
      const object = doc as { kind?: string; metadata?: { namespace?: string }; namespace?: string };
      assert.equal(object.metadata?.namespace, undefined, `${file}: Flux's targetNamespace sets it`);
      if (object.kind !== 'Kustomization') continue;
      const k = object as Kustomization;
      assert.equal(k.apiVersion, 'kustomize.config.k8s.io/v1beta1', file);
      assert.equal(k.namespace, undefined, file);
      assert.equal(k.patchesStrategicMerge, undefined, `${file}: deprecated, use patches`);
      for (const resource of k.resources ?? []) {
        const target = join(dirname(file), resource);
        assert.ok(existsSync(target), `${file}: ${resource} exists`);
        if (statSync(target).isDirectory()) assert.ok(existsSync(join(target, 'kustomization.yaml')), `${resource} is a kustomization`);
      }
      for (const patch of k.patches ?? []) assert.ok(patch.path && existsSync(join(dirname(file), patch.path)), `${file}: patch ${patch.path}`);
    }
  }
  const overlay = await one<Kustomization>('overlays', 'sandbox', 'kustomization.yaml');
  assert.deepEqual(overlay.resources, ['../../base']);
  assert.deepEqual(overlay.patches?.map((p) => [p.path, p.target?.kind, p.target?.name]), [['sandbox-behaviour.yaml', 'Deployment', 'jokeservice']]);
  assert.deepEqual((await one<Kustomization>('base', 'kustomization.yaml')).resources, ['deployment.yaml', 'service.yaml']);
});

test('the base Deployment runs JokeService as the README says', async () => {
  const d = await one<V1Deployment>('base', 'deployment.yaml');
  assert.equal(d.apiVersion, 'apps/v1');
  assert.equal(d.kind, 'Deployment');
  assert.equal(d.metadata?.name, 'jokeservice');
  assert.deepEqual(d.metadata?.labels, { app: 'jokeservice' });
  assert.equal(d.spec?.replicas, 1);
  assert.deepEqual(d.spec?.selector.matchLabels, { app: 'jokeservice' });
  assert.deepEqual(d.spec?.template.metadata?.labels, { app: 'jokeservice' });
  const containers = d.spec?.template.spec?.containers ?? [];
  assert.equal(containers.length, 1);
  const c = containers[0]!;
  assert.equal(c.name, 'app');
  assert.equal(c.image, 'ghcr.io/gopherguard/jokeservice:1.0.0');
  assert.deepEqual(c.ports, [{ name: 'http', containerPort: 8080 }]);
  assert.deepEqual(c.env, [{ name: 'JOKE_SOURCE', value: 'builtin' }]);
  assert.equal(c.readinessProbe?.httpGet?.path, '/readyz');
  assert.ok(['http', 8080].includes(c.readinessProbe?.httpGet?.port as string | number));
  assert.equal(c.livenessProbe?.httpGet?.path, '/healthz');
  assert.equal(c.livenessProbe?.httpGet?.port, 8080);
  assert.deepEqual(c.resources, { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } });

  const service = await one<{ kind: string; spec: { selector: Record<string, string>; ports: { targetPort: string }[] } }>('base', 'service.yaml');
  assert.equal(service.kind, 'Service');
  assert.deepEqual(service.spec.selector, { app: 'jokeservice' });
  assert.equal(service.spec.ports[0]?.targetPort, 'http');
});

test('the sandbox overlay declares the app as it is, and the sandbox judges it healthy, and each fault as that fault', async () => {
  const patch = await sandboxPatch();
  // Only annotations: the hand merge below is then exactly what kustomize renders.
  assert.deepEqual(Object.keys(patch.spec ?? {}), ['template']);
  assert.deepEqual(Object.keys(patch.spec?.template ?? {}), ['metadata']);
  assert.deepEqual(Object.keys(patch.spec?.template.metadata ?? {}), ['annotations']);
  assert.equal(patch.metadata?.name, 'jokeservice');
  const annotations = patch.spec?.template.metadata?.annotations ?? {};
  assert.deepEqual(annotations, {
    'sandbox.gopherguard.dev/needs-memory': '96Mi',
    'sandbox.gopherguard.dev/requires-env': 'JOKE_SOURCE',
    'sandbox.gopherguard.dev/listens': '8080',
    'sandbox.gopherguard.dev/http-paths': '/joke,/healthz,/readyz,/metrics',
    'sandbox.gopherguard.dev/starts-in': '2s',
  });

  const base = await one<V1Deployment>('base', 'deployment.yaml');
  const registry = JSON.parse(await readFile(join(root, 'sandbox', 'registry.json'), 'utf8')) as { images: string[] };
  const world: World = { images: new Set(registry.images), configMaps: new Map(), secrets: new Map() };
  const judge = (change: (pod: V1Pod) => void = () => undefined) => {
    const pod: V1Pod = structuredClone({
      metadata: { namespace: 'jokes', labels: base.spec?.template.metadata?.labels, annotations },
      spec: base.spec!.template.spec!,
    });
    change(pod);
    return judgePod(pod, world);
  };
  assert.equal(judge().behaviour, 'healthy');
  const noEnv = judge((pod) => { pod.spec!.containers[0]!.env = []; });
  assert.deepEqual([noEnv.behaviour, noEnv.exitCode, noEnv.detail?.env], ['crash', 1, 'JOKE_SOURCE']);
  // CHAOS_MEMORY_HOG_MB=64 as the overlay would model it: 96Mi + 64Mi over a 128Mi limit.
  assert.equal(judge((pod) => { pod.metadata!.annotations!['sandbox.gopherguard.dev/needs-memory'] = '160Mi'; }).behaviour, 'oom');
  // CHAOS_SLOW_START_SECONDS=40: longer than liveness tolerates (3 x 10 s).
  assert.equal(judge((pod) => { pod.metadata!.annotations!['sandbox.gopherguard.dev/starts-in'] = '40s'; }).behaviour, 'slow-start');
});
