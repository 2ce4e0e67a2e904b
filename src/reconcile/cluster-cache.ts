import {
  AppsV1Api, CoreV1Api, CustomObjectsApi, type CoreV1Event, type KubeConfig, type KubernetesListObject, type KubernetesObject,
  type V1DaemonSet, type V1Deployment, type V1Pod, type V1ReplicaSet, type V1StatefulSet,
} from '@kubernetes/client-node';
import { GROUP, VERSION } from '../api/common.ts';
import type { AegisWatch } from '../api/aegis-watch.ts';
import type { HealingIncident } from '../api/healing-incident.ts';
import { Informer } from '../k8s/informer.ts';
import { slimPod } from '../k8s/trim.ts';

export interface ClusterCacheOptions {
  kubeConfig: KubeConfig;
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
    const { kubeConfig, namespace: ns, log } = options;
    this.withWatches = options.withWatches ?? true;
    const core = kubeConfig.makeApiClient(CoreV1Api);
    const apps = kubeConfig.makeApiClient(AppsV1Api);
    const custom = kubeConfig.makeApiClient(CustomObjectsApi);
    const scope = (group: string, plural: string) => `${group}${ns ? `/namespaces/${ns}` : ''}/${plural}`;
    const make = <T extends KubernetesObject>(name: string, path: string, list: (page: { limit: number; _continue?: string }) => Promise<KubernetesListObject<T>>, transform?: (o: T) => T) =>
      new Informer<T>({ kubeConfig, name, path, list, log, transform });
    this.pods = make('pods', scope('/api/v1', 'pods'), (p) => (ns ? core.listNamespacedPod({ namespace: ns, ...p }) : core.listPodForAllNamespaces(p)), slimPod);
    this.replicaSets = make('replicasets', scope('/apis/apps/v1', 'replicasets'), (p) => (ns ? apps.listNamespacedReplicaSet({ namespace: ns, ...p }) : apps.listReplicaSetForAllNamespaces(p)));
    this.deployments = make('deployments', scope('/apis/apps/v1', 'deployments'), (p) => (ns ? apps.listNamespacedDeployment({ namespace: ns, ...p }) : apps.listDeploymentForAllNamespaces(p)));
    this.statefulSets = make('statefulsets', scope('/apis/apps/v1', 'statefulsets'), (p) => (ns ? apps.listNamespacedStatefulSet({ namespace: ns, ...p }) : apps.listStatefulSetForAllNamespaces(p)));
    this.daemonSets = make('daemonsets', scope('/apis/apps/v1', 'daemonsets'), (p) => (ns ? apps.listNamespacedDaemonSet({ namespace: ns, ...p }) : apps.listDaemonSetForAllNamespaces(p)));
    this.events = make('events', scope('/api/v1', 'events'), (p) => (ns ? core.listNamespacedEvent({ namespace: ns, ...p }) : core.listEventForAllNamespaces(p)));
    this.watches = make('aegiswatches', scope(`/apis/${GROUP}/${VERSION}`, 'aegiswatches'), async (p) =>
      (ns
        ? custom.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: ns, plural: 'aegiswatches', ...p })
        : custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural: 'aegiswatches', ...p })) as Promise<KubernetesListObject<AegisWatch & KubernetesObject>>);
    this.incidents = make('healingincidents', scope(`/apis/${GROUP}/${VERSION}`, 'healingincidents'), async (p) =>
      (ns
        ? custom.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: ns, plural: 'healingincidents', ...p })
        : custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural: 'healingincidents', ...p })) as Promise<KubernetesListObject<HealingIncident & KubernetesObject>>);
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
