import type {
  CoreV1Event, KubernetesObject, V1DaemonSet, V1Deployment, V1Pod, V1ReplicaSet, V1StatefulSet,
} from '@kubernetes/client-node';
import { GROUP, VERSION } from '../api/common.ts';
import type { AegisWatch } from '../api/aegis-watch.ts';
import type { HealingIncident } from '../api/healing-incident.ts';
import { Informer, type CachedCollection } from '../k8s/informer.ts';
import type { KubeClient } from '../k8s/kube-client.ts';
import { ScopedInformers } from '../k8s/scoped-informers.ts';
import { slimPod } from '../k8s/trim.ts';

export interface ClusterCacheOptions {
  client: KubeClient;
  /** Watch only these namespaces; all namespaces when absent or empty. */
  namespaces?: string[];
  /** Also cache AegisWatches and HealingIncidents (the operator does; a one-shot analyze needs no CRDs). */
  withWatches?: boolean;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

/** The informers the operator reads from: it never reads workloads from the API directly. */
export class ClusterCache {
  readonly pods: CachedCollection<V1Pod>;
  readonly replicaSets: CachedCollection<V1ReplicaSet>;
  readonly deployments: CachedCollection<V1Deployment>;
  readonly statefulSets: CachedCollection<V1StatefulSet>;
  readonly daemonSets: CachedCollection<V1DaemonSet>;
  readonly events: CachedCollection<CoreV1Event>;
  readonly watches: CachedCollection<AegisWatch & KubernetesObject>;
  readonly incidents: CachedCollection<HealingIncident & KubernetesObject>;

  constructor(options: ClusterCacheOptions) {
    const { client, log } = options;
    const namespaces = options.namespaces ?? [];
    this.withWatches = options.withWatches ?? true;
    // One namespace or all: a single list and watch. Several: one per namespace, since an
    // operator scoped to them may not list the whole cluster.
    const make = <T extends KubernetesObject>(name: string, prefix: string, transform?: (o: T) => T): CachedCollection<T> =>
      namespaces.length > 1
        ? new ScopedInformers<T>(namespaces, (ns) => `${prefix}/namespaces/${ns}/${name}`, { client, name, log, transform })
        : new Informer<T>({ client, name, path: `${prefix}${namespaces[0] ? `/namespaces/${namespaces[0]}` : ''}/${name}`, log, transform });
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

  private all(): Array<CachedCollection<KubernetesObject>> {
    return [...(this.withWatches ? [this.watches, this.incidents] : []), this.replicaSets, this.deployments, this.statefulSets, this.daemonSets, this.events, this.pods] as Array<CachedCollection<KubernetesObject>>;
  }

  /** Starts every informer; resolves once all have listed (the cache is synced). */
  async start(): Promise<void> {
    await Promise.all(this.all().map((i) => i.start()));
  }

  stop(): void {
    for (const informer of this.all()) informer.stop();
  }
}
