import { API_VERSION, GROUP, VERSION } from '../api/common.ts';
import type { Evidence, HealingIncident, HealingIncidentStatus, IncidentPhase } from '../api/healing-incident.ts';
import { fingerprint, incidentName, type Signal } from '../detect/signal.ts';
import type { KubeClient } from '../k8s/kube-client.ts';
import { Redactor, redactObject, type TextRedactor } from '../redact/index.ts';

const PLURAL = 'healingincidents';

export interface UpsertResult {
  name: string;
  created: boolean;
  /** True when this observation counted as a new occurrence. */
  counted: boolean;
}

/**
 * HealingIncidents in the API server, the operator's only memory. Every write is keyed on
 * the incident's deterministic name, so a restarted operator, a second replica or a
 * repeated reconcile find the same object instead of making another.
 */
export class IncidentStore {
  private readonly client: KubeClient;
  private readonly redactor: TextRedactor;

  /** Evidence is redacted here, on its way into the cluster, whoever recorded it. */
  constructor(client: KubeClient, redactor: TextRedactor = new Redactor()) {
    this.client = client;
    this.redactor = redactor;
  }

  /** Evidence with every secret masked, and how many were. */
  redactEvidence(evidence: Evidence): Evidence {
    const { object, count } = redactObject(evidence, this.redactor);
    return { ...object, redactions: (evidence.redactions ?? 0) + count };
  }

  async get(namespace: string, name: string): Promise<HealingIncident | undefined> {
    try {
      return await this.client.get<HealingIncident>(path(namespace, name));
    } catch (error) {
      if (codeOf(error) === 404) return undefined;
      throw error;
    }
  }

  /**
   * Records a signal: creates its incident (phase Detected) or, when it exists, counts a new
   * occurrence if the observation differs from the last one (another restart, another pod)
   * and refreshes lastSeen and the evidence. Safe to call on every reconcile.
   */
  async recordSignal(watch: { name: string; namespace: string }, signal: Signal, raw: Evidence, now = new Date()): Promise<UpsertResult> {
    const evidence = this.redactEvidence(raw);
    // Incidents live with their watch, whose status counts them; a GitOps source may be
    // elsewhere (an Argo CD Application in argocd).
    const namespace = watch.namespace;
    const name = incidentName(signal);
    const at = now.toISOString();
    const observation = observationKey(signal);
    let created = false;
    try {
      await this.client.create(path(namespace), {
        apiVersion: API_VERSION,
        kind: 'HealingIncident',
        metadata: { name, labels: { 'gopherguard.dev/watch': watch.name, 'gopherguard.dev/class': signal.class.toLowerCase() }, annotations: { 'gopherguard.dev/last-observation': observation } },
        spec: {
          watch: watch.name,
          fingerprint: fingerprint(signal),
          workload: signal.workload,
          ...(signal.container ? { container: signal.container } : {}),
          signalClass: signal.class,
          ...(signal.customClass ? { customClass: signal.customClass } : {}),
        },
      });
      created = true;
    } catch (error) {
      if (codeOf(error) !== 409) throw error;
    }
    let counted = false;
    await this.updateStatus(namespace, name, (incident) => {
      const status: HealingIncidentStatus = incident.status ?? { phase: 'Detected' };
      const last = incident.metadata.annotations?.['gopherguard.dev/last-observation'];
      counted = created || status.occurrences === undefined || last !== observation;
      // A failure that comes back after the incident resolved itself reopens it.
      const reopened = status.phase === 'Resolved' && counted;
      return {
        ...status,
        phase: reopened ? 'Detected' : status.phase,
        ...(reopened ? { message: 'the failure came back after it had resolved itself' } : {}),
        phaseTimestamps: reopened ? { ...status.phaseTimestamps, Detected: at } : { Detected: at, ...status.phaseTimestamps },
        occurrences: (status.occurrences ?? 0) + (counted ? 1 : 0),
        firstSeen: status.firstSeen ?? at,
        lastSeen: at,
        // Logs are read once, when the incident is created; later sightings keep them.
        evidence: {
          ...evidence,
          ...(status.evidence?.logExcerpt && !evidence.logExcerpt ? { logExcerpt: status.evidence.logExcerpt } : {}),
          // The kept logs' redactions still count.
          redactions: Math.max(evidence.redactions ?? 0, status.evidence?.redactions ?? 0),
        },
      };
    });
    if (counted && !created) await this.setObservation(namespace, name, observation);
    return { name, created, counted };
  }

  /** Moves an incident to a phase, stamping the time; a no-op if it is already there. */
  async transition(namespace: string, name: string, phase: IncidentPhase, message?: string, now = new Date()): Promise<void> {
    await this.updateStatus(namespace, name, (incident) => {
      const status = incident.status ?? { phase: 'Detected' as const };
      if (status.phase === phase) return undefined;
      return { ...status, phase, message, phaseTimestamps: { ...status.phaseTimestamps, [phase]: now.toISOString() } };
    });
  }

  /** Read, change, replace the status subresource; a 409 (someone else wrote) retries. */
  async updateStatus(namespace: string, name: string, change: (incident: HealingIncident) => HealingIncidentStatus | undefined): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      const incident = await this.get(namespace, name);
      if (!incident) return;
      const status = change(incident);
      if (!status) return;
      try {
        await this.client.replace(`${path(namespace, name)}/status`, { ...incident, status });
        return;
      } catch (error) {
        if (codeOf(error) !== 409 || attempt >= 5) throw error;
      }
    }
  }

  private async setObservation(namespace: string, name: string, observation: string): Promise<void> {
    await this.client.mergePatch(path(namespace, name), { metadata: { annotations: { 'gopherguard.dev/last-observation': observation } } });
  }
}

/** What makes two sightings of one failure different occurrences: a new restart, a new pod. */
function observationKey(signal: Signal): string {
  return [signal.object.name, signal.restartCount ?? '', signal.reason ?? ''].join('/');
}

function path(namespace: string, name?: string): string {
  return `/apis/${GROUP}/${VERSION}/namespaces/${namespace}/${PLURAL}${name ? `/${name}` : ''}`;
}

function codeOf(error: unknown): number | undefined {
  return (error as { code?: number }).code;
}
