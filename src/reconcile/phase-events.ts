// Where people look first is `kubectl describe`: each phase an incident reaches is an
// Event on its workload (or GitOps object) and on its AegisWatch. The workload controller
// already says "IncidentDetected" on the workload; this adds the rest of the story.
import type { V1ObjectReference } from '@kubernetes/client-node';
import type { HealingIncident, IncidentPhase } from '../api/healing-incident.ts';
import { EventRecorder } from '../k8s/event-recorder.ts';
import type { KubeClient } from '../k8s/kube-client.ts';
import type { ClusterCache } from './cluster-cache.ts';
import type { WorkloadKey } from './owners.ts';
import { workloadObject } from './workload-view.ts';

const WARNING: ReadonlySet<IncidentPhase> = new Set(['Detected', 'Failed']);
const API_VERSION: Record<string, string> = {
  Deployment: 'apps/v1', StatefulSet: 'apps/v1', DaemonSet: 'apps/v1',
  Kustomization: 'kustomize.toolkit.fluxcd.io/v1', Application: 'argoproj.io/v1alpha1',
};

export interface PhaseEventsOptions {
  client: KubeClient;
  cache: ClusterCache;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

export class PhaseEvents {
  private readonly options: PhaseEventsOptions;
  private readonly events: EventRecorder;
  private unsubscribe: (() => void) | undefined;

  constructor(options: PhaseEventsOptions) {
    this.options = options;
    this.events = new EventRecorder(options.client);
  }

  start(): void {
    this.unsubscribe = this.options.cache.incidents.on('update', (incident, old) => {
      const phase = incident.status?.phase;
      if (!phase || phase === old?.status?.phase) return;
      void this.record(incident, phase);
    });
  }

  stop(): Promise<void> {
    this.unsubscribe?.();
    return Promise.resolve();
  }

  private async record(incident: HealingIncident, phase: IncidentPhase): Promise<void> {
    const { cache } = this.options;
    const { workload, watch, signalClass } = incident.spec;
    const namespace = incident.metadata.namespace ?? '';
    const type = WARNING.has(phase) ? 'Warning' : 'Normal';
    const reason = `Incident${phase}`;
    const message = `${signalClass} of ${workload.kind} ${workload.name}: ${incident.status?.message ?? phase} (HealingIncident ${incident.metadata.name})`;
    const targets: V1ObjectReference[] = [];
    if (phase !== 'Detected') {
      const live = API_VERSION[workload.kind] === 'apps/v1' ? workloadObject(cache, workload as WorkloadKey) : undefined;
      targets.push({ apiVersion: API_VERSION[workload.kind], kind: workload.kind, name: workload.name, namespace: workload.namespace, uid: live?.metadata?.uid });
    }
    const watchObject = cache.watches.get(namespace, watch);
    targets.push({ apiVersion: 'gopherguard.dev/v1alpha1', kind: 'AegisWatch', name: watch, namespace, uid: watchObject?.metadata?.uid });
    for (const target of targets) {
      await this.events.record(target, type, reason, message)
        .catch((error: unknown) => this.options.log?.('could not record an event', { error: String(error) }));
    }
  }
}
