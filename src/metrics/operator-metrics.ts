import { createServer, type Server } from 'node:http';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ReconcileOutcome, WorkQueue, WorkerHooks } from '../controller/index.ts';
import type { HealingIncident } from '../api/healing-incident.ts';
import type { DiagnosisResult } from '../diagnose/llm/index.ts';
import { forgeRequestCounts } from '../forge/request-counter.ts';
import type { NotifierStats } from '../notify/index.ts';
import type { ClusterCache } from '../reconcile/cluster-cache.ts';

// From seconds to a quarter of an hour: a PR takes seconds, a heal minutes.
const LOOP_BUCKETS = [1, 2.5, 5, 10, 20, 30, 45, 60, 90, 120, 180, 300, 600, 900];

/**
 * The operator's Prometheus metrics. Counters and histograms are fed by the workers'
 * hooks; gauges (queue depth, informer restarts, incidents by class and phase) are read
 * from their sources when scraped, so nothing has to remember to update them.
 */
export class OperatorMetrics {
  readonly registry = new Registry();
  private readonly reconciles: Counter<'controller' | 'outcome'>;
  private readonly reconcileSeconds: Histogram<'controller'>;
  private readonly queues = new Map<string, WorkQueue>();
  private readonly queueWait: Histogram<'controller'>;
  private readonly timeToPullRequest: Histogram;
  private readonly timeToHeal: Histogram;
  private readonly modelRequests: Counter<'provider' | 'outcome'>;
  private readonly modelTokens: Counter<'provider' | 'kind'>;
  private notificationStats: () => NotifierStats[] = () => [];

  /** `leading` says whether this replica acts: only the leader counts the loop's durations. */
  constructor(cache: ClusterCache, leading: () => boolean = () => true) {
    collectDefaultMetrics({ register: this.registry, prefix: 'gopherguard_' });
    this.reconciles = new Counter({
      name: 'gopherguard_reconcile_total', help: 'Reconciles by controller and outcome (success, requeue-after, error, terminal-error).',
      labelNames: ['controller', 'outcome'], registers: [this.registry],
    });
    this.reconcileSeconds = new Histogram({
      name: 'gopherguard_reconcile_duration_seconds', help: 'Time spent in one reconcile.',
      labelNames: ['controller'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [this.registry],
    });
    const queues = this.queues;
    new Gauge({
      name: 'gopherguard_workqueue_depth', help: 'Keys waiting to be reconciled (ready, in flight, or delayed).',
      labelNames: ['controller', 'state'], registers: [this.registry],
      collect() {
        for (const [controller, queue] of queues) {
          const stats = queue.stats();
          this.set({ controller, state: 'ready' }, stats.depth);
          this.set({ controller, state: 'in_flight' }, stats.inFlight);
          this.set({ controller, state: 'delayed' }, stats.waiting);
        }
      },
    });
    new Gauge({
      name: 'gopherguard_workqueue_retries', help: 'Keys put back with backoff after a failed reconcile, since the operator started.',
      labelNames: ['controller'], registers: [this.registry],
      collect() { for (const [controller, queue] of queues) this.set({ controller }, queue.stats().retries); },
    });
    this.queueWait = new Histogram({
      name: 'gopherguard_workqueue_queue_duration_seconds', help: 'How long a key waits in the queue before a worker takes it.',
      labelNames: ['controller'], buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10], registers: [this.registry],
    });
    const informers = { pods: cache.pods, replicasets: cache.replicaSets, deployments: cache.deployments, statefulsets: cache.statefulSets, daemonsets: cache.daemonSets, events: cache.events, aegiswatches: cache.watches, healingincidents: cache.incidents };
    new Gauge({
      name: 'gopherguard_informer_restarts', help: 'Times each informer restarted its watch since the operator started.',
      labelNames: ['informer'], registers: [this.registry],
      collect() { for (const [name, informer] of Object.entries(informers)) this.set({ informer: name }, informer.stats.restarts); },
    });
    new Gauge({
      name: 'gopherguard_informer_errors', help: 'List and watch errors per informer since the operator started.',
      labelNames: ['informer'], registers: [this.registry],
      collect() { for (const [name, informer] of Object.entries(informers)) this.set({ informer: name }, informer.stats.errors); },
    });
    this.timeToPullRequest = new Histogram({
      name: 'gopherguard_time_to_pull_request_seconds', help: 'From a failure first seen to its pull request open, by failure class.',
      labelNames: ['class'], buckets: LOOP_BUCKETS, registers: [this.registry],
    });
    this.timeToHeal = new Histogram({
      name: 'gopherguard_time_to_heal_seconds', help: 'From a failure first seen to the workload verified healed, by failure class.',
      labelNames: ['class'], buckets: LOOP_BUCKETS, registers: [this.registry],
    });
    cache.incidents.on('update', (incident, old) => {
      if (leading()) this.observeLoop(incident, old);
    });
    this.modelRequests = new Counter({
      name: 'gopherguard_model_requests_total', help: 'Diagnoses that asked a model, by provider and outcome (answered, cached, fallback: the rules kept).',
      labelNames: ['provider', 'outcome'], registers: [this.registry],
    });
    this.modelTokens = new Counter({
      name: 'gopherguard_model_tokens_total', help: 'Tokens sent to and received from models, by provider and kind (prompt, completion).',
      labelNames: ['provider', 'kind'], registers: [this.registry],
    });
    const notificationStats = () => this.notificationStats();
    new Gauge({
      name: 'gopherguard_notifications', help: 'Chat notifications since this replica started leading, by target type and result (sent, failed, dropped, retried, deduplicated).',
      labelNames: ['type', 'result'], registers: [this.registry],
      collect() {
        this.reset();
        for (const stats of notificationStats()) {
          for (const [type, counters] of Object.entries(stats.byType)) {
            for (const [result, count] of Object.entries(counters)) this.inc({ type, result }, count);
          }
        }
      },
    });
    new Gauge({
      name: 'gopherguard_forge_requests', help: 'Forge API requests since the process started, by forge and outcome (success, error, network, retried).',
      labelNames: ['forge', 'outcome'], registers: [this.registry],
      collect() { for (const { forge, outcome, count } of forgeRequestCounts()) this.set({ forge, outcome }, count); },
    });
    new Gauge({
      name: 'gopherguard_incidents', help: 'HealingIncidents by failure class and phase.',
      labelNames: ['class', 'phase'], registers: [this.registry],
      collect() {
        this.reset();
        for (const incident of cache.incidents.list()) {
          this.inc({ class: incident.spec.signalClass, phase: incident.status?.phase ?? 'Detected' });
        }
      },
    });
  }

  /**
   * Durations of the loop, observed as incidents reach a phase (on the leader only, so
   * that replicas' series can be summed): failure first seen to PR open, and to healed.
   */
  private observeLoop(incident: HealingIncident, old: HealingIncident | undefined): void {
    const phase = incident.status?.phase;
    if (!phase || phase === old?.status?.phase) return;
    const since = Date.parse(incident.status?.firstSeen ?? incident.status?.phaseTimestamps?.Detected ?? '');
    if (phase === 'PullRequestOpen') {
      const at = Date.parse(incident.status?.phaseTimestamps?.PullRequestOpen ?? '');
      if (since && at >= since) this.timeToPullRequest.observe({ class: incident.spec.signalClass }, (at - since) / 1000);
    }
    const healIn = incident.status?.verification?.timeToHealSeconds;
    if (phase === 'Healed' && healIn !== undefined) this.timeToHeal.observe({ class: incident.spec.signalClass }, healIn);
  }

  /** Counts one diagnosis's model use: answered, cached, or the rules kept (fallback). */
  diagnosed(result: DiagnosisResult): void {
    const provider = result.llm?.provider ?? 'none';
    if (result.llm) {
      this.modelRequests.inc({ provider, outcome: result.llm.cached ? 'cached' : 'answered' });
      this.modelTokens.inc({ provider, kind: 'prompt' }, result.llm.promptTokens);
      this.modelTokens.inc({ provider, kind: 'completion' }, result.llm.completionTokens);
    } else if (result.fallbackReason) {
      this.modelRequests.inc({ provider, outcome: 'fallback' });
    }
  }

  /** Where the notification counters come from (the leader's notification controller). */
  trackNotifications(stats: () => NotifierStats[]): void {
    this.notificationStats = stats;
  }

  /** Reports a controller's queue: its depth and retries, and how long keys wait in it. */
  trackQueue(controller: string, queue: WorkQueue): void {
    this.queues.set(controller, queue);
    queue.observeWait((waitMs) => this.queueWait.observe({ controller }, waitMs / 1000));
  }

  /** Worker hooks that count and time one controller's reconciles. */
  hooksFor(controller: string): WorkerHooks {
    return {
      onReconcile: (_key: string, outcome: ReconcileOutcome, durationMs: number) => {
        this.reconciles.inc({ controller, outcome });
        this.reconcileSeconds.observe({ controller }, durationMs / 1000);
      },
    };
  }
}

/** GET /metrics in Prometheus's text format; nothing else. */
export function startMetricsServer(host: string, port: number, registry: Registry): Promise<Server> {
  const server = createServer((req, res) => {
    if ((req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404).end('not found\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (error: unknown) => res.writeHead(500).end(`${String(error)}\n`),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
