// Defensive readers for workloads: the proposed object may have any shape at all, so
// nothing here trusts a type annotation.
import type { Revision } from './types.ts';

export type JsonObject = Record<string, unknown>;

export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'] as const;

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function asObject(value: unknown): JsonObject {
  return isObject(value) ? value : {};
}

export function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The pod template of a workload, or the revision itself when it is a pod template. */
export function templateOf(revision: unknown): JsonObject {
  const object = asObject(revision);
  const spec = asObject(object.spec);
  if (object.kind !== undefined || 'template' in spec) return asObject(spec.template);
  return asObject(revision);
}

export function podSpecOf(workload: unknown): JsonObject {
  return asObject(templateOf(workload).spec);
}

export type ContainerList = 'containers' | 'initContainers' | 'ephemeralContainers';
export const CONTAINER_LISTS: readonly ContainerList[] = ['containers', 'initContainers', 'ephemeralContainers'];

export interface ContainerRef {
  list: ContainerList;
  name: string;
  container: JsonObject;
}

/** Every container of a pod spec, init and ephemeral ones included. */
export function allContainers(podSpec: JsonObject): ContainerRef[] {
  return CONTAINER_LISTS.flatMap((list) => asList(podSpec[list]).map((item, i) => {
    const container = asObject(item);
    return { list, name: typeof container.name === 'string' ? container.name : `#${i}`, container };
  }));
}

/** The app container by name, when exactly one has it. */
export function containerNamed(workload: unknown, name: string): JsonObject | undefined {
  const found = asList(podSpecOf(workload).containers).filter((c) => asObject(c).name === name);
  return found.length === 1 ? asObject(found[0]) : undefined;
}

export function revisionTemplates(revisions: readonly Revision[] | undefined): JsonObject[] {
  return (revisions ?? []).map(templateOf);
}
