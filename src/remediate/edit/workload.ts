// The live workload as the operator's cache holds it (plain JSON), and where each kind
// keeps its pod template, so that a change named on the template lands in the right
// place of a manifest.
import type { V1Container, V1PodTemplateSpec } from '@kubernetes/client-node';
import type { Step } from './path.ts';

export interface Workload {
  apiVersion?: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: unknown;
}

/** The path from a manifest's root to its pod template; undefined for kinds without one. */
export function podTemplatePath(kind: string): Step[] | undefined {
  switch (kind) {
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'Job':
      return ['spec', 'template'];
    case 'CronJob':
      return ['spec', 'jobTemplate', 'spec', 'template'];
    case 'Pod':
      // A Pod is its own template: its metadata and spec are where a template's are.
      return [];
    default:
      return undefined;
  }
}

export function podTemplate(workload: Workload): V1PodTemplateSpec | undefined {
  const path = podTemplatePath(workload.kind);
  if (!path) return undefined;
  let node: unknown = workload;
  for (const step of path) node = (node as Record<string, unknown> | undefined)?.[step as string];
  return node as V1PodTemplateSpec | undefined;
}

/** The list (`containers` or `initContainers`) and the container, by name. */
export function findContainer(workload: Workload, name: string): { list: 'containers' | 'initContainers'; container: V1Container } | undefined {
  const spec = podTemplate(workload)?.spec;
  for (const list of ['containers', 'initContainers'] as const) {
    const container = spec?.[list]?.find((c) => c.name === name);
    if (container) return { list, container };
  }
  return undefined;
}

/** `Deployment shop/web`, for messages. */
export function describeWorkload(workload: Workload): string {
  const ns = workload.metadata.namespace;
  return `${workload.kind} ${ns ? `${ns}/` : ''}${workload.metadata.name}`;
}

/** The API group of an apiVersion (`apps/v1` → `apps`, `v1` → ``). */
export function groupOf(apiVersion: string | undefined): string | undefined {
  if (apiVersion === undefined) return undefined;
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}
