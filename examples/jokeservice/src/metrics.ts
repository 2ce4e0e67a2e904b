import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  requests: Counter<'path' | 'code'>;
  duration: Histogram<'path' | 'code'>;
}

/**
 * Its own registry rather than prom-client's global one, so that each server (and each
 * test) counts only its own requests. The default metrics add process_* (CPU, resident
 * memory, open fds) and nodejs_* (heap, event loop lag).
 */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by path and status code.',
    labelNames: ['path', 'code'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from a request to the end of its answer, by path and status code.',
    labelNames: ['path', 'code'] as const,
    // prom-client's defaults (5 ms to 10 s) cover CHAOS_LATENCY_MS up to the last bucket.
    registers: [registry],
  });
  return { registry, requests, duration };
}
