// Helpers for integration tests that talk to the run's sandbox (test/global-setup.ts).
import { setTimeout as sleep } from 'node:timers/promises';
import { AppsV1Api, CoreV1Api, KubeConfig, type CoreV1Event, type V1Deployment, type V1Pod } from '@kubernetes/client-node';
import { KubeClient } from '../../src/k8s/kube-client.ts';
import { fromKubeconfigFiles } from '../../src/k8s/kubeconfig.ts';

export interface TestCluster {
  /** client-node, for the tests' own setup and checks. */
  kubeConfig: KubeConfig;
  /** The operator's own client, for the code under test. */
  client: KubeClient;
  core: CoreV1Api;
  apps: AppsV1Api;
}

export function testCluster(): TestCluster {
  const file = process.env.GOPHERGUARD_TEST_KUBECONFIG;
  if (!file) throw new Error('GOPHERGUARD_TEST_KUBECONFIG is not set: run the tests with npm test, which starts a sandbox');
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(file);
  return { kubeConfig, client: new KubeClient(fromKubeconfigFiles([file])), core: kubeConfig.makeApiClient(CoreV1Api), apps: kubeConfig.makeApiClient(AppsV1Api) };
}

/** A fresh namespace per test, so tests never see each other's pods or events. */
export async function createNamespace(cluster: TestCluster, prefix: string): Promise<string> {
  const name = `${prefix}-${Math.random().toString(36).slice(2, 7)}`;
  await cluster.core.createNamespace({ body: { metadata: { name } } });
  // Pods need the namespace's default ServiceAccount, which the controller manager makes.
  await waitFor(`ServiceAccount default in ${name}`, async () => {
    await cluster.core.readNamespacedServiceAccount({ name: 'default', namespace: name });
    return true;
  });
  return name;
}

export async function deleteNamespace(cluster: TestCluster, name: string): Promise<void> {
  await cluster.core.deleteNamespace({ name }).catch(() => undefined);
}

/** Polls until `check` returns a value that is not undefined/false; fails with the last error. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    }
    await sleep(250);
  }
}

export interface AppSpec {
  name: string;
  replicas?: number;
  image?: string;
  annotations?: Record<string, string>;
  container?: Record<string, unknown>;
  progressDeadlineSeconds?: number;
}

export const JOKE_IMAGE = 'ghcr.io/gopherguard/jokeservice:1.0.0';

/** A Deployment of one JokeService-like container; `container` is merged into it. */
export function deployment(spec: AppSpec): V1Deployment {
  const labels = { app: spec.name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: spec.name, labels },
    spec: {
      replicas: spec.replicas ?? 1,
      progressDeadlineSeconds: spec.progressDeadlineSeconds,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels, annotations: spec.annotations },
        spec: {
          containers: [{ name: 'app', image: spec.image ?? JOKE_IMAGE, ports: [{ name: 'http', containerPort: 8080 }], ...spec.container }],
        },
      },
    },
  };
}

export async function podsOf(cluster: TestCluster, namespace: string, app: string): Promise<V1Pod[]> {
  return (await cluster.core.listNamespacedPod({ namespace, labelSelector: `app=${app}` })).items;
}

/** Waits until the app has a pod and `check` accepts the first one. */
export function waitForPod(cluster: TestCluster, namespace: string, app: string, what: string, check: (pod: V1Pod) => boolean, timeoutMs?: number): Promise<V1Pod> {
  return waitFor(`${app} pod: ${what}`, async () => {
    const pods = await podsOf(cluster, namespace, app);
    return pods.find((pod) => !pod.metadata?.deletionTimestamp && check(pod));
  }, timeoutMs);
}

export async function eventsFor(cluster: TestCluster, namespace: string, podName: string): Promise<CoreV1Event[]> {
  const list = await cluster.core.listNamespacedEvent({ namespace, fieldSelector: `involvedObject.name=${podName}` });
  return list.items;
}

export function waitForEvent(cluster: TestCluster, namespace: string, podName: string, reason: string, match: RegExp = /.*/, minCount = 1): Promise<CoreV1Event> {
  return waitFor(`event ${reason} on ${podName}`, async () => {
    const events = await eventsFor(cluster, namespace, podName);
    return events.find((e) => e.reason === reason && match.test(e.message ?? '') && (e.count ?? 1) >= minCount);
  });
}

export function containerStatus(pod: V1Pod, name = 'app') {
  return pod.status?.containerStatuses?.find((c) => c.name === name);
}

export function isReady(pod: V1Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}
