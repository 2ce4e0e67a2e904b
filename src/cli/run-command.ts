import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { llmDefaultsFromEnv, llmTuningFromEnv } from '../diagnose/llm/index.ts';
import { Operator } from '../operator/operator.ts';
import { connect } from './kubeconfig.ts';
import { createLog, type LogFormat, type LogLevel } from './logger.ts';
import { UsageError } from './usage-error.ts';

export const RUN_USAGE = `Usage: gopherguard run [options]

Runs the operator against a cluster: in-cluster, or out of cluster with a kubeconfig.
Every option can also be set by the environment variable in brackets.

Options:
  --kubeconfig FILE        kubeconfig (KUBECONFIG; default ~/.kube/config, else in-cluster)
  -n, --namespace NS[,NS]  guard only these namespaces; repeat or separate with commas
                           (GOPHERGUARD_NAMESPACE, comma-separated; default: all)
  --leader-elect BOOL      elect a leader among replicas with a Lease (GOPHERGUARD_LEADER_ELECT; default true)
  --lease-namespace NS     where the Lease lives (GOPHERGUARD_LEASE_NAMESPACE; default: POD_NAMESPACE, the first -n namespace or "default")
  --lease-name NAME        (GOPHERGUARD_LEASE_NAME; default gopherguard-leader)
  --lease-duration SECONDS, --renew-deadline SECONDS, --retry-period SECONDS
                           leader election timing (GOPHERGUARD_LEASE_DURATION, _RENEW_DEADLINE,
                           _RETRY_PERIOD; default 15, 10, 2, as controller-runtime)
  --health-addr HOST:PORT  /healthz and /readyz (GOPHERGUARD_HEALTH_ADDR; default 127.0.0.1:8081; port 0 picks one)
  --metrics-addr HOST:PORT Prometheus /metrics (GOPHERGUARD_METRICS_ADDR; default 127.0.0.1:8080; "off" to disable)
  --dashboard-addr HOST:PORT
                           the read-only dashboard (GOPHERGUARD_DASHBOARD_ADDR; default 127.0.0.1:8082; "off" to disable)
  --dashboard-token TOKEN  require "Authorization: Bearer TOKEN" (GOPHERGUARD_DASHBOARD_TOKEN; default none)
  --prometheus-url URL     the Prometheus that AegisWatches with spec.metrics query when they name none
                           (GOPHERGUARD_PROMETHEUS_URL; default none; a bearer token from GOPHERGUARD_PROMETHEUS_TOKEN)
  --alerts-addr HOST:PORT  receive Alertmanager's webhook at POST /webhooks/alertmanager
                           (GOPHERGUARD_ALERTS_ADDR; default off)
  --alerts-token TOKEN     require "Authorization: Bearer TOKEN" from Alertmanager (GOPHERGUARD_ALERTS_TOKEN; default none)
  --log-format json|text   (GOPHERGUARD_LOG_FORMAT; default text on a terminal, json otherwise)
  --log-level LEVEL        debug, info, warn or error (GOPHERGUARD_LOG_LEVEL; default info)

The operator's default model, for AegisWatches with diagnoser.engine llm but no settings of
their own, comes from GOPHERGUARD_LLM_PROVIDER (openai, groq, xai, openai-compatible,
ollama), GOPHERGUARD_LLM_MODEL, GOPHERGUARD_LLM_BASE_URL, GOPHERGUARD_LLM_POLICY and
GOPHERGUARD_LLM_API_KEY (mount it from a Secret). Without them, only the rules diagnose.
GOPHERGUARD_LLM_PRICES ({"<model>":{"inputPerMillion":N,"outputPerMillion":N}}, USD) records
each diagnosis's cost; GOPHERGUARD_LLM_STRUCTURED_OUTPUTS=false puts the answer's schema in
the prompt for OpenAI-compatible servers without JSON-schema mode.`;

function parseAddress(value: string, flag = '--health-addr'): { host: string; port: number } {
  const match = /^(.*):(\d{1,5})$/.exec(value);
  const port = Number(match?.[2]);
  if (!match || port > 65535) throw new UsageError(`${flag} must be HOST:PORT, not ${value}`, RUN_USAGE);
  return { host: match[1] || '0.0.0.0', port };
}

const NAMESPACE_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** `-n shop -n pay,ops` → [shop, pay, ops]; none means every namespace. Exported for tests. */
export function parseNamespaces(given: string[]): string[] {
  const names = [...new Set(given.flatMap((value) => value.split(',')).map((n) => n.trim()).filter((n) => n !== ''))];
  const bad = names.find((n) => !NAMESPACE_NAME.test(n));
  if (bad !== undefined) throw new UsageError(`--namespace: "${bad}" is not a namespace name (lower-case letters, digits and '-', at most 63)`, RUN_USAGE);
  return names;
}

export async function runRunCommand(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      kubeconfig: { type: 'string' },
      namespace: { type: 'string', short: 'n', multiple: true },
      'leader-elect': { type: 'string', default: env.GOPHERGUARD_LEADER_ELECT ?? 'true' },
      'lease-namespace': { type: 'string', default: env.GOPHERGUARD_LEASE_NAMESPACE },
      'lease-name': { type: 'string', default: env.GOPHERGUARD_LEASE_NAME ?? 'gopherguard-leader' },
      'lease-duration': { type: 'string', default: env.GOPHERGUARD_LEASE_DURATION ?? '15' },
      'renew-deadline': { type: 'string', default: env.GOPHERGUARD_RENEW_DEADLINE ?? '10' },
      'retry-period': { type: 'string', default: env.GOPHERGUARD_RETRY_PERIOD ?? '2' },
      'metrics-addr': { type: 'string', default: env.GOPHERGUARD_METRICS_ADDR ?? '127.0.0.1:8080' },
      'health-addr': { type: 'string', default: env.GOPHERGUARD_HEALTH_ADDR ?? '127.0.0.1:8081' },
      'dashboard-addr': { type: 'string', default: env.GOPHERGUARD_DASHBOARD_ADDR ?? '127.0.0.1:8082' },
      'dashboard-token': { type: 'string', default: env.GOPHERGUARD_DASHBOARD_TOKEN },
      'prometheus-url': { type: 'string', default: env.GOPHERGUARD_PROMETHEUS_URL },
      'alerts-addr': { type: 'string', default: env.GOPHERGUARD_ALERTS_ADDR ?? 'off' },
      'alerts-token': { type: 'string', default: env.GOPHERGUARD_ALERTS_TOKEN },
      'log-format': { type: 'string', default: env.GOPHERGUARD_LOG_FORMAT ?? (process.stderr.isTTY ? 'text' : 'json') },
      'log-level': { type: 'string', default: env.GOPHERGUARD_LOG_LEVEL ?? 'info' },
    },
  });
  const namespaces = parseNamespaces(values.namespace ?? (env.GOPHERGUARD_NAMESPACE ? [env.GOPHERGUARD_NAMESPACE] : []));
  const leaderElect = values['leader-elect'];
  if (leaderElect !== 'true' && leaderElect !== 'false') throw new UsageError(`--leader-elect must be true or false, not ${leaderElect}`, RUN_USAGE);
  const format = values['log-format'];
  if (format !== 'json' && format !== 'text') throw new UsageError(`--log-format must be json or text, not ${format}`, RUN_USAGE);
  const level = values['log-level'];
  if (!['debug', 'info', 'warn', 'error'].includes(level)) throw new UsageError(`--log-level must be debug, info, warn or error, not ${level}`, RUN_USAGE);
  const health = parseAddress(values['health-addr']);
  const metrics = values['metrics-addr'] === 'off' ? undefined : parseAddress(values['metrics-addr'], '--metrics-addr');
  const dashboard = values['dashboard-addr'] === 'off'
    ? undefined
    : { ...parseAddress(values['dashboard-addr'], '--dashboard-addr'), ...(values['dashboard-token'] ? { token: values['dashboard-token'] } : {}) };
  const alerts = values['alerts-addr'] === 'off'
    ? undefined
    : { ...parseAddress(values['alerts-addr'], '--alerts-addr'), ...(values['alerts-token'] ? { token: values['alerts-token'] } : {}) };
  const prometheusUrl = values['prometheus-url'];
  if (prometheusUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(prometheusUrl)) throw new UsageError(`--prometheus-url must be an http:// or https:// URL, not ${prometheusUrl}`, RUN_USAGE);
  const prometheus = prometheusUrl ? { url: prometheusUrl, ...(env.GOPHERGUARD_PROMETHEUS_TOKEN ? { token: env.GOPHERGUARD_PROMETHEUS_TOKEN } : {}) } : undefined;
  const seconds = (name: 'lease-duration' | 'renew-deadline' | 'retry-period') => {
    const value = Number(values[name]);
    if (!(value > 0 && value <= 3600)) throw new UsageError(`--${name} must be a number of seconds, not ${values[name]}`, RUN_USAGE);
    return value * 1000;
  };
  const log = createLog(format as LogFormat, level as LogLevel);
  const client = connect(values.kubeconfig ?? env.KUBECONFIG);
  let llmDefaults;
  let llmTuning;
  try {
    llmDefaults = llmDefaultsFromEnv(env);
    llmTuning = llmTuningFromEnv(env);
  } catch (error) {
    throw new UsageError((error as Error).message, RUN_USAGE);
  }

  let exitCode = 0;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => { finish = resolve; });
  const operator = new Operator({
    client,
    llm: { defaults: llmDefaults, ...llmTuning },
    ...(namespaces.length > 0 ? { namespaces } : {}),
    leaderElection: {
      enabled: leaderElect === 'true',
      namespace: values['lease-namespace'] ?? env.POD_NAMESPACE ?? namespaces[0] ?? 'default',
      name: values['lease-name'],
      identity: env.POD_NAME ? `${env.POD_NAME}_${process.pid}` : undefined,
      leaseDurationMs: seconds('lease-duration'),
      renewDeadlineMs: seconds('renew-deadline'),
      retryPeriodMs: seconds('retry-period'),
    },
    health,
    metrics,
    dashboard,
    prometheus,
    alerts,
    log,
    // Like controller-runtime: a replica that lost the lease exits and starts afresh.
    onLostLeadership: () => { exitCode = 1; finish(); },
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => { log('info', `received ${signal}, shutting down`); finish(); });
  await operator.start();
  log('info', 'gopherguard running', {
    health: `http://${health.host}:${operator.healthPort}`,
    ...(metrics ? { metrics: `http://${metrics.host}:${operator.metricsPort}/metrics` } : {}),
    ...(operator.dashboardUrl ? { dashboard: operator.dashboardUrl } : {}),
    ...(alerts ? { alerts: `http://${alerts.host}:${operator.alertsPort}/webhooks/alertmanager` } : {}),
    ...(prometheus ? { prometheus: prometheus.url } : {}),
    host: hostname(), leaderElection: leaderElect,
  });
  await finished;
  await operator.stop();
  log('info', 'stopped');
  return exitCode;
}
