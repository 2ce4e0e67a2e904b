// The one Secret an AegisWatch names (a forge token, an LLM key, a webhook URL), read by
// name only: the operator never lists Secrets, never logs or stores what it reads.
import type { KubeApiError, KubeClient } from './kube-client.ts';

/** The Secret's values, decoded and trimmed; undefined when it does not exist. */
export async function readSecret(client: KubeClient, namespace: string, name: string): Promise<Record<string, string> | undefined> {
  try {
    const secret = await client.get<{ data?: Record<string, string> }>(`/api/v1/namespaces/${namespace}/secrets/${name}`);
    return Object.fromEntries(Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8').trim()]));
  } catch (error) {
    if ((error as KubeApiError).code === 404) return undefined;
    throw error;
  }
}
