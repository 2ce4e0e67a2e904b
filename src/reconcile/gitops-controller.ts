import type { AegisWatch } from '../api/aegis-watch.ts';
import { parseAegisWatch } from '../api/crd.ts';
import { ControllerLoop, WorkQueue, type ReconcileResult, type WorkerHooks } from '../controller/index.ts';
import { gitOpsSignals, type GitOpsSignal } from '../detect/gitops-signals.ts';
import { incidentName } from '../detect/signal.ts';
import { gitOpsEvidence } from '../evidence/gitops-evidence.ts';
import { IncidentStore } from '../incident/incident-store.ts';
import type { KubeClient } from '../k8s/kube-client.ts';
import { resolveQuietIncidents } from '../incident/resolve-quiet.ts';
import type { ClusterCache } from './cluster-cache.ts';
import { detectorSettings } from './detector-settings.ts';
import { ALL_NAMESPACES, GitOpsInformers, type GitOpsInformersOptions } from './gitops-informers.ts';
import { gitOpsKey, parseGitOpsKey, sameRef, sourceRef, type GitOpsRef } from './gitops-refs.ts';
import type { GuardingWatch } from './watch-targets.ts';

export interface GitOpsControllerOptions {
  /** Metrics hooks for the workers (see OperatorMetrics). */
  hooks?: WorkerHooks;
  client: KubeClient;
  /** The operator's caches; the watches informer says which GitOps objects to look at. */
  cache: ClusterCache;
  /** The operator guards some namespaces (`-n`), so it may not list the cluster: one informer per namespace a watch names. */
  scoped?: boolean;
  /** How often a Flux or Argo CD API that is not installed is looked for again (default 3 min). */
  discoveryIntervalMs?: number;
  concurrency?: number;
  /** Called for every signal recorded (metrics, notifications, tests). */
  onSignal?: (signal: GitOpsSignal, incident: { name: string; created: boolean }) => void;
  log?: (message: string, fields?: Record<string, unknown>) => void;
  /** Informers without an API server, for tests. */
  makeInformer?: GitOpsInformersOptions['makeInformer'];
}

/**
 * Detects GitOps failures (a Flux Kustomization that is not Ready, an Argo CD Application
 * that is Degraded or failed to sync) of the Kustomizations and Applications that watches
 * name as their source, and records them as HealingIncidents of the watch. Keys are GitOps
 * objects ("Kind/ns/name"); informers exist only for what some watch refers to: one per kind
 * across the cluster, or, for a namespaced operator, one per namespace the watches name
 * (Argo CD Applications usually live in `argocd`, not beside the workloads).
 */
export class GitOpsController {
  readonly queue = new WorkQueue();
  private readonly loop = new ControllerLoop(this.queue);
  readonly sources: GitOpsInformers;
  private readonly options: GitOpsControllerOptions;
  private readonly store: IncidentStore;
  private started = false;
  private stopped = false;

  constructor(options: GitOpsControllerOptions) {
    this.options = options;
    this.store = new IncidentStore(options.client);
    this.sources = new GitOpsInformers({
      client: options.client,
      onChange: (ref) => this.queue.add(gitOpsKey(ref)),
      discoveryIntervalMs: options.discoveryIntervalMs,
      log: options.log,
      makeInformer: options.makeInformer,
    });
    const onWatch = (watch: AegisWatch, old?: AegisWatch) => {
      // Our own status writes come back as updates; only a spec change can move the source.
      if (old && watch.metadata.generation === old.metadata.generation) return;
      for (const w of [watch, old]) {
        const ref = w && this.guardingWatch(w);
        const source = ref && sourceRef(ref);
        if (source) this.queue.add(gitOpsKey(source));
      }
      void this.cover();
    };
    for (const event of ['add', 'update', 'delete'] as const) this.loop.subscribe(options.cache.watches.on(event, onWatch));
  }

  /** Starts the workers and the informers; resolves once each informer had its first try. */
  async start(): Promise<void> {
    this.started = true;
    this.loop.run(this.options.concurrency ?? 1, (key) => this.reconcile(key), {
      ...this.options.hooks,
      onError: (key, error) => this.options.log?.('gitops reconcile failed', { key, error: String(error) }),
    });
    for (const watch of this.watches()) {
      const ref = sourceRef(watch);
      if (ref) this.queue.add(gitOpsKey(ref));
    }
    await this.cover();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.sources.stop();
    await this.loop.stop();
  }

  /** Opens the informers the current watches need and closes the ones nobody needs. */
  private async cover(): Promise<void> {
    if (!this.started || this.stopped) return;
    const wanted = { Kustomization: new Set<string>(), Application: new Set<string>() };
    for (const watch of this.watches()) {
      const ref = sourceRef(watch);
      if (ref) wanted[ref.kind].add(this.options.scoped ? ref.namespace : ALL_NAMESPACES);
    }
    await Promise.all([this.sources.cover('Kustomization', wanted.Kustomization), this.sources.cover('Application', wanted.Application)]);
  }

  private guardingWatch(object: AegisWatch): GuardingWatch | undefined {
    const parsed = parseAegisWatch(object);
    return parsed.ok ? { name: object.metadata.name ?? '', namespace: object.metadata.namespace ?? '', spec: parsed.value.spec } : undefined;
  }

  /** The valid watches (an invalid one guards nothing; its status says why). */
  private watches(): GuardingWatch[] {
    return this.options.cache.watches.list().map((w) => this.guardingWatch(w)).filter((w): w is GuardingWatch => w !== undefined);
  }

  /**
   * The watches whose source is this object: the first by name in each namespace, as for
   * workloads, since two watches of one namespace would share its incident's name.
   */
  private watchesOf(ref: GitOpsRef): GuardingWatch[] {
    const chosen = new Map<string, GuardingWatch>();
    for (const watch of this.watches().sort((a, b) => a.name.localeCompare(b.name))) {
      const source = sourceRef(watch);
      if (source && sameRef(source, ref) && !chosen.has(watch.namespace)) chosen.set(watch.namespace, watch);
    }
    return [...chosen.values()];
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const ref = parseGitOpsKey(key);
    if (!ref) return;
    const watches = this.watchesOf(ref);
    const object = this.sources.get(ref);
    if (watches.length === 0 || !object) return; // a deleted source keeps its incidents as the record
    const signals = gitOpsSignals(ref.kind, object);
    const events = this.options.cache.events.list(ref.namespace);
    let next: number | undefined;
    for (const watch of watches) {
      const enabled = detectorSettings(watch.spec.detectors).enabled;
      const active = new Set<string>();
      for (const signal of signals) {
        if (enabled[signal.class] === false) continue;
        active.add(incidentName(signal));
        const result = await this.store.recordSignal(watch, signal, gitOpsEvidence(signal, events));
        if (result.created) this.options.log?.('incident detected', { incident: result.name, class: signal.class, source: key, watch: `${watch.namespace}/${watch.name}` });
        this.options.onSignal?.(signal, result);
      }
      const resolveIn = await resolveQuietIncidents({
        store: this.store, incidents: this.options.cache.incidents.list(watch.namespace), subject: ref, active, log: this.options.log,
        watch: { name: watch.name, namespace: watch.namespace, resolveAfterSeconds: watch.spec.detectors.resolveAfterSeconds },
      });
      if (resolveIn !== undefined) next = Math.min(next ?? Infinity, resolveIn);
    }
    if (next !== undefined) return { requeueAfterMs: next };
  }
}
