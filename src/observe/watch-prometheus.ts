// The Prometheus a watch queries: its own (with a token from its Secret) or the operator's.
import type { AegisWatchSpec } from '../api/aegis-watch.ts';
import type { KubeClient } from '../k8s/kube-client.ts';
import { readSecret } from '../k8s/secrets.ts';
import { createPrometheusClient, type PrometheusClient } from './prometheus-client.ts';

/** The operator's default Prometheus (--prometheus-url), for watches that name none. */
export interface DefaultPrometheus {
  url: string;
  token?: string;
  timeoutMs?: number;
}

export type PrometheusFor =
  | { ok: true; client: PrometheusClient }
  | { ok: false; reason: 'NoPrometheus' | 'SecretNotFound'; message: string };

export async function prometheusFor(
  kube: KubeClient, namespace: string, spec: AegisWatchSpec, fallback: DefaultPrometheus | undefined, fetchImpl?: typeof fetch,
): Promise<PrometheusFor> {
  const own = spec.metrics?.prometheus;
  if (!own) {
    if (!fallback) {
      return { ok: false, reason: 'NoPrometheus', message: 'no Prometheus to query: set spec.metrics.prometheus.url, or start the operator with --prometheus-url (Alertmanager alerts still work)' };
    }
    return { ok: true, client: createPrometheusClient({ ...fallback, ...(fetchImpl ? { fetch: fetchImpl } : {}) }) };
  }
  let token: string | undefined;
  if (own.secretRef) {
    const data = await readSecret(kube, namespace, own.secretRef.name);
    token = data?.[own.secretRef.key];
    if (!token) return { ok: false, reason: 'SecretNotFound', message: `spec.metrics.prometheus.secretRef: Secret ${namespace}/${own.secretRef.name} has no key "${own.secretRef.key}"` };
  }
  return { ok: true, client: createPrometheusClient({ url: own.url, token, timeoutMs: own.timeoutSeconds * 1000, ...(fetchImpl ? { fetch: fetchImpl } : {}) }) };
}
