import { createServer, type Server } from 'node:http';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ReconcileOutcome, WorkQueue, WorkerHooks } from '../controller/index.ts';
import type { ClusterCache } from '../reconcile/cluster-cache.ts';

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

  constructor(cache: ClusterCache) {
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

  /** Reports a controller's queue in the depth gauge. */
  trackQueue(controller: string, queue: WorkQueue): void {
    this.queues.set(controller, queue);
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
