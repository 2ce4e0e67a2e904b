// Hands an app to Flux, as a platform team would: a GitRepository on the sandbox's Gitea
// (basic auth from a Secret) and a Kustomization applying one of its folders.
import type { KubeClient } from '../k8s/kube-client.ts';

export interface FluxAppOptions {
  namespace: string;
  /** The name of the GitRepository, the Kustomization and the Secret. */
  name: string;
  repoUrl: string;
  branch?: string;
  /** The folder Flux builds, e.g. ./deploy/overlays/sandbox. */
  path: string;
  username: string;
  password: string;
  /** How often Flux polls Git and re-applies; the demo uses 10 s. */
  intervalSeconds: number;
}

interface Condition { type: string; status: string; reason?: string; message?: string }

export interface KustomizationStatus {
  lastAppliedRevision?: string;
  lastAttemptedRevision?: string;
  conditions?: Condition[];
}

export async function deployWithFlux(client: KubeClient, app: FluxAppOptions): Promise<void> {
  const { namespace, name } = app;
  await client.create(`/api/v1/namespaces/${namespace}/secrets`, {
    metadata: { name: `${name}-git` }, type: 'Opaque', stringData: { username: app.username, password: app.password },
  });
  const interval = `${app.intervalSeconds}s`;
  await client.create(`/apis/source.toolkit.fluxcd.io/v1/namespaces/${namespace}/gitrepositories`, {
    apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name },
    spec: { interval, url: app.repoUrl, ref: { branch: app.branch ?? 'main' }, secretRef: { name: `${name}-git` } },
  });
  await client.create(`/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${namespace}/kustomizations`, {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name },
    spec: {
      interval, prune: true, wait: false, timeout: '1m', path: app.path, targetNamespace: namespace,
      sourceRef: { kind: 'GitRepository', name },
    },
  });
}

export async function kustomizationStatus(client: KubeClient, namespace: string, name: string): Promise<KustomizationStatus> {
  const object = await client.get<{ status?: KustomizationStatus }>(`/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${namespace}/kustomizations/${name}`);
  return object.status ?? {};
}

/** Flux writes revisions as `main@sha1:<sha>`. */
export function appliedCommit(status: KustomizationStatus): string | undefined {
  return status.lastAppliedRevision?.split(':').at(-1);
}

export function readyCondition(status: KustomizationStatus): Condition | undefined {
  return status.conditions?.find((c) => c.type === 'Ready');
}
