// Test helpers for GopherGuard's own resources.
import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import type { HealingIncident } from '../../src/api/healing-incident.ts';

const GROUP = { group: 'gopherguard.dev', version: 'v1alpha1' };

export async function createWatch(kubeConfig: KubeConfig, namespace: string, name: string, spec: Record<string, unknown>): Promise<void> {
  await kubeConfig.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({
    ...GROUP, namespace, plural: 'aegiswatches',
    body: { apiVersion: 'gopherguard.dev/v1alpha1', kind: 'AegisWatch', metadata: { name }, spec },
  });
}

export async function listIncidents(kubeConfig: KubeConfig, namespace: string): Promise<HealingIncident[]> {
  const list = await kubeConfig.makeApiClient(CustomObjectsApi).listNamespacedCustomObject({ ...GROUP, namespace, plural: 'healingincidents' });
  return (list as { items: HealingIncident[] }).items;
}
