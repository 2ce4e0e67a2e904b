import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse, stringify } from 'yaml';
import { repoPath } from '../paths.ts';
import { probeOk } from './probe.ts';
import { waitUntil, type ManagedProcess } from './processes.ts';
import { readSandboxState } from './state.ts';

/** Loopback ports of the tier-3 metrics stack, chosen free at start-up. */
export interface ObservabilityPorts {
  prometheus: number;
  alertmanager: number;
  /** The behaviour controller's metrics exporter (src/sandbox/sim/metrics-exporter.ts). */
  simMetrics: number;
}

export const OBSERVABILITY_PORT_NAMES: Array<keyof ObservabilityPorts> = ['prometheus', 'alertmanager', 'simMetrics'];

/** The checked-in alert rules, copied beside the config at each start. */
export const ALERT_RULES_FILE = repoPath('sandbox', 'prometheus', 'alert-rules.yaml');

/** Where a sandbox keeps Alertmanager's config, which setAlertReceiver rewrites. */
export function alertmanagerConfigFile(sandboxDir: string): string {
  return join(sandboxDir, 'alertmanager', 'alertmanager.yml');
}

/**
 * Scrapes and evaluates every 2 s, so that a test sees a rate within seconds and an
 * alert's `for: 10s` within a quarter of a minute; a real cluster would use 15 to 60 s.
 * honor_labels keeps the exporter's namespace and pod labels, which a real set-up gets
 * from Kubernetes service discovery.
 */
export function prometheusConfig(ports: ObservabilityPorts, rulesFile: string): string {
  return stringify({
    global: { scrape_interval: '2s', scrape_timeout: '2s', evaluation_interval: '2s' },
    rule_files: [rulesFile],
    alerting: { alertmanagers: [{ api_version: 'v2', static_configs: [{ targets: [`127.0.0.1:${ports.alertmanager}`] }] }] },
    scrape_configs: [{
      job_name: 'sandbox-pods',
      honor_labels: true,
      static_configs: [{ targets: [`127.0.0.1:${ports.simMetrics}`] }],
    }],
  });
}

export interface AlertReceiver {
  /** Where Alertmanager POSTs its webhook (JSON, version 4). */
  url: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
}

/**
 * One alert group per alert and pod, sent a second after it fires and again every 2 s
 * while it changes: tests wait for it. Without a receiver the default one drops alerts,
 * which Alertmanager still lists under /api/v2/alerts.
 */
export function alertmanagerConfig(receiver?: AlertReceiver): string {
  const webhook = receiver && {
    url: receiver.url,
    send_resolved: true,
    max_alerts: 0,
    ...receiver.token ? { http_config: { authorization: { type: 'Bearer', credentials: receiver.token } } } : {},
  };
  return stringify({
    route: {
      receiver: 'sandbox',
      group_by: ['alertname', 'namespace', 'pod'],
      group_wait: '1s',
      group_interval: '2s',
      repeat_interval: '1m',
    },
    receivers: [{ name: 'sandbox', ...webhook ? { webhook_configs: [webhook] } : {} }],
  });
}

export function prometheusArgs(workDir: string, port: number): string[] {
  return [
    `--config.file=${join(workDir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(workDir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--web.enable-lifecycle',
    '--storage.tsdb.retention.time=2h',
  ];
}

/** An empty cluster address turns gossip off: one Alertmanager, no peers, no port 9094. */
export function alertmanagerArgs(workDir: string, port: number): string[] {
  return [
    `--config.file=${join(workDir, 'alertmanager.yml')}`,
    `--storage.path=${join(workDir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--cluster.listen-address=',
  ];
}

export interface StartObservabilityOptions {
  prometheus: string;
  alertmanager: string;
  /** The sandbox's folder; their files go under prometheus/ and alertmanager/ in it. */
  dir: string;
  ports: ObservabilityPorts;
  /** Starts a managed process (recorded in the sandbox state, stopped by `sandbox down`). */
  launch: (name: string, command: string, args: string[]) => Promise<ManagedProcess>;
}

export interface ObservabilityAccess {
  prometheus: { url: string };
  alertmanager: { url: string };
}

/**
 * Starts Alertmanager (no receiver yet) and Prometheus scraping the behaviour controller's
 * exporter with the sandbox's alert rules, on fresh data, and returns once both are ready.
 */
export async function startObservability(options: StartObservabilityOptions): Promise<ObservabilityAccess> {
  const promDir = join(options.dir, 'prometheus');
  const amDir = join(options.dir, 'alertmanager');
  // Each start is a new etcd, so series and silences of an earlier run are of pods long gone.
  await rm(promDir, { recursive: true, force: true });
  await rm(amDir, { recursive: true, force: true });
  await mkdir(join(promDir, 'data'), { recursive: true });
  await mkdir(join(amDir, 'data'), { recursive: true, mode: 0o700 }); // its config may hold a webhook token
  const rules = join(promDir, 'alert-rules.yaml');
  await copyFile(ALERT_RULES_FILE, rules);
  await writeFile(join(promDir, 'prometheus.yml'), prometheusConfig(options.ports, rules));
  await writeFile(alertmanagerConfigFile(options.dir), alertmanagerConfig(), { mode: 0o600 });

  const access: ObservabilityAccess = {
    prometheus: { url: `http://127.0.0.1:${options.ports.prometheus}` },
    alertmanager: { url: `http://127.0.0.1:${options.ports.alertmanager}` },
  };
  const alertmanager = await options.launch('alertmanager', options.alertmanager, alertmanagerArgs(amDir, options.ports.alertmanager));
  const prometheus = await options.launch('prometheus', options.prometheus, prometheusArgs(promDir, options.ports.prometheus));
  await waitUntil(alertmanager, 'ready', () => probeOk({ url: `${access.alertmanager.url}/-/ready` }));
  await waitUntil(prometheus, 'ready', () => probeOk({ url: `${access.prometheus.url}/-/ready` }));
  return access;
}

/**
 * Points the sandbox Alertmanager's only receiver at a webhook (or at nothing), reloads it
 * and returns once its status shows the new config, so a test can rely on it at once.
 */
export async function setAlertReceiver(sandboxDir: string, receiver: AlertReceiver | undefined): Promise<void> {
  const url = (await readSandboxState(sandboxDir))?.alertmanager?.url;
  if (!url) throw new Error(`No Alertmanager runs in the sandbox in ${sandboxDir}: start one with tier 3.`);
  await writeFile(alertmanagerConfigFile(sandboxDir), alertmanagerConfig(receiver), { mode: 0o600 });
  const reload = await fetch(`${url}/-/reload`, { method: 'POST' });
  if (!reload.ok) throw new Error(`Alertmanager refused its new config (${reload.status}): ${(await reload.text()).trim()}`);
  const deadline = Date.now() + 10_000;
  while ((await loadedWebhookUrl(url)) !== receiver?.url) {
    if (Date.now() > deadline) throw new Error(`Alertmanager at ${url} did not load the receiver ${receiver?.url ?? '(none)'} within 10 s.`);
    await sleep(100);
  }
}

/** The webhook URL of the config Alertmanager runs, from /api/v2/status (tokens show as <secret>). */
async function loadedWebhookUrl(url: string): Promise<string | undefined> {
  const res = await fetch(`${url}/api/v2/status`);
  const status = await res.json() as { config?: { original?: string } };
  const config = parse(status.config?.original ?? '') as { receivers?: Array<{ webhook_configs?: Array<{ url?: string }> }> } | null;
  return config?.receivers?.[0]?.webhook_configs?.[0]?.url;
}
