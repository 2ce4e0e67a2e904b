import type { Server } from 'node:http';
import { LeaderElector } from '../controller/index.ts';
import { createLlmDiagnoser, type LlmDiagnoser, type LlmDiagnoserOptions } from '../diagnose/llm/index.ts';
import { Redactor } from '../redact/index.ts';
import { DiagnosisController } from '../reconcile/diagnosis-controller.ts';
import { RemediationController, type RemediationControllerOptions } from '../reconcile/remediation-controller.ts';
import { VerificationController } from '../reconcile/verification-controller.ts';
import { NotificationController } from '../reconcile/notification-controller.ts';
import { PhaseEvents } from '../reconcile/phase-events.ts';
import { leaseApi } from '../controller/lease-lock.ts';
import type { KubeClient } from '../k8s/kube-client.ts';
import { ClusterCache } from '../reconcile/cluster-cache.ts';
import { GitOpsController } from '../reconcile/gitops-controller.ts';
import { WatchController } from '../reconcile/watch-controller.ts';
import { WorkloadController } from '../reconcile/workload-controller.ts';
import { OperatorMetrics, startMetricsServer } from '../metrics/operator-metrics.ts';
import { startDashboard, type RunningDashboard } from '../dashboard/index.ts';
import { cacheDashboardSource } from './dashboard-source.ts';
import { startHealthServer } from './health-server.ts';
import { redactedLog } from './redacted-log.ts';
import { MetricController } from '../reconcile/metric-controller.ts';
import { AlertIntake } from '../reconcile/alert-intake.ts';
import { startAlertReceiver } from '../observe/alert-receiver.ts';
import type { DefaultPrometheus } from '../observe/watch-prometheus.ts';

export type Log = (level: 'debug' | 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

export interface OperatorOptions {
  client: KubeClient;
  /** Guard only these namespaces; all namespaces when absent or empty. */
  namespaces?: string[];
  leaderElection: { enabled: boolean; namespace: string; name: string; identity?: string; leaseDurationMs?: number; renewDeadlineMs?: number; retryPeriodMs?: number };
  health: { host: string; port: number };
  /** Where /metrics is served; not served when absent. */
  metrics?: { host: string; port: number };
  /** Where the dashboard is served (read-only; a bearer token when set); not served when absent. */
  dashboard?: { host: string; port: number; token?: string };
  log: Log;
  /** Called when leadership is lost: the process should exit and be restarted. */
  onLostLeadership?: () => void;
  /** The LLM diagnoser's settings: the operator's default model (from the environment), timeouts, retries. */
  llm?: LlmDiagnoserOptions;
  /** The Prometheus that watches with metric rules query when they name none of their own. */
  prometheus?: DefaultPrometheus;
  /** Where Alertmanager's webhook is received (POST /webhooks/alertmanager); not served when absent. */
  alerts?: { host: string; port: number; token?: string };
  /** Remediation knobs for tests: a forge client, a crash after a step, the PR poll interval. */
  remediation?: Pick<RemediationControllerOptions, 'forgeFor' | 'afterStep' | 'pullRequestPollMs'>;
}

/**
 * The operator's process: caches and health endpoints always, controllers only while
 * leading (a standby replica keeps warm caches and takes over within a lease).
 */
export class Operator {
  private readonly options: OperatorOptions;
  readonly cache: ClusterCache;
  private workloads: WorkloadController | undefined;
  private watches: WatchController | undefined;
  private gitops: GitOpsController | undefined;
  private diagnosis: DiagnosisController | undefined;
  private remediation: RemediationController | undefined;
  private verification: VerificationController | undefined;
  private notifications: NotificationController | undefined;
  private phaseEvents: PhaseEvents | undefined;
  private metricRules: MetricController | undefined;
  private alertServer: Server | undefined;
  /** One per process: its cache, budgets and circuit breakers outlive a leadership change. */
  private readonly diagnoser: LlmDiagnoser;
  readonly redactor = new Redactor();
  private elector: LeaderElector | undefined;
  private health: Server | undefined;
  private dashboard: RunningDashboard | undefined;
  private metricsServer: Server | undefined;
  readonly metrics: OperatorMetrics;
  private synced = false;
  private stopping = false;

  constructor(options: OperatorOptions) {
    this.options = { ...options, log: redactedLog(options.log, (text) => this.redactor.redactText(text).text) };
    const log = (message: string, fields?: Record<string, unknown>) => this.options.log('warn', message, fields);
    this.cache = new ClusterCache({ client: options.client, namespaces: options.namespaces, log });
    this.metrics = new OperatorMetrics(this.cache, () => this.isLeader());
    this.metrics.trackNotifications(() => this.notifications?.stats() ?? []);
    this.diagnoser = createLlmDiagnoser({ ...options.llm, redact: (text) => this.redactor.redactText(text) });
  }

  get healthPort(): number | undefined {
    return portOf(this.health);
  }

  /** The dashboard's address once started, e.g. http://127.0.0.1:8082/. */
  get dashboardUrl(): string | undefined {
    return this.dashboard?.url;
  }

  /** The Alertmanager webhook's port once started. */
  get alertsPort(): number | undefined {
    return portOf(this.alertServer);
  }

  get metricsPort(): number | undefined {
    return portOf(this.metricsServer);
  }

  isLeader(): boolean {
    return this.elector ? this.elector.isLeader() : this.workloads !== undefined;
  }

  async start(): Promise<void> {
    const { log } = this.options;
    this.health = await startHealthServer(this.options.health.host, this.options.health.port, {
      live: () => true,
      ready: () => this.synced && !this.stopping,
    });
    if (this.options.metrics) this.metricsServer = await startMetricsServer(this.options.metrics.host, this.options.metrics.port, this.metrics.registry);
    try {
      await this.cache.start();
    } catch (error) {
      const text = String(error);
      if (/404/.test(text)) throw new Error('the gopherguard.dev CRDs are not installed: run `gopherguard crds | kubectl apply --server-side -f -`', { cause: error });
      throw error;
    }
    this.synced = true;
    log('info', 'caches synced', { namespaces: this.options.namespaces?.length ? this.options.namespaces.join(',') : '(all)' });
    if (this.options.dashboard) {
      this.dashboard = await startDashboard({ ...this.options.dashboard, source: cacheDashboardSource(this.cache), log });
    }
    if (this.options.alerts) {
      // Every replica takes alerts (a Service may send them to any): recording is idempotent.
      const intake = new AlertIntake({ client: this.options.client, cache: this.cache, log: (message, fields) => log('info', message, fields) });
      this.alertServer = await startAlertReceiver({ ...this.options.alerts, take: (payload) => intake.take(payload), log });
    }
    const election = this.options.leaderElection;
    if (!election.enabled) {
      this.startControllers();
      return;
    }
    this.elector = new LeaderElector({
      api: leaseApi(this.options.client),
      namespace: election.namespace,
      name: election.name,
      identity: election.identity,
      leaseDurationMs: election.leaseDurationMs,
      renewDeadlineMs: election.renewDeadlineMs,
      retryPeriodMs: election.retryPeriodMs,
      callbacks: {
        onStartedLeading: () => {
          log('info', 'became leader', { identity: this.elector?.identity });
          this.startControllers();
        },
        onStoppedLeading: () => {
          log(this.stopping ? 'info' : 'error', 'stopped leading', { identity: this.elector?.identity });
          void this.stopControllers();
          if (!this.stopping) this.options.onLostLeadership?.();
        },
        onNewLeader: (identity) => log('info', 'leader', { identity }),
      },
      onError: (error) => log('debug', 'leader election attempt failed', { error: error.message }),
    });
    void this.elector.run();
  }

  private startControllers(): void {
    const { client, log } = this.options;
    const warn = (message: string, fields?: Record<string, unknown>) => log('warn', message, fields);
    this.workloads = new WorkloadController({
      client, cache: this.cache, hooks: this.metrics.hooksFor('workloads'), log: (message, fields) => log(message === 'incident detected' ? 'info' : 'warn', message, fields),
    });
    this.watches = new WatchController({ client, cache: this.cache, log: warn, hooks: this.metrics.hooksFor('watches') });
    this.gitops = new GitOpsController({
      client, cache: this.cache, hooks: this.metrics.hooksFor('gitops'), scoped: (this.options.namespaces?.length ?? 0) > 0,
      log: (message, fields) => log(/^incident|can be watched now$/.test(message) ? 'info' : 'warn', message, fields),
    });
    this.metrics.trackQueue('workloads', this.workloads.queue);
    this.metrics.trackQueue('watches', this.watches.queue);
    this.metrics.trackQueue('gitops', this.gitops.queue);
    this.diagnosis = new DiagnosisController({
      client, cache: this.cache, llm: this.diagnoser, redact: (text) => this.redactor.redactText(text), hooks: this.metrics.hooksFor('diagnosis'),
      onDiagnosed: (result) => this.metrics.diagnosed(result),
      log: (message, fields) => log(message === 'incident diagnosed' ? 'info' : 'warn', message, fields),
    });
    this.metrics.trackQueue('diagnosis', this.diagnosis.queue);
    this.remediation = new RemediationController({
      ...this.options.remediation,
      client, cache: this.cache, redact: (text) => this.redactor.redactText(text), hooks: this.metrics.hooksFor('remediation'),
      log: (message, fields) => log(message === 'remediation failed' ? 'warn' : 'info', message, fields),
    });
    this.metrics.trackQueue('remediation', this.remediation.queue);
    this.verification = new VerificationController({
      client, cache: this.cache, prometheus: this.options.prometheus, hooks: this.metrics.hooksFor('verification'),
      log: (message, fields) => log('warn', message, fields),
    });
    this.metrics.trackQueue('verification', this.verification.queue);
    this.notifications = new NotificationController({
      client, cache: this.cache, redact: (text) => this.redactor.redactText(text).text, log,
    });
    this.notifications.start();
    this.metricRules = new MetricController({
      client, cache: this.cache, prometheus: this.options.prometheus, hooks: this.metrics.hooksFor('metrics'),
      log: (message, fields) => log(message === 'incident detected' ? 'info' : 'warn', message, fields),
    });
    this.metrics.trackQueue('metrics', this.metricRules.queue);
    this.metricRules.start();
    this.phaseEvents = new PhaseEvents({ client, cache: this.cache, log: warn });
    this.phaseEvents.start();
    this.workloads.start();
    this.watches.start();
    this.diagnosis.start();
    this.remediation.start();
    this.verification.start();
    // Not awaited: Flux or Argo CD may be missing or slow to answer, which must not hold up the rest.
    void this.gitops.start().catch((error: unknown) => log('error', 'gitops controller did not start', { error: String(error) }));
    // Work that arrived before we led was queued by nobody: look at everything once.
    for (const w of this.cache.watches.list()) this.watches.queue.add(`${w.metadata.namespace}/${w.metadata.name}`);
    for (const d of this.cache.deployments.list()) this.workloads.queue.add(`${d.metadata?.namespace}/Deployment/${d.metadata?.name}`);
    for (const s of this.cache.statefulSets.list()) this.workloads.queue.add(`${s.metadata?.namespace}/StatefulSet/${s.metadata?.name}`);
    for (const s of this.cache.daemonSets.list()) this.workloads.queue.add(`${s.metadata?.namespace}/DaemonSet/${s.metadata?.name}`);
  }

  private async stopControllers(): Promise<void> {
    const running = [this.workloads, this.watches, this.gitops, this.diagnosis, this.remediation, this.verification, this.notifications, this.phaseEvents, this.metricRules];
    this.metricRules = undefined;
    this.workloads = undefined;
    this.watches = undefined;
    this.gitops = undefined;
    this.diagnosis = undefined;
    this.remediation = undefined;
    this.verification = undefined;
    this.notifications = undefined;
    this.phaseEvents = undefined;
    await Promise.all(running.map((c) => c?.stop()));
  }

  /** Graceful shutdown: finish in-flight reconciles, hand the lease over, close. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.stopControllers();
    await this.elector?.release();
    await this.dashboard?.close();
    this.cache.stop();
    await Promise.all([this.health, this.metricsServer, this.alertServer].map((server) => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))));
  }
}

function portOf(server: Server | undefined): number | undefined {
  const address = server?.address();
  return address && typeof address === 'object' ? address.port : undefined;
}
