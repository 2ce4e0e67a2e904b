// The run's Prometheus and Alertmanager (tier-3 sandbox, see test/global-setup.ts), which
// see the simulated pods through the behaviour controller's metrics exporter.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestObservability {
  prometheusUrl: string;
  alertmanagerUrl: string;
  /** The sandbox's folder, for setAlertReceiver. */
  sandboxDir: string;
}

export function testObservability(): TestObservability {
  const prometheusUrl = process.env.GOPHERGUARD_TEST_PROMETHEUS_URL;
  const alertmanagerUrl = process.env.GOPHERGUARD_TEST_ALERTMANAGER_URL;
  const sandboxDir = process.env.GOPHERGUARD_TEST_SANDBOX_DIR;
  if (!prometheusUrl || !alertmanagerUrl || !sandboxDir) {
    throw new Error('GOPHERGUARD_TEST_PROMETHEUS_URL, _ALERTMANAGER_URL and _SANDBOX_DIR are not set: run the tests with npm test, which starts a tier-3 sandbox');
  }
  return { prometheusUrl, alertmanagerUrl, sandboxDir };
}

export interface PromSample {
  metric: Record<string, string>;
  value: number;
}

/** An instant PromQL query; the samples of its vector result (NaN stays NaN). */
export async function promQuery(prometheusUrl: string, expr: string): Promise<PromSample[]> {
  const res = await fetch(`${prometheusUrl}/api/v1/query?${new URLSearchParams({ query: expr })}`);
  const body = await res.json() as { status: string; error?: string; data?: { resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
  if (body.status !== 'success' || !body.data) throw new Error(`PromQL ${expr} failed: ${body.error ?? res.status}`);
  if (body.data.resultType !== 'vector') throw new Error(`PromQL ${expr} gave a ${body.data.resultType}, not a vector`);
  return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
}

export interface AlertmanagerAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  status: { state: string };
  startsAt: string;
}

/** The alerts Alertmanager holds (GET /api/v2/alerts). */
export async function alertmanagerAlerts(alertmanagerUrl: string): Promise<AlertmanagerAlert[]> {
  const res = await fetch(`${alertmanagerUrl}/api/v2/alerts`);
  if (!res.ok) throw new Error(`GET /api/v2/alerts: ${res.status} ${await res.text()}`);
  return await res.json() as AlertmanagerAlert[];
}

/** Alertmanager's webhook payload, version 4. */
export interface AlertmanagerWebhook {
  version: string;
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  alerts: Array<{ status: 'firing' | 'resolved'; labels: Record<string, string>; annotations: Record<string, string>; startsAt: string; fingerprint: string }>;
}

export interface WebhookSink {
  url: string;
  received: Array<{ headers: IncomingHttpHeaders; body: AlertmanagerWebhook }>;
  close: () => Promise<void>;
}

/** A loopback HTTP server that records every POST as Alertmanager's webhook JSON. */
export async function startWebhookSink(): Promise<WebhookSink> {
  const received: WebhookSink['received'] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        received.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as AlertmanagerWebhook });
        res.writeHead(200).end();
      } catch {
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/alerts`,
    received,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
