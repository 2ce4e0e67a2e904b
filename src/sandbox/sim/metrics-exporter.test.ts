import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { debianCheckers, resolveDebianTools } from '../binaries/debian-package.ts';
import { parseDurationSeconds } from './annotations.ts';
import { podMetrics, parseFraction, renderMetrics, startMetricsExporter, type MetricsExporter } from './metrics-exporter.ts';
import { loadRegistry, type SimRegistry } from './registry.ts';

const exec = promisify(execFile);
const STABLE = 'ghcr.io/gopherguard/jokeservice:1.0.0';
const BUGGY = 'ghcr.io/gopherguard/jokeservice:1.5.0';
const SLOW = 'ghcr.io/gopherguard/jokeservice:1.4.0';
const registry: SimRegistry = loadRegistry();
const STARTED = Date.parse('2026-11-26T10:00:00Z');
const at = (seconds: number) => STARTED + seconds * 1000;

function pod(container: Partial<V1Container> = {}, annotations: Record<string, string> = {}, behaviour = 'healthy'): V1Pod {
  return {
    metadata: { name: 'joke-1', namespace: 'shop', annotations, labels: { 'sandbox.gopherguard.dev/behaviour': behaviour } },
    spec: { containers: [{ name: 'app', image: STABLE, ...container }] },
    status: {
      phase: 'Running',
      startTime: new Date(STARTED - 5000),
      // The informer hands Dates; a JSON read hands strings: both work.
      containerStatuses: [{ name: 'app', image: STABLE, imageID: '', ready: true, restartCount: 0, state: { running: { startedAt: new Date(STARTED) } } }],
    },
  };
}

describe('podMetrics', () => {
  it('counts 10 requests a second since the container started, split by the image\'s error rate', () => {
    const m = podMetrics(pod({ image: BUGGY }), registry, at(100));
    assert.deepEqual(m?.requests, { ok: 700, errors: 300 });
    assert.deepEqual([m?.namespace, m?.pod, m?.container, m?.latencySeconds], ['shop', 'joke-1', 'app', 0.02]);
    assert.deepEqual(podMetrics(pod(), registry, at(100))?.requests, { ok: 1000, errors: 0 }, 'a good release answers every request');
  });

  it('is a function of time, so an exporter restart does not reset a counter, and never goes down', () => {
    assert.deepEqual(podMetrics(pod({ image: BUGGY }), registry, at(42.5)), podMetrics(pod({ image: BUGGY }), registry, at(42.5)));
    let previous = { ok: 0, errors: 0 };
    for (let t = 0; t <= 30; t += 0.1) {
      const { ok, errors } = podMetrics(pod({ image: BUGGY }), registry, at(t))?.requests ?? previous;
      assert.ok(ok >= previous.ok && errors >= previous.errors, `monotonic at ${t}s`);
      previous = { ok, errors };
    }
    assert.deepEqual(podMetrics(pod(), registry, STARTED - 10_000)?.requests, { ok: 0, errors: 0 }, 'a clock behind the start counts nothing');
  });

  it('publishes nothing for a pod that is not Running or not judged healthy', () => {
    assert.equal(podMetrics(pod({}, {}, 'oom'), registry, at(10)), undefined);
    assert.equal(podMetrics({ ...pod(), status: { ...pod().status, phase: 'Pending' } }, registry, at(10)), undefined);
    assert.equal(podMetrics({ ...pod(), metadata: { name: 'x', namespace: 'shop' } }, registry, at(10)), undefined, 'not judged yet');
  });

  it('takes the error rate and latency from annotations before the registry', () => {
    assert.deepEqual(podMetrics(pod({ image: BUGGY }, { 'sandbox.gopherguard.dev/error-rate': '0.1' }), registry, at(100))?.requests, { ok: 900, errors: 100 });
    assert.equal(podMetrics(pod({ image: SLOW }), registry, at(1))?.latencySeconds, 1.5);
    assert.equal(podMetrics(pod({ image: SLOW }, { 'sandbox.gopherguard.dev/latency': '250ms' }), registry, at(1))?.latencySeconds, 0.25);
    assert.deepEqual([parseFraction('30%'), parseFraction('.5'), parseFraction('1.5'), parseFraction('lots')], [0.3, 0.5, undefined, undefined]);
    assert.deepEqual([parseDurationSeconds('1500ms'), parseDurationSeconds('1.5s'), parseDurationSeconds('2m'), parseDurationSeconds('0.2'), parseDurationSeconds('soon')], [1.5, 1.5, 120, 0.2, undefined]);
  });

  it('throttles a container that needs more CPU than its limit, in proportion', () => {
    const throttled = podMetrics(pod({ resources: { limits: { cpu: '250m' } } }, { 'sandbox.gopherguard.dev/needs-cpu': '500m' }), registry, at(60));
    assert.deepEqual(throttled?.cpu, { periods: 600, throttledPeriods: 300 });
    const fits = podMetrics(pod({ resources: { limits: { cpu: '1' } } }, { 'sandbox.gopherguard.dev/needs-cpu': '500m' }), registry, at(60));
    assert.deepEqual(fits?.cpu, { periods: 600, throttledPeriods: 0 });
    assert.deepEqual(podMetrics(pod({}, { 'sandbox.gopherguard.dev/needs-cpu': '4' }), registry, at(60))?.cpu.throttledPeriods, 0, 'no limit, no throttling');
  });

  it('reports the working set as declared, else half the limit, else 64Mi, and the limit', () => {
    const limited = { resources: { limits: { memory: '128Mi' } } };
    const mi = 2 ** 20;
    assert.deepEqual(podMetrics(pod(limited, { 'sandbox.gopherguard.dev/uses-memory': '120Mi', 'sandbox.gopherguard.dev/needs-memory': '96Mi' }), registry, at(1))?.memory, { workingSetBytes: 120 * mi, limitBytes: 128 * mi });
    assert.deepEqual(podMetrics(pod(limited, { 'sandbox.gopherguard.dev/needs-memory': '96Mi' }), registry, at(1))?.memory, { workingSetBytes: 96 * mi, limitBytes: 128 * mi });
    assert.deepEqual(podMetrics(pod(limited), registry, at(1))?.memory, { workingSetBytes: 64 * mi, limitBytes: 128 * mi });
    assert.deepEqual(podMetrics(pod(), registry, at(1))?.memory, { workingSetBytes: 64 * mi, limitBytes: 0 });
  });

  it('describes the container the pod names, from its own start', () => {
    const p = pod({}, { 'sandbox.gopherguard.dev/container': 'api' });
    p.spec?.containers.push({ name: 'api', image: BUGGY });
    p.status?.containerStatuses?.push({ name: 'api', image: BUGGY, imageID: '', ready: true, restartCount: 1, state: { running: { startedAt: new Date(at(50)) } } });
    const m = podMetrics(p, registry, at(60));
    assert.equal(m?.container, 'api');
    assert.deepEqual(m?.requests, { ok: 70, errors: 30 });
  });
});

describe('renderMetrics', () => {
  const text = renderMetrics([pod({ image: SLOW, resources: { limits: { cpu: '100m', memory: '100Mi' } } }, { 'sandbox.gopherguard.dev/needs-cpu': '400m' })], registry, at(10));
  const ids = 'namespace="shop",pod="joke-1",container="app"';

  it('writes JokeService\'s HTTP metrics with both codes, and cAdvisor\'s container metrics', () => {
    for (const line of [
      '# TYPE http_requests_total counter',
      `http_requests_total{${ids},path="/joke",code="200"} 100`,
      `http_requests_total{${ids},path="/joke",code="500"} 0`,
      '# TYPE http_request_duration_seconds histogram',
      `http_request_duration_seconds_bucket{${ids},path="/joke",code="200",le="1"} 0`,
      `http_request_duration_seconds_bucket{${ids},path="/joke",code="200",le="2.5"} 100`,
      `http_request_duration_seconds_bucket{${ids},path="/joke",code="200",le="+Inf"} 100`,
      `http_request_duration_seconds_sum{${ids},path="/joke",code="200"} 150`,
      `http_request_duration_seconds_count{${ids},path="/joke",code="200"} 100`,
      `container_cpu_cfs_periods_total{${ids}} 100`,
      `container_cpu_cfs_throttled_periods_total{${ids}} 75`,
      `container_memory_working_set_bytes{${ids}} ${50 * 2 ** 20}`,
      `container_spec_memory_limit_bytes{${ids}} ${100 * 2 ** 20}`,
    ]) assert.ok(text.split('\n').includes(line), `missing: ${line}\n${text}`);
  });

  it('passes promtool\'s lint (promtool ships with the sandbox\'s prometheus)', async () => {
    const { promtool } = debianCheckers(await resolveDebianTools());
    const child = exec(promtool, ['check', 'metrics']);
    child.child.stdin?.end(text);
    const { stdout, stderr } = await child;
    assert.equal(`${stdout}${stderr}`.trim(), '');
  });
});

describe('the exporter', () => {
  let exporter: MetricsExporter | undefined;
  after(async () => { await exporter?.close(); });

  it('serves the text format on GET /metrics over loopback, read from the pods at each scrape', async () => {
    let pods: V1Pod[] = [];
    exporter = await startMetricsExporter({ port: 0, pods: () => pods, registry, now: () => at(20) });
    const empty = await fetch(exporter.url);
    assert.equal(empty.status, 200);
    assert.equal(empty.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
    assert.doesNotMatch(await empty.text(), /^http_requests_total\{/m);

    pods = [pod({ image: BUGGY })];
    const body = await (await fetch(exporter.url)).text();
    assert.match(body, /^http_requests_total\{namespace="shop",pod="joke-1",container="app",path="\/joke",code="500"\} 60$/m);
    assert.match(body, /^http_requests_total\{namespace="shop",pod="joke-1",container="app",path="\/joke",code="200"\} 140$/m);
    assert.equal((await fetch(exporter.url.replace('/metrics', '/'))).status, 404);
  });
});

describe('the registry', () => {
  it('can pull every image it gives a behaviour to', () => {
    for (const image of registry.behaviours.keys()) assert.ok(registry.images.has(image), image);
    assert.deepEqual(registry.behaviours.get(BUGGY), { errorRate: 0.3 });
    assert.deepEqual(registry.behaviours.get(SLOW), { latencySeconds: 1.5 });
  });
});
