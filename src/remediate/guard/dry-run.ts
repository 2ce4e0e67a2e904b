// The API server's half of the guard: the resulting object goes through defaulting,
// schema validation with unknown fields refused, and admission (Pod Security, webhooks,
// ValidatingAdmissionPolicies), and is not persisted (dryRun=All). It is a PUT of the
// whole object over the live one, so it is judged as the GitOps engine's apply would be.
import { KubeApiError, type KubeClient } from '../../k8s/kube-client.ts';
import type { Workload } from './types.ts';

/** What the dry-run needs of the client (a KubeClient; tests pass a stand-in). */
export type DryRunClient = Pick<KubeClient, 'get' | 'replace'>;

export interface DryRunOptions {
  /** For a manifest without metadata.namespace (the Kustomization or Application sets it). */
  namespace?: string;
  signal?: AbortSignal;
}

export type DryRunVerdict =
  | { ok: true; object: Workload }
  | { ok: false; reasons: string[]; retryable?: boolean };

const PLURALS: Record<string, string> = { Deployment: 'deployments', StatefulSet: 'statefulsets', DaemonSet: 'daemonsets' };
const DNS_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const GROUP_VERSION = /^([a-z0-9.-]+\/)?v\d+((alpha|beta)\d+)?$/;

/** The object's REST path, or the reason there is none. */
export function objectPath(object: Workload, namespace?: string): string | { reason: string } {
  const plural = PLURALS[object.kind ?? ''];
  const name = object.metadata?.name ?? '';
  const ns = object.metadata?.namespace ?? namespace ?? '';
  if (!plural) return { reason: `cannot dry-run a ${String(object.kind)}` };
  if (!GROUP_VERSION.test(object.apiVersion ?? '')) return { reason: `apiVersion ${String(object.apiVersion)} is not a group/version` };
  if (!DNS_NAME.test(name) || !DNS_NAME.test(ns)) return { reason: `the object needs a valid name and namespace (got ${JSON.stringify(name)} in ${JSON.stringify(ns)})` };
  const base = object.apiVersion?.includes('/') ? `/apis/${object.apiVersion}` : `/api/${object.apiVersion}`;
  return `${base}/namespaces/${ns}/${plural}/${name}`;
}

/**
 * Server-side dry-run of the resulting object, carrying the live resourceVersion. A
 * conflict (the object changed between the read and the PUT) is read again and retried
 * once; any other refusal comes back with the server's own message.
 */
export async function dryRunChange(client: DryRunClient, after: Workload, options: DryRunOptions = {}): Promise<DryRunVerdict> {
  const path = objectPath(after, options.namespace);
  if (typeof path !== 'string') return { ok: false, reasons: [path.reason] };
  for (let attempt = 1; ; attempt++) {
    try {
      const live = await client.get<Workload>(path, { signal: options.signal });
      const body = structuredClone(after);
      body.metadata = { ...body.metadata, namespace: live.metadata?.namespace, resourceVersion: live.metadata?.resourceVersion };
      const object = await client.replace<Workload>(path, body, { query: { dryRun: 'All', fieldValidation: 'Strict' }, signal: options.signal });
      return { ok: true, object };
    } catch (error) {
      if (error instanceof KubeApiError && error.code === 409 && attempt < 2) continue;
      return refusal(error, path);
    }
  }
}

function refusal(error: unknown, path: string): DryRunVerdict {
  if (!(error instanceof KubeApiError)) {
    return { ok: false, reasons: [`the dry-run could not reach the API server: ${(error as Error).message}`], retryable: true };
  }
  // The client's message is "PUT <path>: 422 Invalid: <the server's message>".
  const message = error.message.replace(/^\S+ \S+: \d+(?: \w+)?: /, '');
  if (error.code === 404) return { ok: false, reasons: [`${path} does not exist in the cluster: nothing to check the change against`] };
  const retryable = error.code === 409 || error.code === 429 || error.code >= 500;
  return { ok: false, reasons: [`the API server refused the change (${error.code}${error.reason ? ` ${error.reason}` : ''}): ${message}`], ...(retryable && { retryable }) };
}
