import type { Evidence, HealingIncident } from '../api/healing-incident.ts';
import { incidentName, type Signal } from '../detect/signal.ts';
import { IncidentStore } from '../incident/incident-store.ts';
import { UNTOUCHED_PHASES } from '../incident/resolve-quiet.ts';
import type { KubeClient } from '../k8s/kube-client.ts';
import { alertSubject, type AlertmanagerAlert, type AlertmanagerPayload } from '../observe/alertmanager-payload.ts';
import { podWorkload } from '../observe/series-workload.ts';
import { cacheOwnerLookup, firstGuard, rolloutHistory } from './cache-lookups.ts';
import type { ClusterCache } from './cluster-cache.ts';
import type { WorkloadKey } from './owners.ts';

export interface AlertIntakeOptions {
  client: KubeClient;
  cache: ClusterCache;
  onSignal?: (signal: Signal, incident: { name: string; created: boolean }) => void;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

export interface IntakeResult {
  /** Firing alerts recorded as incidents. */
  recorded: number;
  /** Resolved alerts that closed an incident nobody had acted on yet. */
  resolved: number;
  /** Alerts that name no guarded workload, with why. */
  ignored: string[];
}

/**
 * Alertmanager's alerts as signals of the same pipeline: a firing alert that names a
 * guarded workload (by a workload label or its pod) is recorded like any detected failure;
 * a resolved one closes the incident it raised if no fix was made yet. Any replica may
 * receive the webhook: recording is idempotent (incident names are deterministic).
 */
export class AlertIntake {
  private readonly options: AlertIntakeOptions;
  private readonly store: IncidentStore;

  constructor(options: AlertIntakeOptions) {
    this.options = options;
    this.store = new IncidentStore(options.client);
  }

  async take(payload: AlertmanagerPayload, now = new Date()): Promise<IntakeResult> {
    const result: IntakeResult = { recorded: 0, resolved: 0, ignored: [] };
    for (const alert of payload.alerts) {
      const outcome = await this.takeOne(alert, now);
      if (outcome === 'recorded') result.recorded += 1;
      else if (outcome === 'resolved') result.resolved += 1;
      else if (outcome !== 'unchanged') result.ignored.push(outcome.ignored);
    }
    return result;
  }

  private async takeOne(alert: AlertmanagerAlert, now: Date): Promise<'recorded' | 'resolved' | 'unchanged' | { ignored: string }> {
    const subject = alertSubject(alert);
    if ('ignored' in subject) return subject;
    const { cache } = this.options;
    const lookup = cacheOwnerLookup(cache);
    const workload: WorkloadKey | undefined = subject.workload?.kind
      ? { kind: subject.workload.kind, namespace: subject.namespace, name: subject.workload.name }
      : subject.workload
        ? lookup.workloadNamed(subject.namespace, subject.workload.name)
        : subject.pod ? podWorkload(subject.namespace, subject.pod, lookup) : undefined;
    if (!workload) return { ignored: `alert ${subject.alertname}: no workload in the cluster for ${subject.namespace}/${subject.workload?.name ?? subject.pod}` };
    const watch = firstGuard(cache, workload);
    if (!watch) return { ignored: `alert ${subject.alertname}: ${workload.kind} ${workload.namespace}/${workload.name} is not guarded by any AegisWatch` };
    if (watch.spec.metrics?.alerts.enabled === false) return { ignored: `alert ${subject.alertname}: watch ${watch.name} does not take alerts (spec.metrics.alerts.enabled is false)` };

    const signal: Signal = {
      class: subject.class,
      ...(subject.customClass ? { customClass: subject.customClass } : {}),
      workload,
      ...(subject.container ? { container: subject.container } : {}),
      object: subject.pod ? { kind: 'Pod', name: subject.pod } : { kind: workload.kind, name: workload.name },
      reason: subject.alertname,
      message: alert.annotations.summary ?? alert.annotations.description ?? `Alertmanager alert ${subject.alertname}`,
      observedAt: now.toISOString(),
    };
    const name = incidentName(signal);
    if (alert.status === 'resolved') return this.resolve(watch.namespace, name, subject.alertname, subject.pod);

    const text = (alert.annotations.summary ?? alert.annotations.description ?? '').slice(0, 1024);
    const evidence: Evidence = {
      summary: `${subject.customClass ?? subject.class}: Alertmanager alert ${subject.alertname} firing since ${alert.startsAt}${subject.pod ? ` (pod ${subject.pod})` : ''}${text ? `: ${text}` : ''}`.slice(0, 4096),
      reason: subject.alertname,
      metric: { rule: subject.alertname.slice(0, 128), source: 'alertmanager', ...(subject.pod ? { pod: subject.pod } : {}) },
      rollouts: rolloutHistory(cache, workload),
    };
    const recorded = await this.store.recordSignal(watch, signal, evidence, now);
    if (recorded.created) this.options.log?.('incident detected', { incident: recorded.name, class: subject.customClass ?? subject.class, workload: `${workload.namespace}/${workload.kind}/${workload.name}`, alert: subject.alertname });
    this.options.onSignal?.(signal, recorded);
    return 'recorded';
  }

  /** The alert that raised an untouched incident is over: the workload recovered by itself. */
  private async resolve(namespace: string, name: string, alertname: string, pod: string | undefined): Promise<'resolved' | 'unchanged'> {
    const incident: HealingIncident | undefined = this.options.cache.incidents.get(namespace, name);
    const metric = incident?.status?.evidence?.metric;
    if (!incident?.status || !UNTOUCHED_PHASES.has(incident.status.phase)) return 'unchanged';
    // Only the alert (and pod) that raised it: another pod's alert may still fire.
    if (metric?.source !== 'alertmanager' || metric.rule !== alertname || (metric.pod !== undefined && metric.pod !== pod)) return 'unchanged';
    await this.store.transition(namespace, name, 'Resolved', `Alertmanager reports ${alertname} resolved and no fix was made: the workload recovered by itself`);
    this.options.log?.('incident resolved itself', { incident: name, alert: alertname });
    return 'resolved';
  }
}
