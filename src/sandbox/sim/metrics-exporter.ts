import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { parseQuantity } from '../../k8s/quantity.ts';
import { DECLARES, VERDICT, parseDurationSeconds } from './annotations.ts';
import { EXPOSITION_CONTENT_TYPE, formatFamilies, uniformHistogram, type MetricFamily } from './exposition.ts';
import type { SimRegistry } from './registry.ts';

/**
 * What Prometheus would scrape from each simulated pod if it ran: KWOK runs no
 * containers, so the numbers follow from the pod's spec, its image and the time since its
 * container started (ADR 16). A fix in Git (another image, a higher CPU limit) makes a new
 * pod with other numbers. The HTTP metrics have the names, labels, help and buckets of
 * JokeService's own (examples/jokeservice/src/metrics.ts); the container_* ones are
 * cAdvisor's, as a kubelet exports them.
 */

/** A steady load, so rates are the same at every scrape. */
export const REQUESTS_PER_SECOND = 10;
/** CFS enforces a CPU limit in 100 ms periods. */
export const CFS_PERIODS_PER_SECOND = 10;
/** prom-client's default buckets, which JokeService uses. */
export const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;
export const DEFAULT_LATENCY_SECONDS = 0.02;
const DEFAULT_WORKING_SET_BYTES = 64 * 2 ** 20;
/** The path JokeService serves its jokes on. */
const PATH = '/joke';

export interface PodMetrics {
  namespace: string;
  pod: string;
  container: string;
  /** Requests answered since the container started, by code. */
  requests: { ok: number; errors: number };
  latencySeconds: number;
  cpu: { periods: number; throttledPeriods: number };
  memory: { workingSetBytes: number; limitBytes: number };
}

/**
 * The metrics of one pod at `now` (ms since the epoch), or undefined when it serves
 * nothing: not Running, or judged anything but healthy by the behaviour controller.
 * Counters are a function of the time since the container started, so they never reset
 * when the exporter restarts, and do with the container, as a real one's would.
 */
export function podMetrics(pod: V1Pod, registry: SimRegistry, now: number): PodMetrics | undefined {
  const annotations = pod.metadata?.annotations ?? {};
  if (pod.status?.phase !== 'Running' || pod.metadata?.labels?.[VERDICT.behaviourLabel] !== 'healthy') return undefined;
  const containers = pod.spec?.containers ?? [];
  const target = containers.find((c) => c.name === annotations[DECLARES.container]) ?? containers[0];
  if (!target) return undefined;
  const status = pod.status.containerStatuses?.find((s) => s.name === target.name);
  const started = status?.state?.running?.startedAt ?? pod.status.startTime;
  if (started === undefined) return undefined;
  const seconds = Math.max(0, (now - new Date(started).getTime()) / 1000);

  const behaviour = registry.behaviours.get(target.image ?? '');
  const errorRate = parseFraction(annotations[DECLARES.errorRate]) ?? behaviour?.errorRate ?? 0;
  const total = Math.floor(seconds * REQUESTS_PER_SECOND);
  // The epsilon keeps 10 * 0.3 at 3 (it is 2.9999...); each count still only grows.
  const errors = Math.floor(total * errorRate + 1e-9);
  const periods = Math.floor(seconds * CFS_PERIODS_PER_SECOND);
  return {
    namespace: pod.metadata?.namespace ?? 'default',
    pod: pod.metadata?.name ?? '',
    container: target.name,
    requests: { ok: total - errors, errors },
    latencySeconds: parseDurationSeconds(annotations[DECLARES.latency]) ?? behaviour?.latencySeconds ?? DEFAULT_LATENCY_SECONDS,
    cpu: { periods, throttledPeriods: Math.floor(periods * throttledFraction(target, annotations) + 1e-9) },
    memory: memory(target, annotations),
  };
}

/** The share of CFS periods in which an app that wants more CPU than its limit is throttled. */
function throttledFraction(target: V1Container, annotations: Record<string, string>): number {
  const needs = parseQuantity(annotations[DECLARES.needsCpu]);
  const limit = parseQuantity(target.resources?.limits?.cpu);
  if (needs === undefined || limit === undefined || limit <= 0 || needs <= limit) return 0;
  return Math.max(0, 1 - limit / needs);
}

function memory(target: V1Container, annotations: Record<string, string>): PodMetrics['memory'] {
  const limit = parseQuantity(target.resources?.limits?.memory);
  const limitBytes = limit !== undefined && limit > 0 ? limit : 0;
  const declared = parseQuantity(annotations[DECLARES.usesMemory]) ?? parseQuantity(annotations[DECLARES.needsMemory]);
  return { limitBytes, workingSetBytes: declared ?? (limitBytes > 0 ? limitBytes / 2 : DEFAULT_WORKING_SET_BYTES) };
}

/** "0.3" or "30%"; anything else (or outside 0..1) is ignored. */
export function parseFraction(value: string | undefined): number | undefined {
  const match = /^(\d+(?:\.\d+)?|\.\d+)(%)?$/.exec(value?.trim() ?? '');
  if (!match) return undefined;
  const fraction = Number(match[1]) / (match[2] ? 100 : 1);
  return fraction <= 1 ? fraction : undefined;
}


/** The metric families for the pods that serve, as Prometheus's text format wants them grouped. */
export function metricFamilies(pods: readonly PodMetrics[]): MetricFamily[] {
  const ids = (m: PodMetrics) => ({ namespace: m.namespace, pod: m.pod, container: m.container });
  // Both codes always, at 0 too: Prometheus's advice for known label values, and a
  // healthy pod's error ratio is then 0 rather than no data.
  const byCode = (m: PodMetrics) => [['200', m.requests.ok], ['500', m.requests.errors]] as const;
  return [
    {
      name: 'http_requests_total', type: 'counter', help: 'HTTP requests answered, by path and status code.',
      samples: pods.flatMap((m) => byCode(m).map(([code, value]) => ({ name: 'http_requests_total', labels: { ...ids(m), path: PATH, code }, value }))),
    },
    {
      name: 'http_request_duration_seconds', type: 'histogram', help: 'Time from a request to the end of its answer, by path and status code.',
      samples: pods.flatMap((m) => byCode(m).flatMap(([code, count]) => (
        uniformHistogram('http_request_duration_seconds', { ...ids(m), path: PATH, code }, HTTP_BUCKETS, count, m.latencySeconds)))),
    },
    {
      name: 'container_cpu_cfs_periods_total', type: 'counter', help: 'Number of elapsed enforcement period intervals.',
      samples: pods.map((m) => ({ name: 'container_cpu_cfs_periods_total', labels: ids(m), value: m.cpu.periods })),
    },
    {
      name: 'container_cpu_cfs_throttled_periods_total', type: 'counter', help: 'Number of throttled period intervals.',
      samples: pods.map((m) => ({ name: 'container_cpu_cfs_throttled_periods_total', labels: ids(m), value: m.cpu.throttledPeriods })),
    },
    {
      name: 'container_memory_working_set_bytes', type: 'gauge', help: 'Current working set in bytes.',
      samples: pods.map((m) => ({ name: 'container_memory_working_set_bytes', labels: ids(m), value: m.memory.workingSetBytes })),
    },
    {
      name: 'container_spec_memory_limit_bytes', type: 'gauge', help: 'Memory limit for the container.',
      samples: pods.map((m) => ({ name: 'container_spec_memory_limit_bytes', labels: ids(m), value: m.memory.limitBytes })),
    },
  ];
}

/** The whole /metrics answer for a set of pods at `now`. */
export function renderMetrics(pods: Iterable<V1Pod>, registry: SimRegistry, now: number): string {
  const serving = [...pods].flatMap((pod) => podMetrics(pod, registry, now) ?? []);
  serving.sort((a, b) => `${a.namespace}/${a.pod}`.localeCompare(`${b.namespace}/${b.pod}`));
  return formatFamilies(metricFamilies(serving));
}

export interface MetricsExporterOptions {
  port: number;
  host?: string;
  /** The pods to publish, read at each scrape (the behaviour controller's informer cache). */
  pods: () => Iterable<V1Pod>;
  registry: SimRegistry;
  now?: () => number;
}

export interface MetricsExporter {
  url: string;
  close: () => Promise<void>;
}

/** Serves GET /metrics on loopback; port 0 picks a free one (tests). */
export async function startMetricsExporter(options: MetricsExporterOptions): Promise<MetricsExporter> {
  const now = options.now ?? Date.now;
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || new URL(req.url ?? '/', 'http://localhost').pathname !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('only GET /metrics is served here\n');
      return;
    }
    try {
      res.writeHead(200, { 'Content-Type': EXPOSITION_CONTENT_TYPE }).end(renderMetrics(options.pods(), options.registry, now()));
    } catch (error) {
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`${String(error)}\n`);
    }
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/metrics`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
