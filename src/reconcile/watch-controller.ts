import type { AegisWatch, AegisWatchStatus } from '../api/aegis-watch.ts';
import type { HealingIncident } from '../api/healing-incident.ts';
import { GROUP, VERSION, type Condition } from '../api/common.ts';
import { parseAegisWatch } from '../api/crd.ts';
import { ControllerLoop, WorkQueue, type ReconcileResult, type WorkerHooks } from '../controller/index.ts';
import { EventRecorder } from '../k8s/event-recorder.ts';
import type { KubeClient } from '../k8s/kube-client.ts';
import type { ClusterCache } from './cluster-cache.ts';
import { checkWatch, type WatchProblem } from './watch-checks.ts';
import { guards } from './watch-targets.ts';

const CLOSED_PHASES = new Set(['Healed', 'Resolved', 'Suppressed', 'Failed']);

export interface WatchControllerOptions {
  /** Metrics hooks for the workers (see OperatorMetrics). */
  hooks?: WorkerHooks;
  client: KubeClient;
  cache: ClusterCache;
  /** How often a watch's counts and references are looked at again. */
  resyncMs?: number;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

/**
 * Keeps each AegisWatch's status true: Ready with a reason a person can act on when the
 * spec cannot work (and a Warning event), the number of guarded workloads and open
 * incidents. Never throws a bad spec back at the queue: a bad spec is a status, not an error.
 */
export class WatchController {
  readonly queue = new WorkQueue();
  private readonly loop = new ControllerLoop(this.queue);
  private readonly options: WatchControllerOptions;
  private readonly events: EventRecorder;

  constructor(options: WatchControllerOptions) {
    this.options = options;
    this.events = new EventRecorder(options.client);
    const enqueue = (w: AegisWatch) => this.queue.add(`${w.metadata.namespace}/${w.metadata.name}`);
    this.loop.subscribe(options.cache.watches.on('add', enqueue));
    this.loop.subscribe(options.cache.watches.on('update', (w, old) => {
      // Our own status writes come back as updates; only a spec change needs a reconcile now.
      if (w.metadata.generation !== old?.metadata.generation || !w.status) enqueue(w);
    }));
    // The status counts open incidents: a new, changed or deleted one updates it now, not at the next resync.
    const fromIncident = (i: HealingIncident, old?: HealingIncident) => {
      if (old && old.status?.phase === i.status?.phase) return;
      this.queue.add(`${i.metadata.namespace}/${i.spec.watch}`);
    };
    for (const event of ['add', 'update', 'delete'] as const) this.loop.subscribe(options.cache.incidents.on(event, fromIncident));
  }

  start(): void {
    this.loop.run(1, (key) => this.reconcile(key), {
      ...this.options.hooks,
      onError: (key, error) => this.options.log?.('watch reconcile failed', { key, error: String(error) }),
    });
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const [namespace = '', name = ''] = key.split('/');
    const watch = this.options.cache.watches.get(namespace, name);
    if (!watch) return;
    const parsed = parseAegisWatch(watch);
    let problems: WatchProblem[];
    let guarded = 0;
    if (!parsed.ok) {
      problems = [{ reason: 'InvalidSpec', message: parsed.problems.join('; ') }];
    } else {
      problems = await checkWatch(this.options.client, namespace, parsed.value.spec);
      guarded = this.countGuarded({ name, namespace, spec: parsed.value.spec });
    }
    const mine = this.options.cache.incidents.list(namespace).filter((i) => i.spec.watch === name);
    const open = mine.filter((i) => !CLOSED_PHASES.has(i.status?.phase ?? 'Detected'));
    const newest = [...mine].sort((a, b) => (b.status?.firstSeen ?? '').localeCompare(a.status?.firstSeen ?? ''))[0];

    const ready: Condition = problems.length > 0
      ? { type: 'Ready', status: 'False', reason: problems[0]?.reason ?? 'InvalidSpec', message: problems.map((p) => p.message).join('; ').slice(0, 32768), lastTransitionTime: '' }
      : { type: 'Ready', status: 'True', reason: 'Guarding', message: guarded === 0 ? 'the spec is valid, but no workload matches its targets yet' : `guarding ${guarded} workload${guarded === 1 ? '' : 's'}`, lastTransitionTime: '' };
    const previous = watch.status?.conditions?.find((c) => c.type === 'Ready');
    ready.lastTransitionTime = previous && previous.status === ready.status ? previous.lastTransitionTime : new Date().toISOString();
    ready.observedGeneration = watch.metadata.generation;

    const status: AegisWatchStatus = {
      ...watch.status,
      observedGeneration: watch.metadata.generation,
      conditions: [...(watch.status?.conditions ?? []).filter((c) => c.type !== 'Ready'), ready],
      guardedWorkloads: guarded,
      openIncidents: open.length,
      ...healingScore(mine),
      ...(newest?.metadata.name && newest.status?.firstSeen ? { lastIncident: { name: newest.metadata.name, at: newest.status.firstSeen } } : {}),
    };
    if (JSON.stringify(status) !== JSON.stringify(watch.status)) {
      await this.options.client.replace(`/apis/${GROUP}/${VERSION}/namespaces/${namespace}/aegiswatches/${name}/status`, { ...watch, status });
      const changed = previous?.status !== ready.status || previous?.message !== ready.message;
      if (changed) {
        const ref = { apiVersion: `${GROUP}/${VERSION}`, kind: 'AegisWatch', name, namespace, uid: watch.metadata.uid };
        await this.events.record(ref, ready.status === 'True' ? 'Normal' : 'Warning', ready.reason, ready.message);
      }
    }
    return { requeueAfterMs: this.options.resyncMs ?? 30_000 };
  }

  private countGuarded(watch: Parameters<typeof guards>[0]): number {
    const { cache } = this.options;
    let count = 0;
    for (const [kind, informer] of [['Deployment', cache.deployments], ['StatefulSet', cache.statefulSets], ['DaemonSet', cache.daemonSets]] as const) {
      for (const w of informer.list(watch.namespace)) {
        if (guards(watch, { kind, namespace: watch.namespace, name: w.metadata?.name ?? '', labels: w.metadata?.labels ?? {} })) count += 1;
      }
    }
    return count;
  }
}

/**
 * The Healing Score: of the fixes that were verified, the share that healed, 0 to 100.
 * Absent until one was (a watch that never needed a fix has no score, not a perfect one).
 */
export function healingScore(incidents: HealingIncident[]): { healingScore?: number } {
  const healed = incidents.filter((i) => i.status?.phase === 'Healed').length;
  const failed = incidents.filter((i) => i.status?.phase === 'Failed' && i.status.verification?.result === 'Failed').length;
  return healed + failed === 0 ? {} : { healingScore: Math.round((1000 * healed) / (healed + failed)) / 10 };
}
