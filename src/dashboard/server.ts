// Serving the dashboard on a socket, for the operator and for `gopherguard run`.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createDashboard, type DashboardOptions } from './app.ts';
import type { DashboardSource } from './source.ts';

export interface StartDashboardOptions extends Omit<DashboardOptions, 'signal'> {
  source: DashboardSource;
  /** Loopback by default: exposing it is a deliberate choice (and then set a token). */
  host?: string;
  /** 0 picks any free port; the returned url has the real one. */
  port: number;
}

export interface RunningDashboard {
  /** Where it listens, as bound (the real port, IPv6 hosts in brackets). */
  url: string;
  close(): Promise<void>;
}

export function formatUrl(address: AddressInfo): string {
  const host = address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}/`;
}

export async function startDashboard(options: StartDashboardOptions): Promise<RunningDashboard> {
  const { source, host = '127.0.0.1', port, ...dashboardOptions } = options;
  const stop = new AbortController();
  const app = createDashboard(source, { ...dashboardOptions, signal: stop.signal });
  return new Promise((resolve, reject) => {
    const server = serve(
      // Keep Node's own Request and Response: the operator shares the process and its fetch.
      { fetch: app.fetch, hostname: host, port, overrideGlobalObjects: false },
      (address) => {
        server.off('error', reject);
        // Without a listener a later socket error would crash the operator's process.
        server.on('error', (error) => dashboardOptions.log?.('error', 'dashboard: server error', { error: String(error) }));
        resolve({
          url: formatUrl(address),
          close: () =>
            new Promise<void>((done, fail) => {
              stop.abort(); // ends the SSE streams, which would otherwise hold close() open
              server.close((error) => (error ? fail(error) : done()));
              if ('closeAllConnections' in server) server.closeAllConnections();
            }),
        });
      },
    );
    server.once('error', reject);
  });
}
