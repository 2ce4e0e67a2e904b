import type {
  CoreV1Event, KubernetesObject, V1DaemonSet, V1Deployment, V1Pod, V1ReplicaSet, V1StatefulSet,
} from '@kubernetes/client-node';
import { GROUP, VERSION } from '../api/common.ts';
import type { AegisWatch } from '../api/aegis-watch.ts';
import type { HealingIncident } from '../api/healing-incident.ts';
import { Informer } from '../k8s/informer.ts';
import type { KubeClient } from '../k8s/kube-client.ts';
import { slimPod } from '../k8s/trim.ts';

export interface ClusterCacheOptions {
  client: KubeClient;
  /** Watch only this namespace; all namespaces when absent. */
  namespace?: string;
  /** Also cache AegisWatches and HealingIncidents (the operator does; a one-shot analyze needs no CRDs). */
  withWatches?: boolean;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

/** The informers the operator reads from: it never reads workloads from the API directly. */
export class ClusterCache {
  readonly pods: Informer<V1Pod>;
  readonly replicaSets: Informer<V1ReplicaSet>;
  readonly deployments: Informer<V1Deployment>;
  readonly statefulSets: Informer<V1StatefulSet>;
  readonly daemonSets: Informer<V1DaemonSet>;
  readonly events: Informer<CoreV1Event>;
  readonly watches: Informer<AegisWatch & KubernetesObject>;
  readonly incidents: Informer<HealingIncident & KubernetesObject>;

  constructor(options: ClusterCacheOptions) {
    const { client, namespace: ns, log } = options;
    this.withWatches = options.withWatches ?? true;
    const make = <T extends KubernetesObject>(name: string, prefix: string, transform?: (o: T) => T) =>
      new Informer<T>({ client, name, path: `${prefix}${ns ? `/namespaces/${ns}` : ''}/${name}`, log, transform });
    this.pods = make('pods', '/api/v1', slimPod);
    this.replicaSets = make('replicasets', '/apis/apps/v1');
    this.deployments = make('deployments', '/apis/apps/v1');
    this.statefulSets = make('statefulsets', '/apis/apps/v1');
    this.daemonSets = make('daemonsets', '/apis/apps/v1');
    this.events = make('events', '/api/v1');
    this.watches = make('aegiswatches', `/apis/${GROUP}/${VERSION}`);
    this.incidents = make('healingincidents', `/apis/${GROUP}/${VERSION}`);
  }

  private readonly withWatches: boolean;

  private all(): Array<Informer<KubernetesObject>> {
    return [...(this.withWatches ? [this.watches, this.incidents] : []), this.replicaSets, this.deployments, this.statefulSets, this.daemonSets, this.events, this.pods] as Array<Informer<KubernetesObject>>;
  }

  /** Starts every informer; resolves once all have listed (the cache is synced). */
  async start(): Promise<void> {
    await Promise.all(this.all().map((i) => i.start()));
  }

  stop(): void {
    for (const informer of this.all()) informer.stop();
  }
}
