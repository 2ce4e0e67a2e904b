import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CoreV1Api, CustomObjectsApi, PatchStrategy, makeInformer, setHeaderOptions,
  type Informer, type KubeConfig, type KubernetesObject, type ObjectCache, type V1ConfigMap, type V1Pod, type V1Secret,
} from '@kubernetes/client-node';
import { VERDICT } from './annotations.ts';
import { writeContainerLogs } from './container-logs.ts';
import { judgePod, type Verdict, type World } from './judge.ts';
import { loadRegistry, type SimRegistry } from './registry.ts';

export interface BehaviourControllerOptions {
  kubeConfig: KubeConfig;
  /** Folder for the simulated containers' log files (read by KWOK's log server). */
  logDir: string;
  /** The images nodes can pull; sandbox/registry.json unless given. */
  registry?: SimRegistry;
  log?: (line: string) => void;
}

/**
 * The sandbox's stand-in for what a kubelet learns by running a container: it judges each
 * scheduled pod from its spec (judge.ts), labels it for the KWOK stages, writes the logs
 * the app would print and registers them with KWOK. Pods waiting for a missing ConfigMap
 * or Secret are judged again when config changes, as a kubelet would retry.
 */
export class BehaviourController {
  private readonly core: CoreV1Api;
  private readonly custom: CustomObjectsApi;
  private readonly images: ReadonlySet<string>;
  private readonly informers: Array<Informer<KubernetesObject> & ObjectCache<KubernetesObject>> = [];
  private readonly pods: Informer<V1Pod> & ObjectCache<V1Pod>;
  private readonly configMaps: Informer<V1ConfigMap> & ObjectCache<V1ConfigMap>;
  private readonly secrets: Informer<V1Secret> & ObjectCache<V1Secret>;
  private readonly inFlight = new Set<string>();
  private stopped = false;
  private readonly options: BehaviourControllerOptions;

  constructor(options: BehaviourControllerOptions) {
    this.options = options;
    const kc = options.kubeConfig;
    this.core = kc.makeApiClient(CoreV1Api);
    this.custom = kc.makeApiClient(CustomObjectsApi);
    this.images = (options.registry ?? loadRegistry()).images;
    this.pods = makeInformer(kc, '/api/v1/pods', () => this.core.listPodForAllNamespaces());
    this.configMaps = makeInformer(kc, '/api/v1/configmaps', () => this.core.listConfigMapForAllNamespaces());
    this.secrets = makeInformer(kc, '/api/v1/secrets', () => this.core.listSecretForAllNamespaces());
  }

  async start(): Promise<void> {
    this.pods.on('add', (pod) => this.onPod(pod));
    this.pods.on('update', (pod) => this.onPod(pod));
    this.pods.on('delete', (pod) => void this.onPodGone(pod));
    for (const informer of [this.configMaps, this.secrets] as Array<Informer<KubernetesObject>>) {
      informer.on('add', () => this.rejudgeWaiting());
      informer.on('update', () => this.rejudgeWaiting());
      informer.on('delete', () => this.rejudgeWaiting());
    }
    for (const informer of [this.pods, this.configMaps, this.secrets] as Array<Informer<KubernetesObject> & ObjectCache<KubernetesObject>>) {
      this.informers.push(informer);
      // client-node stops an informer on any error but a 410; start it again after a pause.
      informer.on('error', (error: unknown) => {
        this.log(`watch error, restarting in 1s: ${String(error)}`);
        setTimeout(() => { if (!this.stopped) void informer.start().catch(() => undefined); }, 1000);
      });
    }
    await Promise.all([this.configMaps.start(), this.secrets.start()]);
    await this.pods.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.informers.map((i) => i.stop()));
  }

  /** Every pod in the informer's cache, for the metrics exporter. */
  listPods(): readonly V1Pod[] {
    return this.pods.list();
  }

  private world(): World {
    const keys = (items: ReadonlyArray<V1ConfigMap | V1Secret>) => new Map(items.map((o) => [
      `${o.metadata?.namespace}/${o.metadata?.name}`,
      new Set([...Object.keys(o.data ?? {}), ...Object.keys((o as V1ConfigMap).binaryData ?? {}), ...Object.keys((o as V1Secret).stringData ?? {})]),
    ]));
    return { images: this.images, configMaps: keys(this.configMaps.list()), secrets: keys(this.secrets.list()) };
  }

  private onPod(pod: V1Pod): void {
    if (!pod.spec?.nodeName || pod.metadata?.deletionTimestamp) return;
    if (pod.metadata?.labels?.[VERDICT.behaviourLabel]) return;
    void this.apply(pod, judgePod(pod, this.world()));
  }

  private rejudgeWaiting(): void {
    for (const pod of this.pods.list()) {
      if (pod.metadata?.labels?.[VERDICT.behaviourLabel] !== 'config-error' || pod.metadata.deletionTimestamp) continue;
      const verdict = judgePod(pod, this.world());
      if (verdict.behaviour !== 'config-error' || verdict.message !== pod.metadata.annotations?.[VERDICT.message]) {
        void this.apply(pod, verdict);
      }
    }
  }

  private async apply(pod: V1Pod, verdict: Verdict): Promise<void> {
    const namespace = pod.metadata?.namespace ?? 'default';
    const name = pod.metadata?.name ?? '';
    const key = `${namespace}/${name}/${verdict.behaviour}/${verdict.message ?? ''}`;
    if (this.inFlight.has(key)) return;
    this.inFlight.add(key);
    try {
      const files = await writeContainerLogs(this.options.logDir, pod, verdict);
      await this.registerLogs(pod, files);
      const annotations: Record<string, string | null> = {
        [VERDICT.container]: verdict.container ?? null,
        [VERDICT.exitCode]: verdict.exitCode === undefined ? null : String(verdict.exitCode),
        [VERDICT.reason]: verdict.reason ?? null,
        [VERDICT.message]: verdict.message ?? null,
        [VERDICT.runsFor]: verdict.runsFor ?? null,
        [VERDICT.probe]: verdict.probe ?? null,
      };
      await this.core.patchNamespacedPod(
        { name, namespace, body: { metadata: { labels: { [VERDICT.behaviourLabel]: verdict.behaviour }, annotations } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      this.log(`${namespace}/${name}: ${verdict.behaviour}${verdict.message ? ` (${verdict.message})` : ''}`);
    } catch (error) {
      // The pod may be gone already; a live one is judged again on its next update.
      this.log(`${namespace}/${name}: could not apply ${verdict.behaviour}: ${String(error)}`);
    } finally {
      this.inFlight.delete(key);
    }
  }

  private async registerLogs(pod: V1Pod, files: Awaited<ReturnType<typeof writeContainerLogs>>): Promise<void> {
    const body = {
      apiVersion: 'kwok.x-k8s.io/v1alpha1',
      kind: 'Logs',
      metadata: {
        name: pod.metadata?.name,
        namespace: pod.metadata?.namespace,
        // Garbage-collected with the pod.
        ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: pod.metadata?.name, uid: pod.metadata?.uid }],
      },
      spec: { logs: files.map((f) => ({ containers: [f.container], logsFile: f.logsFile, previousLogsFile: f.previousLogsFile })) },
    };
    try {
      await this.custom.createNamespacedCustomObject({ group: 'kwok.x-k8s.io', version: 'v1alpha1', namespace: pod.metadata?.namespace ?? 'default', plural: 'logs', body });
    } catch (error) {
      if ((error as { code?: number }).code !== 409) throw error; // same files, rewritten in place
    }
  }

  private async onPodGone(pod: V1Pod): Promise<void> {
    await rm(join(this.options.logDir, pod.metadata?.namespace ?? 'default', pod.metadata?.name ?? ''), { recursive: true, force: true });
  }

  private log(line: string): void {
    this.options.log?.(line);
  }
}
