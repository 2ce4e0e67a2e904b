import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeClient } from '../k8s/kube-client.ts';
import { RESOURCES, crdFor } from './crd.ts';

const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

interface CrdState {
  metadata?: { resourceVersion?: string };
  status?: { conditions?: Array<{ type: string; status: string }> };
}

/**
 * Creates or updates GopherGuard's CRDs and waits until the API server serves them. Sent
 * verbatim as JSON: client-node's typed CRD model would drop every x-kubernetes-* key,
 * default and CEL rule.
 */
export async function installCrds(client: KubeClient, timeoutMs = 30_000): Promise<void> {
  for (const def of RESOURCES) {
    const body = crdFor(def) as unknown as { metadata: { name: string } };
    const name = body.metadata.name;
    try {
      await client.create(CRDS, body);
    } catch (error) {
      if ((error as { code?: number }).code !== 409) throw error;
      const current = await client.get<CrdState>(`${CRDS}/${name}`);
      await client.replace(`${CRDS}/${name}`, { ...body, metadata: { ...body.metadata, resourceVersion: current.metadata?.resourceVersion } });
    }
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const crd = await client.get<CrdState>(`${CRDS}/${name}`);
      if (crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) break;
      if (Date.now() > deadline) throw new Error(`CRD ${name} was not established after ${timeoutMs / 1000}s`);
      await sleep(100);
    }
  }
}
