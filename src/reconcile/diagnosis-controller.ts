import type { AegisWatchSpec } from '../api/aegis-watch.ts';
import { parseAegisWatch } from '../api/crd.ts';
import type { HealingIncident } from '../api/healing-incident.ts';
import { ControllerLoop, WorkQueue, type ReconcileResult, type WorkerHooks } from '../controller/index.ts';
import { analyzerInput } from '../diagnose/analyzer-input.ts';
import { toIncidentDiagnosis, type DiagnosisResult, type LlmDiagnoser, type Redact } from '../diagnose/llm/index.ts';
import { diagnoseWithRules } from '../diagnose/rules.ts';
import { DEFAULT_DETECTORS, assessWorkload } from '../detect/workload-signals.ts';
import { incidentName, type Signal } from '../detect/signal.ts';
import { IncidentStore } from '../incident/incident-store.ts';
import { EventRecorder } from '../k8s/event-recorder.ts';
import { readSecret } from '../k8s/secrets.ts';
import type { KubeClient } from '../k8s/kube-client.ts';
import type { ClusterCache } from './cluster-cache.ts';
import { detectorSettings } from './detector-settings.ts';
import { gatherDiagnosisInput } from './diagnosis-input.ts';
import type { WorkloadKey } from './owners.ts';
import { snapshotWorkload } from './workload-view.ts';

export interface DiagnosisControllerOptions {
  client: KubeClient;
  cache: ClusterCache;
  /** The model side (rules-only when a watch configures no model). */
  llm: LlmDiagnoser;
  /** Masks secrets in whatever the diagnosis quotes before it is written to the incident. */
  redact: Redact;
  hooks?: WorkerHooks;
  concurrency?: number;
  log?: (message: string, fields?: Record<string, unknown>) => void;
  /** Each diagnosis's outcome, for the model metrics. */
  onDiagnosed?: (result: DiagnosisResult) => void;
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

/**
 * Diagnoses each new incident once: the rule analyzer of its class first, the watch's
 * model when the rules are unsure (or always, by policy), then records the diagnosis
 * (redacted, with what the model cost or why it was not used) and moves the incident to
 * Diagnosed. Keys are incidents ("ns/name"); the reconcile reads the workload from the
 * cache, so a diagnosis uses the state of now, not of the moment of detection.
 */
export class DiagnosisController {
  readonly queue = new WorkQueue();
  private readonly loop = new ControllerLoop(this.queue);
  private readonly options: DiagnosisControllerOptions;
  private readonly store: IncidentStore;
  private readonly events: EventRecorder;

  constructor(options: DiagnosisControllerOptions) {
    this.options = options;
    this.store = new IncidentStore(options.client);
    this.events = new EventRecorder(options.client);
    const enqueue = (incident: HealingIncident) => {
      if (needsDiagnosis(incident)) this.queue.add(`${incident.metadata.namespace}/${incident.metadata.name}`);
    };
    this.loop.subscribe(options.cache.incidents.on('add', enqueue));
    this.loop.subscribe(options.cache.incidents.on('update', enqueue));
  }

  start(): void {
    for (const incident of this.options.cache.incidents.list()) {
      if (needsDiagnosis(incident)) this.queue.add(`${incident.metadata.namespace}/${incident.metadata.name}`);
    }
    this.loop.run(this.options.concurrency ?? 2, (key) => this.reconcile(key), {
      ...this.options.hooks,
      onError: (key, error) => this.options.log?.('diagnosis failed', { key, error: String(error) }),
    });
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const [namespace = '', name = ''] = key.split('/');
    const incident = this.options.cache.incidents.get(namespace, name);
    if (!incident || !needsDiagnosis(incident)) return;
    const watchObject = this.options.cache.watches.get(namespace, incident.spec.watch);
    const parsed = watchObject ? parseAegisWatch(watchObject) : undefined;
    // A watch that is gone or invalid has its own status saying so; diagnose by rules.
    const spec = parsed?.ok ? parsed.value.spec : undefined;
    const facts = await this.gather(incident, spec);
    const rules = diagnoseWithRules(facts.input);
    const llm = spec?.diagnoser.engine === 'llm' ? spec.diagnoser.llm : undefined;
    const apiKey = llm?.secretRef ? (await readSecret(this.options.client, namespace, llm.secretRef.name))?.[llm.secretRef.key] : undefined;
    const result = await this.options.llm.diagnose({
      fingerprint: incident.spec.fingerprint,
      signalClass: incident.spec.signalClass,
      evidence: incident.status?.evidence ?? { summary: `${incident.spec.signalClass} of ${incident.spec.workload.kind} ${incident.spec.workload.name}` },
      logs: facts.logs,
      template: facts.template,
      container: incident.spec.container,
      rules,
      llm,
      rulesOnly: spec?.diagnoser.engine !== 'llm',
      ...(llm?.anonymizeNames ? { anonymize: namesOf(incident, facts.pods) } : {}),
      apiKey,
      personality: spec?.personality ?? 'witty',
      budgetScope: `${namespace}/${incident.spec.watch}`,
      // A diagnosis interrupted and asked again still counts what the first attempt spent.
      tokensSpent: spentOn(incident),
    });
    this.options.onDiagnosed?.(result);
    // What the diagnosis quotes (log lines, messages) is redacted like everything else that leaves.
    let redactions = result.redactions ?? 0;
    const clean = (text: string) => {
      const out = this.options.redact(text);
      redactions += out.count;
      return out.text;
    };
    const diagnosis = {
      ...toIncidentDiagnosis({ ...result, rootCause: clean(result.rootCause), summary: clean(result.summary), cited: result.cited.map(clean) }),
      cited: result.cited.map(clean).slice(0, 8),
      redactions,
    };
    const message = `${result.engine === 'llm' ? 'the model' : 'the rules'} found: ${diagnosis.summary}`.slice(0, 1024);
    await this.store.updateStatus(namespace, name, (current) => {
      if (!current.status || !needsDiagnosis(current)) return undefined;
      const at = new Date().toISOString();
      return { ...current.status, phase: 'Diagnosed', message, diagnosis, phaseTimestamps: { ...current.status.phaseTimestamps, Diagnosed: at } };
    });
    this.options.log?.('incident diagnosed', { incident: name, engine: result.engine, action: result.action.type, confidence: result.confidence, ...(result.fallbackReason ? { fallbackReason: result.fallbackReason } : {}) });
    const { kind, name: workload } = incident.spec.workload;
    await this.events.record(
      { apiVersion: 'gopherguard.dev/v1alpha1', kind: 'HealingIncident', name, namespace, uid: incident.metadata.uid },
      'Normal', 'Diagnosed', `${kind} ${workload}: ${diagnosis.summary} (action ${result.action.type})`,
    ).catch((error: unknown) => this.options.log?.('could not record an event', { error: String(error) }));
  }

  /** The analyzers' input: the workload as the cache has it now, the failing pod's logs, the nodes when scheduling failed. */
  private async gather(incident: HealingIncident, spec: AegisWatchSpec | undefined) {
    const { workload, signalClass, container } = incident.spec;
    const fallback: Signal = {
      class: signalClass, workload, container, ...(incident.spec.customClass ? { customClass: incident.spec.customClass } : {}),
      object: { kind: workload.kind, name: workload.name },
      reason: incident.status?.evidence?.reason, message: incident.status?.evidence?.summary,
      exitCode: incident.status?.evidence?.exitCode, restartCount: incident.status?.evidence?.restartCount,
      observedAt: incident.status?.lastSeen ?? new Date().toISOString(),
    };
    if (!WORKLOAD_KINDS.has(workload.kind)) {
      const evidence = incident.status?.evidence;
      const gitops = { kind: workload.kind, revision: evidence?.revision, appliedRevision: evidence?.appliedRevision };
      return { input: { ...analyzerInput({ replicaSets: [], events: [] }, fallback, [], {}), gitops }, logs: undefined, template: undefined, pods: [] };
    }
    const snapshot = snapshotWorkload(this.options.cache, workload as WorkloadKey);
    const signals = snapshot ? assessWorkload(snapshot.view, spec ? detectorSettings(spec.detectors) : DEFAULT_DETECTORS).signals : [];
    // The failure as seen now, if it still shows; else as it was recorded.
    const signal = signals.find((s) => incidentName(s) === incident.metadata.name) ?? fallback;
    const pods = snapshot?.view.pods.map((p) => p.metadata?.name ?? '').filter(Boolean) ?? [];
    const gathered = await gatherDiagnosisInput(this.options.client, snapshot, signal, signals, this.options.log);
    const since = incident.status?.firstSeen;
    return { ...gathered, input: { ...gathered.input, ...(since ? { since } : {}) }, pods };
  }

}

/** Tokens a model already spent on this incident, as its status records them. */
function spentOn(incident: HealingIncident): number {
  const llm = (incident.status?.diagnosis as { llm?: { promptTokens?: number; completionTokens?: number } } | undefined)?.llm;
  return (llm?.promptTokens ?? 0) + (llm?.completionTokens ?? 0);
}

function needsDiagnosis(incident: HealingIncident): boolean {
  return incident.status?.phase === 'Detected' && !incident.status.diagnosis;
}

/** What llm.anonymizeNames hides from the model: the namespace, the workload, its pods. */
function namesOf(incident: HealingIncident, pods: string[]): Array<{ name: string; kind: 'namespace' | 'workload' | 'pod' }> {
  return [
    { name: incident.spec.workload.namespace, kind: 'namespace' as const },
    { name: incident.spec.workload.name, kind: 'workload' as const },
    ...pods.map((name) => ({ name, kind: 'pod' as const })),
  ];
}
