import { setTimeout as sleep } from 'node:timers/promises';
import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { RESOURCES, crdFor } from './crd.ts';

const CRDS = { group: 'apiextensions.k8s.io', version: 'v1', plural: 'customresourcedefinitions' };

interface CrdState {
  metadata?: { resourceVersion?: string };
  status?: { conditions?: Array<{ type: string; status: string }> };
}

/**
 * Creates or updates GopherGuard's CRDs and waits until the API server serves them. Sent
 * verbatim through the generic custom-object API: client-node's typed CRD model would
 * drop every x-kubernetes-* key, default and CEL rule.
 */
export async function installCrds(kubeConfig: KubeConfig, timeoutMs = 30_000): Promise<void> {
  const api = kubeConfig.makeApiClient(CustomObjectsApi);
  for (const def of RESOURCES) {
    const body = crdFor(def) as unknown as { metadata: { name: string } };
    const name = body.metadata.name;
    try {
      await api.createClusterCustomObject({ ...CRDS, body });
    } catch (error) {
      if ((error as { code?: number }).code !== 409) throw error;
      const current = (await api.getClusterCustomObject({ ...CRDS, name })) as CrdState;
      await api.replaceClusterCustomObject({ ...CRDS, name, body: { ...body, metadata: { ...body.metadata, resourceVersion: current.metadata?.resourceVersion } } });
    }
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const crd = (await api.getClusterCustomObject({ ...CRDS, name })) as CrdState;
      if (crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) break;
      if (Date.now() > deadline) throw new Error(`CRD ${name} was not established after ${timeoutMs / 1000}s`);
      await sleep(100);
    }
  }
}
