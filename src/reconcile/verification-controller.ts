import type { KubernetesObject, V1Deployment, V1Pod } from '@kubernetes/client-node';
import type { DefaultPrometheus } from '../observe/watch-prometheus.ts';
import { METRIC_CLASSES_SET, checkMetricAgain, verifyWindowSeconds } from '../verify/metric-check.ts';
import { cacheOwnerLookup } from './cache-lookups.ts';
import type { AegisWatchSpec } from '../api/aegis-watch.ts';
import { commitOf } from '../diagnose/gitops-analyzer.ts';
import { gitOpsSignals, type GitOpsKind } from '../detect/gitops-signals.ts';
import { parseAegisWatch } from '../api/crd.ts';
import type { HealingIncident, IncidentPhase, Verification } from '../api/healing-incident.ts';
import { ControllerLoop, WorkQueue, type ReconcileResult, type WorkerHooks } from '../controller/index.ts';
import { incidentName } from '../detect/signal.ts';
import { DEFAULT_DETECTORS, assessWorkload } from '../detect/workload-signals.ts';
import { IncidentStore } from '../incident/incident-store.ts';
import { EventRecorder } from '../k8s/event-recorder.ts';
import type { KubeClient } from '../k8s/kube-client.ts';
import { actionFromDiagnosis } from '../remediate/stored-action.ts';
import type { Workload } from '../remediate/guard/index.ts';
import { fluxReference } from '../remediate/source/flux-source.ts';
import { rolledOut } from '../k8s/rollout.ts';
import { currentRevisionPods, fixIsLive } from '../verify/fix-state.ts';
import type { ClusterCache } from './cluster-cache.ts';
import { detectorSettings } from './detector-settings.ts';
import type { WorkloadKey } from './owners.ts';
import { snapshotWorkload } from './workload-view.ts';

export interface VerificationControllerOptions {
  client: KubeClient;
  cache: ClusterCache;
  /** The operator's Prometheus, for metric incidents of watches that name none. */
  prometheus?: DefaultPrometheus;
  hooks?: WorkerHooks;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

/** How long a merged fix may take to show up in the cluster before the incident says so. */
const SYNC_PATIENCE_MS = 15 * 60_000;

/**
 * After the merge: Merged → Synced once the fix is live in the cluster (whatever deployed
 * it), then Healed when the workload's new revision stays free of the failure for the
 * watch's detectors.verifySeconds with the rollout complete, or Failed as soon as the
 * failure shows on a pod running the fix. Keys are incidents ("ns/name").
 */
export class VerificationController {
  readonly queue = new WorkQueue();
  private readonly loop = new ControllerLoop(this.queue);
  private readonly options: VerificationControllerOptions;
  private readonly store: IncidentStore;
  private readonly events: EventRecorder;

  constructor(options: VerificationControllerOptions) {
    this.options = options;
    this.store = new IncidentStore(options.client);
    this.events = new EventRecorder(options.client);
    const enqueue = (incident: HealingIncident) => {
      if (verifying(incident)) this.queue.add(`${incident.metadata.namespace}/${incident.metadata.name}`);
    };
    this.loop.subscribe(options.cache.incidents.on('add', enqueue), options.cache.incidents.on('update', enqueue));
  }

  start(): void {
    for (const incident of this.options.cache.incidents.list()) {
      if (verifying(incident)) this.queue.add(`${incident.metadata.namespace}/${incident.metadata.name}`);
    }
    this.loop.run(1, (key) => this.reconcile(key), {
      ...this.options.hooks,
      onError: (key, error) => this.options.log?.('verification failed', { key, error: String(error) }),
    });
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  async reconcile(key: string, now = Date.now()): Promise<ReconcileResult | void> {
    const [namespace = '', name = ''] = key.split('/');
    const incident = this.options.cache.incidents.get(namespace, name);
    if (!incident?.status || !verifying(incident) || !incident.status.diagnosis) return;
    const parsedAction = actionFromDiagnosis(incident.status.diagnosis);
    if (!parsedAction.ok) return;
    const watchObject = this.options.cache.watches.get(namespace, incident.spec.watch);
    const parsed = watchObject ? parseAegisWatch(watchObject) : undefined;
    const spec = parsed?.ok ? parsed.value.spec : undefined;
    if (isGitOpsKind(incident.spec.workload.kind)) return this.verifyGitOps(incident, spec, now);
    const ref = incident.spec.workload as WorkloadKey;
    const snapshot = snapshotWorkload(this.options.cache, ref);
    if (!snapshot) return;
    const live = { ...snapshot.object, apiVersion: 'apps/v1', kind: ref.kind };
    const stamps = incident.status.phaseTimestamps ?? {};

    if (incident.status.phase === 'Merged') {
      const engine = await this.engineRevision(live, spec, namespace);
      const merge = (incident.status.pullRequest as { mergeCommit?: string } | undefined)?.mergeCommit;
      const atMerge = incident.status.verification?.engineRevisionAtMerge;
      if (engine?.revision && merge && !atMerge) {
        // First look after the merge: what the engine runs now is what it ran before it.
        await this.move(incident, undefined, `merged; waiting for ${engine.name} to apply it (it runs ${engine.revision.slice(0, 7)})`, { result: 'Pending', engineRevisionAtMerge: engine.revision });
      }
      // Deployed by the GitOps engine: it applied the merge, or any commit newer than the one it ran at the merge.
      const deployed = !engine || !merge || engine.revision === merge || (atMerge !== undefined && engine.revision !== undefined && engine.revision !== atMerge);
      if (deployed && fixIsLive(live, parsedAction.action)) {
        const seconds = verifyWindowSeconds(incident, spec);
        const by = engine?.revision ? `${engine.name} applied ${engine.revision.slice(0, 7)}${engine.revision === merge ? ' (the merge)' : ''}; ` : '';
        await this.move(incident, 'Synced', `${by}the fix is live; watching the workload for ${seconds} s`, { result: 'Pending' });
        return { requeueAfterMs: 1000 };
      }
      const mergedAt = Date.parse(stamps.Merged ?? '') || now;
      if (now - mergedAt > SYNC_PATIENCE_MS) {
        await this.move(incident, undefined, `merged ${Math.round((now - mergedAt) / 60_000)} min ago but not live in the cluster yet: is the GitOps engine syncing?`);
      }
      return { requeueAfterMs: 2000 };
    }

    // Synced: the failure must not come back on a pod that runs the fix.
    const deployment = ref.kind === 'Deployment' ? snapshot.object as V1Deployment : undefined;
    const pods = currentRevisionPods(deployment, snapshot.replicaSets, snapshot.view.pods);
    const settings = spec ? detectorSettings(spec.detectors) : DEFAULT_DETECTORS;
    const { signals } = assessWorkload({ ...snapshot.view, pods }, settings, new Date(now));
    const seen = signals.find((s) => incidentName(s) === name);
    const again = seen
      ? `${seen.class} again on ${seen.object.name}${seen.reason ? ` (${seen.reason})` : ''}`
      : METRIC_CLASSES_SET.has(incident.spec.signalClass) ? await this.metricAgain(incident, spec, pods, now) : undefined;
    if (again) {
      await this.move(incident, 'Failed', `the fix did not heal it: ${again}`.slice(0, 1024), { result: 'Failed', checkedAt: new Date(now).toISOString() });
      await this.event(incident, 'Warning', 'VerificationFailed', `${ref.kind} ${ref.name}: the failure came back after the fix`);
      return;
    }
    const syncedAt = Date.parse(stamps.Synced ?? '') || now;
    const windowMs = verifyWindowSeconds(incident, spec) * 1000;
    if (now - syncedAt < windowMs || !rolledOut(deployment)) return { requeueAfterMs: Math.max(500, Math.min(5000, syncedAt + windowMs - now)) };
    const since = Date.parse(incident.status.firstSeen ?? stamps.Detected ?? '') || syncedAt;
    const timeToHealSeconds = Math.round((now - since) / 100) / 10;
    await this.move(incident, 'Healed', `healed: healthy for ${windowMs / 1000} s on the fix, ${timeToHealSeconds} s after the failure was first seen`, { result: 'Healed', timeToHealSeconds, checkedAt: new Date(now).toISOString() });
    await this.event(incident, 'Normal', 'Healed', `${ref.kind} ${ref.name} healed in ${timeToHealSeconds} s`);
  }

  /** A metric failure seen again on the pods that run the fix, in words; undefined when not. */
  private async metricAgain(incident: HealingIncident, spec: AegisWatchSpec | undefined, pods: V1Pod[], now: number): Promise<string | undefined> {
    const check = await checkMetricAgain({
      kube: this.options.client, incident, spec, now, fallback: this.options.prometheus,
      currentPods: new Set(pods.map((p) => p.metadata?.name ?? '')), lookup: cacheOwnerLookup(this.options.cache),
    });
    return check.failing ? check.why : undefined;
  }

  /**
   * The GitOps engine that deploys a workload and the commit it last applied: the Flux
   * Kustomization its labels (or the watch) name, or the watch's Argo CD Application.
   * Undefined when neither is known or readable: then the workload alone tells.
   */
  private async engineRevision(live: Workload, spec: AegisWatchSpec | undefined, namespace: string): Promise<{ name: string; revision: string | undefined } | undefined> {
    const flux = fluxReference({ kind: live.kind ?? '', metadata: { name: live.metadata?.name ?? '', labels: live.metadata?.labels } }) ?? (spec?.source.flux ? { name: spec.source.flux.kustomization, namespace: spec.source.flux.namespace ?? namespace } : undefined);
    const argo = spec?.source.argoCD ? { name: spec.source.argoCD.application, namespace: spec.source.argoCD.namespace ?? namespace } : undefined;
    try {
      if (flux) {
        const ks = await this.options.client.get<GitOpsObject>(`/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${flux.namespace}/kustomizations/${flux.name}`);
        return { name: `Flux Kustomization ${flux.namespace}/${flux.name}`, revision: commitOf(ks.status?.lastAppliedRevision) };
      }
      if (argo) {
        const app = await this.options.client.get<GitOpsObject>(`/apis/argoproj.io/v1alpha1/namespaces/${argo.namespace}/applications/${argo.name}`);
        return { name: `Argo CD Application ${argo.namespace}/${argo.name}`, revision: commitOf(app.status?.sync?.revision) };
      }
    } catch (error) {
      // Not installed, gone, or not ours to read: the workload alone tells, quietly (this runs every 2 s).
      const code = (error as { code?: number }).code;
      if (code !== 404 && code !== 403) this.options.log?.('could not read the GitOps engine', { error: String(error) });
    }
    return undefined;
  }

  /**
   * A fix of a GitOps failure (a revert): Synced once the engine applied a revision newer
   * than the broken one (not it, nor the good one before it) and reports no failure; Healed when that holds for the window;
   * Failed if the engine fails again.
   */
  private async verifyGitOps(incident: HealingIncident, spec: AegisWatchSpec | undefined, now: number): Promise<ReconcileResult | void> {
    const { kind, namespace, name } = incident.spec.workload;
    const path = kind === 'Kustomization'
      ? `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${namespace}/kustomizations/${name}`
      : `/apis/argoproj.io/v1alpha1/namespaces/${namespace}/applications/${name}`;
    const object = await this.options.client.get<GitOpsObject>(path);
    const failing = gitOpsSignals(kind as GitOpsKind, object, new Date(now)).find((s) => s.class === incident.spec.signalClass);
    const applied = commitOf(kind === 'Kustomization' ? object.status?.lastAppliedRevision : object.status?.sync?.revision);
    const broken = commitOf(incident.status?.evidence?.revision);
    // Neither the broken revision nor the good one before it: the engine applied the fix.
    const before = commitOf(incident.status?.evidence?.appliedRevision);
    const stamps = incident.status?.phaseTimestamps ?? {};
    const seconds = spec?.detectors.verifySeconds ?? 120;
    if (incident.status?.phase === 'Merged') {
      if (applied && applied !== broken && applied !== before && !failing) {
        await this.move(incident, 'Synced', `${kind} ${name} applied ${applied.slice(0, 7)}; watching it for ${seconds} s`, { result: 'Pending' });
        return { requeueAfterMs: 1000 };
      }
      return { requeueAfterMs: 2000 };
    }
    if (failing) {
      await this.move(incident, 'Failed', `the fix did not heal it: ${kind} ${name} fails again${failing.message ? `: ${failing.message}` : ''}`.slice(0, 1024), { result: 'Failed', checkedAt: new Date(now).toISOString() });
      await this.event(incident, 'Warning', 'VerificationFailed', `${kind} ${name}: the engine still cannot apply Git`);
      return;
    }
    const syncedAt = Date.parse(stamps.Synced ?? '') || now;
    if (now - syncedAt < seconds * 1000) return { requeueAfterMs: Math.max(500, Math.min(5000, syncedAt + seconds * 1000 - now)) };
    const since = Date.parse(incident.status?.firstSeen ?? stamps.Detected ?? '') || syncedAt;
    const timeToHealSeconds = Math.round((now - since) / 100) / 10;
    await this.move(incident, 'Healed', `healed: ${kind} ${name} applies Git again, for ${seconds} s now, ${timeToHealSeconds} s after the failure was first seen`, { result: 'Healed', timeToHealSeconds, checkedAt: new Date(now).toISOString() });
    await this.event(incident, 'Normal', 'Healed', `${kind} ${name} healed in ${timeToHealSeconds} s`);
  }

  private async move(incident: HealingIncident, phase: IncidentPhase | undefined, message: string, verification?: Verification): Promise<void> {
    await this.store.updateStatus(incident.metadata.namespace ?? '', incident.metadata.name ?? '', (current) => {
      if (!current.status || !verifying(current)) return undefined;
      if (!phase && current.status.message === message) return undefined;
      const at = new Date().toISOString();
      return {
        ...current.status,
        message,
        ...(verification ? { verification } : {}),
        ...(phase ? { phase, phaseTimestamps: { ...current.status.phaseTimestamps, [phase]: at } } : {}),
      };
    });
  }

  private async event(incident: HealingIncident, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    await this.events.record(
      { apiVersion: 'gopherguard.dev/v1alpha1', kind: 'HealingIncident', name: incident.metadata.name, namespace: incident.metadata.namespace, uid: incident.metadata.uid },
      type, reason, message,
    ).catch((error: unknown) => this.options.log?.('could not record an event', { error: String(error) }));
  }
}

type GitOpsObject = KubernetesObject & { status?: { lastAppliedRevision?: string; sync?: { revision?: string } } };

function isGitOpsKind(kind: string): boolean {
  return kind === 'Kustomization' || kind === 'Application';
}

function verifying(incident: HealingIncident): boolean {
  return incident.status?.phase === 'Merged' || incident.status?.phase === 'Synced';
}
