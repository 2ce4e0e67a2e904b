import type { AegisWatch } from '../api/aegis-watch.ts';
import { GROUP, VERSION, type Condition } from '../api/common.ts';
import { parseAegisWatch } from '../api/crd.ts';
import type { Evidence } from '../api/healing-incident.ts';
import { ControllerLoop, WorkQueue, type ReconcileResult, type WorkerHooks } from '../controller/index.ts';
import { incidentName, type Signal } from '../detect/signal.ts';
import { IncidentStore } from '../incident/incident-store.ts';
import type { KubeClient } from '../k8s/kube-client.ts';
import { evaluateRule, type SeriesVerdict } from '../observe/evaluate-rule.ts';
import { watchRules } from '../observe/metric-rules.ts';
import { mergePoints, metricSignals } from '../observe/metric-signals.ts';
import { PrometheusError } from '../observe/prometheus-client.ts';
import { seriesCanNameWorkload, unmappedSeriesHint } from '../observe/series-workload.ts';
import { prometheusFor, type DefaultPrometheus } from '../observe/watch-prometheus.ts';
import type { ClusterCache } from './cluster-cache.ts';
import { cacheOwnerLookup, firstGuard, rolloutHistory } from './cache-lookups.ts';
import type { WorkloadKey } from './owners.ts';

export interface MetricControllerOptions {
  client: KubeClient;
  cache: ClusterCache;
  /** The operator's Prometheus, for watches that name none. */
  prometheus?: DefaultPrometheus;
  hooks?: WorkerHooks;
  /** Tests: reach Prometheus through this. */
  fetch?: typeof fetch;
  onSignal?: (signal: Signal, incident: { name: string; created: boolean }) => void;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

export const METRICS_CONDITION = 'MetricsAvailable';

/**
 * Evaluates each watch's metric rules against Prometheus every metrics.intervalSeconds and
 * records what fires as incidents of the same pipeline as the pod failures. Keys are
 * watches ("ns/name"). Prometheus being away is a condition on the watch (MetricsAvailable
 * False), never an error that stops the rest: the next round tries again.
 */
export class MetricController {
  readonly queue = new WorkQueue();
  private readonly loop = new ControllerLoop(this.queue);
  private readonly options: MetricControllerOptions;
  private readonly store: IncidentStore;
  private readonly seenGeneration = new Map<string, number | undefined>();

  constructor(options: MetricControllerOptions) {
    this.options = options;
    this.store = new IncidentStore(options.client);
    const enqueue = (w: AegisWatch) => this.queue.add(`${w.metadata.namespace}/${w.metadata.name}`);
    this.loop.subscribe(options.cache.watches.on('add', enqueue), options.cache.watches.on('update', (w) => {
      // Our own status writes come back as updates: only a spec change needs a look now.
      const key = `${w.metadata.namespace}/${w.metadata.name}`;
      if (w.metadata.generation !== this.seenGeneration.get(key)) enqueue(w);
    }));
  }

  start(): void {
    for (const w of this.options.cache.watches.list()) this.queue.add(`${w.metadata.namespace}/${w.metadata.name}`);
    this.loop.run(1, (key) => this.reconcile(key), {
      ...this.options.hooks,
      onError: (key, error) => this.options.log?.('metric evaluation failed', { key, error: String(error) }),
    });
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  async reconcile(key: string, now = new Date()): Promise<ReconcileResult | void> {
    const [namespace = '', name = ''] = key.split('/');
    const object = this.options.cache.watches.get(namespace, name);
    if (!object) return;
    this.seenGeneration.set(key, object.metadata.generation);
    const parsed = parseAegisWatch(object);
    if (!parsed.ok || !parsed.value.spec.metrics) {
      await this.setCondition(namespace, name, undefined);
      return;
    }
    const spec = parsed.value.spec;
    const metrics = spec.metrics;
    if (!metrics) return;
    const every = { requeueAfterMs: metrics.intervalSeconds * 1000 };
    const prometheus = await prometheusFor(this.options.client, namespace, spec, this.options.prometheus, this.options.fetch);
    if (!prometheus.ok) {
      await this.setCondition(namespace, name, { status: 'False', reason: prometheus.reason, message: prometheus.message });
      return every;
    }
    const rules = watchRules(metrics);
    const lookup = cacheOwnerLookup(this.options.cache);
    // Which watch owns a workload, decided once per workload per round (it parses every watch).
    const owners = new Map<string, boolean>();
    const guarded = (workload: WorkloadKey) => {
      const key = `${workload.kind}/${workload.name}`;
      if (!owners.has(key)) owners.set(key, firstGuard(this.options.cache, workload)?.name === name);
      return owners.get(key) === true;
    };
    const failures: string[] = [];
    const unmapped: string[] = [];
    let firing = 0;
    for (const rule of rules) {
      let verdicts: SeriesVerdict[];
      try {
        verdicts = await evaluateRule(prometheus.client, rule, now.getTime() / 1000);
      } catch (error) {
        if (!(error instanceof PrometheusError)) throw error;
        failures.push(`rule ${rule.name}: ${error.message}`);
        // Unreachable, slow or refusing: the other rules would only wait for the same answer.
        if (error.kind !== 'bad-query') break;
        continue;
      }
      // A query that aggregated the mapping's labels away answers, but can never fire for a
      // workload: the watch says so instead of looking healthy while it guards nothing.
      if (verdicts.length > 0 && !verdicts.some((v) => seriesCanNameWorkload(v.labels, rule.labels))) {
        unmapped.push(`rule ${rule.name}: ${unmappedSeriesHint(rule.labels)}`);
      }
      for (const found of metricSignals(rule, verdicts, lookup, guarded, now)) {
        firing += 1;
        await this.record({ name, namespace }, found.signal, found.summary, found.metric);
      }
    }
    const at = prometheus.client.url;
    const evaluated = `${rules.length} rule${rules.length === 1 ? '' : 's'} evaluated against ${at}: ${firing === 0 ? 'nothing fires' : `${firing} firing`}`;
    await this.setCondition(namespace, name, failures.length > 0
      ? { status: 'False', reason: 'MetricsUnavailable', message: `metrics unavailable: ${failures.join('; ')}`.slice(0, 4000) }
      : unmapped.length > 0
        ? { status: 'True', reason: 'SeriesWithoutWorkload', message: `${evaluated}; ${unmapped.join('; ')}`.slice(0, 4000) }
        : { status: 'True', reason: 'Queried', message: evaluated });
    return every;
  }

  private async record(watch: { name: string; namespace: string }, signal: Signal, summary: string, metric: NonNullable<Evidence['metric']>): Promise<void> {
    // Earlier rounds' points stay: the sparkline shows the incident's whole window.
    const existing = this.options.cache.incidents.get(watch.namespace, incidentName(signal));
    const evidence: Evidence = {
      summary,
      reason: signal.reason,
      metric: { ...metric, points: mergePoints(existing?.status?.evidence?.metric?.points, metric.points) },
      rollouts: rolloutHistory(this.options.cache, signal.workload as WorkloadKey),
    };
    const result = await this.store.recordSignal(watch, signal, evidence);
    if (result.created) this.options.log?.('incident detected', { incident: result.name, class: signal.customClass ?? signal.class, workload: `${signal.workload.namespace}/${signal.workload.kind}/${signal.workload.name}` });
    this.options.onSignal?.(signal, result);
  }

  /** Sets (or, with undefined, removes) the watch's MetricsAvailable condition; other conditions stay. */
  private async setCondition(namespace: string, name: string, wanted: Pick<Condition, 'status' | 'reason' | 'message'> | undefined): Promise<void> {
    // Most rounds change nothing: the cache says so without a request.
    const cached = this.options.cache.watches.get(namespace, name)?.status?.conditions?.find((c) => c.type === METRICS_CONDITION);
    if (sameCondition(cached, wanted)) return;
    const path = `/apis/${GROUP}/${VERSION}/namespaces/${namespace}/aegiswatches/${name}`;
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const watch = await this.options.client.get<AegisWatch>(path).catch((error: unknown) => {
        if ((error as { code?: number }).code === 404) return undefined;
        throw error;
      });
      if (!watch) return;
      const conditions = watch.status?.conditions ?? [];
      const previous = conditions.find((c) => c.type === METRICS_CONDITION);
      if (sameCondition(previous, wanted)) return;
      const next: Condition[] = conditions.filter((c) => c.type !== METRICS_CONDITION);
      if (wanted) {
        next.push({
          type: METRICS_CONDITION, ...wanted, observedGeneration: watch.metadata.generation,
          lastTransitionTime: previous && previous.status === wanted.status ? previous.lastTransitionTime : new Date().toISOString(),
        });
      }
      try {
        await this.options.client.replace(`${path}/status`, { ...watch, status: { ...watch.status, conditions: next } });
        if (wanted?.status === 'False' && previous?.status !== 'False') this.options.log?.('metrics unavailable', { watch: `${namespace}/${name}`, message: wanted.message });
        if (wanted?.reason === 'SeriesWithoutWorkload' && previous?.reason !== wanted.reason) this.options.log?.('metric rule names no workload', { watch: `${namespace}/${name}`, message: wanted.message });
        return;
      } catch (error) {
        if ((error as { code?: number }).code !== 409) throw error;
      }
    }
  }
}

function sameCondition(current: Condition | undefined, wanted: Pick<Condition, 'status' | 'reason' | 'message'> | undefined): boolean {
  if (!current || !wanted) return !current && !wanted;
  return current.status === wanted.status && current.reason === wanted.reason && current.message === wanted.message;
}
