import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CustomObjectsApi, KubernetesObjectApi, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';

/** Reads every document of every .yaml file in a folder (sorted), or of one file. */
export async function readManifests(path: string): Promise<KubernetesObject[]> {
  const files = path.endsWith('.yaml') ? [path] : (await readdir(path)).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(path, f));
  const objects: KubernetesObject[] = [];
  for (const file of files) {
    for (const doc of parseAllDocuments(await readFile(file, 'utf8'))) {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]?.message}`);
      const value = doc.toJS() as KubernetesObject | null;
      if (value?.kind) objects.push(value);
    }
  }
  return objects;
}

/**
 * Creates objects, leaving ones that exist alone. A kind whose CRD was created a moment
 * ago answers 404, or is missing from discovery (client-node then throws "Unrecognized API
 * version and kind"), until the API server has established it, so those are retried.
 */
export async function createAll(kubeConfig: KubeConfig, objects: KubernetesObject[], timeoutMs = 30_000): Promise<void> {
  const client = KubernetesObjectApi.makeApiClient(kubeConfig);
  const custom = kubeConfig.makeApiClient(CustomObjectsApi);
  for (const object of objects) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        // client-node's typed model would drop x-kubernetes-* and CEL rules from a CRD;
        // the generic custom-object call sends it verbatim.
        if (object.kind === 'CustomResourceDefinition') {
          await custom.createClusterCustomObject({ group: 'apiextensions.k8s.io', version: 'v1', plural: 'customresourcedefinitions', body: object });
        } else {
          await client.create(object);
        }
        break;
      } catch (error) {
        const code = (error as { code?: number }).code;
        if (code === 409) break;
        const notServedYet = code === 404 || /^Unrecognized API version and kind/.test((error as Error).message ?? '');
        if (notServedYet && Date.now() < deadline) {
          await sleep(250);
          continue;
        }
        throw new Error(`could not create ${object.kind} ${object.metadata?.name}: ${String(error)}`, { cause: error });
      }
    }
  }
}

/** True once the API server serves every named CRD (created ones take a moment). */
export async function crdsEstablished(kubeConfig: KubeConfig, names: string[]): Promise<boolean> {
  const custom = kubeConfig.makeApiClient(CustomObjectsApi);
  for (const name of names) {
    const crd = (await custom.getClusterCustomObject({ group: 'apiextensions.k8s.io', version: 'v1', plural: 'customresourcedefinitions', name })) as {
      status?: { conditions?: Array<{ type: string; status: string }> };
    };
    if (!crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) return false;
  }
  return true;
}
