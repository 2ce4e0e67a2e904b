import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { delay, injectFailure } from './chaos.ts';
import type { Chaos } from './config.ts';
import type { Joke } from './jokes.ts';
import { pickJoke } from './jokes.ts';
import { log } from './log.ts';
import type { Metrics } from './metrics.ts';

export interface JokeServerOptions {
  jokes: readonly Joke[];
  chaos: Chaos;
  metrics: Metrics;
  random: () => number;
}

export interface JokeServer {
  server: Server;
  /**
   * Readiness off: /readyz answers 503 from now on. New connections are refused once the
   * server closes; this tells clients still on a kept-alive connection to go elsewhere.
   */
  drain(): void;
}

const ROUTES = new Set(['/joke', '/healthz', '/readyz', '/metrics']);

export function createJokeServer(options: JokeServerOptions): JokeServer {
  let draining = false;
  const server = createServer((req, res) => {
    const started = process.hrtime.bigint();
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    // Unknown paths share one label: a scanner must not grow the metrics without bound.
    const path = ROUTES.has(pathname) ? pathname : 'other';
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const labels = { path, code: String(res.statusCode) };
      options.metrics.requests.inc(labels);
      options.metrics.duration.observe(labels, seconds);
      log(res.statusCode >= 500 ? 'warn' : 'info', `${req.method} ${pathname}`, { status: res.statusCode, durationMs: Math.round(seconds * 1e4) / 10 });
    });
    handle(req, res, path, options, () => draining).catch((error: unknown) => {
      log('error', 'request failed', { path: pathname, error: String(error) });
      if (!res.headersSent) send(res, 500, 'application/json', '{"error":"internal error"}\n');
      else res.destroy();
    });
  });
  return { server, drain: () => { draining = true; } };
}

async function handle(req: IncomingMessage, res: ServerResponse, path: string, options: JokeServerOptions, draining: () => boolean): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return send(res, 405, 'text/plain', 'method not allowed\n');
  }
  switch (path) {
    case '/joke': {
      if (options.chaos.latencyMs > 0) await delay(options.chaos.latencyMs);
      if (injectFailure(options.chaos.errorRate, options.random)) {
        return send(res, 500, 'application/json', '{"error":"chaos: injected failure (CHAOS_ERROR_RATE)"}\n');
      }
      return send(res, 200, 'application/json', `${JSON.stringify(pickJoke(options.jokes, options.random))}\n`);
    }
    // Liveness: the process answers. It stays 200 while draining, or the kubelet would
    // restart a pod that is only shutting down.
    case '/healthz':
      return send(res, 200, 'text/plain', 'ok\n');
    case '/readyz':
      return draining() ? send(res, 503, 'text/plain', 'shutting down\n') : send(res, 200, 'text/plain', 'ok\n');
    case '/metrics':
      return send(res, 200, options.metrics.registry.contentType, await options.metrics.registry.metrics());
    default:
      return send(res, 404, 'text/plain', 'not found\n');
  }
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
