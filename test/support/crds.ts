// Installs GopherGuard's CRDs (generated from src/api) into the test run's API server.
// Sent verbatim through the generic custom-object API: client-node's typed CRD model
// would drop every x-kubernetes-* key, default and CEL rule.
import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { RESOURCES, crdFor } from '../../src/api/crd.ts';
import { waitFor } from './cluster.ts';

const CRDS = { group: 'apiextensions.k8s.io', version: 'v1', plural: 'customresourcedefinitions' };

interface CrdStatus {
  metadata?: { resourceVersion?: string };
  status?: { conditions?: Array<{ type: string; status: string }> };
}

export async function installCrds(kubeConfig: KubeConfig): Promise<void> {
  const api = kubeConfig.makeApiClient(CustomObjectsApi);
  for (const def of RESOURCES) {
    const body = crdFor(def) as unknown as { metadata: { name: string } };
    const name = body.metadata.name;
    try {
      await api.createClusterCustomObject({ ...CRDS, body });
    } catch (error) {
      if ((error as { code?: number }).code !== 409) throw error;
      const current = (await api.getClusterCustomObject({ ...CRDS, name })) as CrdStatus;
      await api.replaceClusterCustomObject({ ...CRDS, name, body: { ...body, metadata: { ...body.metadata, resourceVersion: current.metadata?.resourceVersion } } });
    }
    await waitFor(`CRD ${name} established`, async () => {
      const crd = (await api.getClusterCustomObject({ ...CRDS, name })) as CrdStatus;
      return crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
    });
  }
}
