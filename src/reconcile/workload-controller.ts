import type { V1Pod, V1PodTemplateSpec } from '@kubernetes/client-node';
import { parseAegisWatch } from '../api/crd.ts';
import { IncidentStore } from '../incident/incident-store.ts';
import { EventRecorder } from '../k8s/event-recorder.ts';
import { UNTOUCHED_PHASES, resolveQuietIncidents } from '../incident/resolve-quiet.ts';
import { assessWorkload } from '../detect/workload-signals.ts';
import { incidentName, type Signal } from '../detect/signal.ts';
import { collectLogs, summarizeEvidence } from '../evidence/evidence.ts';
import { templateChange } from '../evidence/template-change.ts';
import { ControllerLoop, WorkQueue, type ReconcileResult, type WorkerHooks } from '../controller/index.ts';
import type { KubeClient } from '../k8s/kube-client.ts';
import type { ClusterCache } from './cluster-cache.ts';
import { detectorSettings } from './detector-settings.ts';
import { ownerChain, parseWorkloadKey, workloadKeyString, type WorkloadKey } from './owners.ts';
import { snapshotWorkload } from './workload-view.ts';
import { guards, type GuardingWatch } from './watch-targets.ts';

export interface WorkloadControllerOptions {
  /** Metrics hooks for the workers (see OperatorMetrics). */
  hooks?: WorkerHooks;
  client: KubeClient;
  cache: ClusterCache;
  concurrency?: number;
  /** Called for every signal recorded (metrics, notifications, tests). */
  onSignal?: (signal: Signal, incident: { name: string; created: boolean }) => void;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

/**
 * Detects failures of guarded workloads and records them as HealingIncidents. Keys are
 * workloads ("ns/Kind/name"); any change to a pod, its events, its ReplicaSet or its
 * watch enqueues the workload, and the reconcile reads the current state from the cache,
 * so a burst of pod updates costs one reconcile.
 */
export class WorkloadController {
  readonly queue = new WorkQueue();
  private readonly loop = new ControllerLoop(this.queue);
  private readonly options: WorkloadControllerOptions;
  private readonly store: IncidentStore;
  private readonly events: EventRecorder;

  constructor(options: WorkloadControllerOptions) {
    this.options = options;
    this.store = new IncidentStore(options.client);
    this.events = new EventRecorder(options.client);
    const { cache } = options;
    const fromPod = (pod: V1Pod) => this.enqueuePod(pod);
    for (const event of ['add', 'update', 'delete'] as const) {
      this.loop.subscribe(cache.pods.on(event, fromPod));
      this.loop.subscribe(cache.deployments.on(event, (d) => this.enqueue({ kind: 'Deployment', namespace: d.metadata?.namespace ?? '', name: d.metadata?.name ?? '' })));
      this.loop.subscribe(cache.statefulSets.on(event, (s) => this.enqueue({ kind: 'StatefulSet', namespace: s.metadata?.namespace ?? '', name: s.metadata?.name ?? '' })));
      this.loop.subscribe(cache.daemonSets.on(event, (s) => this.enqueue({ kind: 'DaemonSet', namespace: s.metadata?.namespace ?? '', name: s.metadata?.name ?? '' })));
      this.loop.subscribe(cache.watches.on(event, (w) => this.enqueueNamespace(w.metadata?.namespace ?? '')));
    }
    for (const event of ['add', 'update'] as const) {
      this.loop.subscribe(cache.events.on(event, (e) => {
        if (e.involvedObject.kind !== 'Pod') return;
        const pod = cache.pods.get(e.involvedObject.namespace, e.involvedObject.name ?? '');
        if (pod) this.enqueuePod(pod);
      }));
    }
  }

  start(): void {
    this.loop.run(this.options.concurrency ?? 2, (key) => this.reconcile(key), {
      ...this.options.hooks,
      onError: (key, error) => this.options.log?.('reconcile failed', { key, error: String(error) }),
    });
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  private enqueue(key: WorkloadKey): void {
    if (key.namespace && key.name) this.queue.add(workloadKeyString(key));
  }

  private enqueuePod(pod: V1Pod): void {
    const { workload } = ownerChain(pod, (ns, name) => this.options.cache.replicaSets.get(ns, name));
    if (workload) this.enqueue(workload);
  }

  private enqueueNamespace(namespace: string): void {
    const { cache } = this.options;
    for (const d of cache.deployments.list(namespace)) this.enqueue({ kind: 'Deployment', namespace, name: d.metadata?.name ?? '' });
    for (const s of cache.statefulSets.list(namespace)) this.enqueue({ kind: 'StatefulSet', namespace, name: s.metadata?.name ?? '' });
    for (const s of cache.daemonSets.list(namespace)) this.enqueue({ kind: 'DaemonSet', namespace, name: s.metadata?.name ?? '' });
  }

  /** The valid watches of a namespace (an invalid one guards nothing; its status says why). */
  private watchesIn(namespace: string): GuardingWatch[] {
    const watches: GuardingWatch[] = [];
    for (const object of this.options.cache.watches.list(namespace)) {
      const parsed = parseAegisWatch(object);
      if (parsed.ok) watches.push({ name: object.metadata?.name ?? '', namespace, spec: parsed.value.spec });
    }
    return watches;
  }

  /**
   * Restarts first look like the app crashing; the kubelet's Killing event, which may
   * arrive later than the pod's status, shows a liveness probe did it. An untouched
   * CrashLoop incident of that container is then closed as Suppressed, pointing at the
   * ProbeFailure incident, so the fix goes to the probe and not to the app.
   */
  private async supersedeLivenessCrashes(ref: WorkloadKey, signals: Signal[]): Promise<void> {
    for (const probe of signals.filter((sig) => sig.class === 'ProbeFailure' && sig.reason === 'LivenessProbeFailed')) {
      for (const incident of this.options.cache.incidents.list(ref.namespace)) {
        const { spec, status, metadata } = incident;
        if (spec.signalClass !== 'CrashLoop' || spec.workload.kind !== ref.kind || spec.workload.name !== ref.name) continue;
        if (probe.container !== undefined && spec.container !== probe.container) continue;
        if (!status || !UNTOUCHED_PHASES.has(status.phase)) continue;
        await this.store.transition(ref.namespace, metadata.name ?? '', 'Suppressed',
          `the restarts were liveness-probe kills: see incident ${incidentName(probe)}`);
      }
    }
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const ref = parseWorkloadKey(key);
    if (!ref) return;
    const { cache } = this.options;
    const snapshot = snapshotWorkload(cache, ref);
    if (!snapshot) return; // deleted: its incidents stay as the record of what happened
    const identity = { ...ref, labels: snapshot.object.metadata?.labels ?? {} };
    const watch = this.watchesIn(ref.namespace).sort((a, b) => a.name.localeCompare(b.name)).find((w) => guards(w, identity));
    if (!watch) return;
    const { view, replicaSets, chains } = snapshot;
    const { pods, events } = view;
    const { signals, recheckInMs } = assessWorkload(view, detectorSettings(watch.spec.detectors));

    const change = templateChange(replicaSets);
    for (const signal of signals) {
      const template = (snapshot.object as { spec?: { template?: V1PodTemplateSpec } }).spec?.template;
      const evidence = summarizeEvidence(signal, events, chains.get(signal.object.name) ?? [`${ref.kind}/${ref.name}`], change, template);
      const result = await this.store.recordSignal(watch, signal, evidence);
      if (result.created && signal.container && signal.object.kind === 'Pod') {
        const logExcerpt = await collectLogs(this.options.client, ref.namespace, signal.object.name, signal.container);
        if (logExcerpt) {
          const { logExcerpt: clean, redactions = 0 } = this.store.redactEvidence({ summary: '', logExcerpt });
          await this.store.updateStatus(ref.namespace, result.name, (incident) => incident.status?.evidence
            ? { ...incident.status, evidence: { ...incident.status.evidence, logExcerpt: clean, redactions: (incident.status.evidence.redactions ?? 0) + redactions } }
            : undefined);
        }
      }
      if (result.created) {
        this.options.log?.('incident detected', { incident: result.name, class: signal.class, workload: key });
        // Where people look first (kubectl describe deployment): say it there too.
        await this.events.record(
          { apiVersion: 'apps/v1', kind: ref.kind, name: ref.name, namespace: ref.namespace, uid: snapshot.object.metadata?.uid },
          'Warning', 'IncidentDetected', `${signal.class}: ${evidence.summary} (HealingIncident ${result.name})`,
        ).catch((error: unknown) => this.options.log?.('could not record an event', { error: String(error) }));
      }
      this.options.onSignal?.(signal, result);
    }
    await this.supersedeLivenessCrashes(ref, signals);
    const resolveIn = await resolveQuietIncidents({
      store: this.store, incidents: cache.incidents.list(ref.namespace), subject: ref, log: this.options.log,
      watch: { name: watch.name, namespace: ref.namespace, resolveAfterSeconds: watch.spec.detectors.resolveAfterSeconds },
      active: new Set(signals.map((sig) => incidentName(sig))),
    });
    // An unschedulable pod becomes a failure only after the pending timeout: look again then.
    const waiting = pods.some((p) => p.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.reason === 'Unschedulable'));
    const pendingIn = waiting && !signals.some((sig) => sig.class === 'Unschedulable') ? 5000 : undefined;
    const next = Math.min(resolveIn ?? Infinity, pendingIn ?? Infinity, recheckInMs ?? Infinity);
    if (next !== Infinity) return { requeueAfterMs: next };
  }
}
