import { createServer, type Server } from 'node:http';

export interface HealthChecks {
  /** The process works (its event loop answers). */
  live: () => boolean;
  /** It can do its job: caches synced, and either leading or a ready standby. */
  ready: () => boolean;
}

/** /healthz and /readyz, as the kubelet probes them; nothing else is served here. */
export function startHealthServer(host: string, port: number, checks: HealthChecks): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const check = path === '/healthz' || path === '/livez' ? checks.live : path === '/readyz' ? checks.ready : undefined;
    if (!check) {
      res.writeHead(404).end('not found\n');
      return;
    }
    const ok = check();
    res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' }).end(ok ? 'ok\n' : 'not ready\n');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
