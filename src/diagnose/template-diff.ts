import type { V1EnvVar, V1PodTemplateSpec } from '@kubernetes/client-node';
import { byRevision, REVISION } from './rule-diagnosis.ts';

/** What part of the pod template a change touched; decides which action can revert it. */
export type ChangeKind = 'image' | 'env' | 'envFrom' | 'command' | 'args' | 'resources' | 'probe' | 'ports' | 'volumes' | 'metadata' | 'other';

/** One leaf that differs between two pod templates. */
export interface FieldChange {
  /** As in a revertField action: spec.containers[app].env[LOG_LEVEL].valueFrom.configMapKeyRef.key */
  path: string;
  /** The value before and after, as strings (arrays of scalars as JSON); undefined = absent. */
  before?: string;
  after?: string;
  kind: ChangeKind;
  container?: string;
  /** The env var (kind env) or probe field (kind probe) the leaf belongs to. */
  item?: string;
}

/** The last rollout of a Deployment: what changed from the previous ReplicaSet to the current one. */
export interface RolloutChange {
  from: string;
  to: string;
  previous: V1PodTemplateSpec;
  current: V1PodTemplateSpec;
  changes: FieldChange[];
}

/** The change between the newest two revisions, or undefined without two (or without a difference). */
export function lastRolloutChange(replicaSets: Parameters<typeof byRevision>[0]): RolloutChange | undefined {
  const [current, previous] = byRevision(replicaSets);
  if (!current?.spec?.template || !previous?.spec?.template) return undefined;
  const changes = diffTemplates(previous.spec.template, current.spec.template);
  if (changes.length === 0) return undefined;
  return {
    from: previous.metadata?.annotations?.[REVISION] ?? '?',
    to: current.metadata?.annotations?.[REVISION] ?? '?',
    previous: previous.spec.template,
    current: current.spec.template,
    changes,
  };
}

/**
 * Every leaf that differs, by path. List items with a name (containers, env vars, ports,
 * volumes) are keyed by it, so reordering is not a change; lists of plain values (command,
 * args) are one leaf, because reverting half of an argument list makes no sense.
 */
export function diffTemplates(before: V1PodTemplateSpec, after: V1PodTemplateSpec): FieldChange[] {
  const a = flatten(normalize(before));
  const b = flatten(normalize(after));
  const changes: FieldChange[] = [];
  for (const path of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    if (a.get(path) !== b.get(path)) changes.push({ path, before: a.get(path), after: b.get(path), ...classify(path) });
  }
  return changes;
}

/**
 * Changes grouped into the fields a person would name: one env var, one probe, or one leaf.
 * Template metadata is left out: labels and annotations do not make an app crash.
 */
export function changedFields(changes: FieldChange[]): FieldChange[][] {
  const groups = new Map<string, FieldChange[]>();
  for (const change of changes) {
    if (change.kind === 'metadata') continue;
    const key = change.kind === 'env' || change.kind === 'probe' ? `${change.container}/${change.kind}/${change.item}` : change.path;
    groups.set(key, [...(groups.get(key) ?? []), change]);
  }
  return [...groups.values()];
}

/** A change as one line for `cited`; env values are not shown (secrets live there). */
export function describeChange(change: FieldChange): string {
  if (change.kind === 'env' && /\.value$/.test(change.path)) {
    const what = change.before === undefined ? 'added' : change.after === undefined ? 'removed' : 'changed';
    return `${change.path}: value ${what}`;
  }
  return `${change.path}: ${change.before ?? '(none)'} → ${change.after ?? '(none)'}`;
}

/** The env var of a container in a template, by name. */
export function envVar(template: V1PodTemplateSpec, container: string, name: string): V1EnvVar | undefined {
  const c = [...(template.spec?.containers ?? []), ...(template.spec?.initContainers ?? [])].find((x) => x.name === container);
  return c?.env?.find((e) => e.name === name);
}

// The pod-template-hash label differs between every two revisions and says nothing.
function normalize(template: V1PodTemplateSpec): unknown {
  const labels = { ...template.metadata?.labels };
  delete labels['pod-template-hash'];
  return { metadata: { labels, annotations: template.metadata?.annotations }, spec: template.spec };
}

function flatten(value: unknown, path = '', out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value)) {
    if (value.every((item) => item === null || typeof item !== 'object')) {
      if (value.length > 0) out.set(path, JSON.stringify(value));
      return out;
    }
    value.forEach((item, i) => {
      const name = (item as { name?: unknown } | null)?.name;
      flatten(item, `${path}[${typeof name === 'string' ? name : i}]`, out);
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (child !== undefined) flatten(child, path ? `${path}.${key}` : key, out);
    }
  } else if (value !== undefined && value !== null) {
    out.set(path, String(value));
  }
  return out;
}

const CONTAINER_FIELD = /^spec\.(?:initContainers|containers)\[([^\]]+)\]\.(\w+)(?:\[([^\]]+)\])?/;
const KIND_OF_FIELD: Record<string, ChangeKind> = {
  image: 'image', env: 'env', envFrom: 'envFrom', command: 'command', args: 'args', resources: 'resources',
  livenessProbe: 'probe', readinessProbe: 'probe', startupProbe: 'probe', ports: 'ports',
};

function classify(path: string): Pick<FieldChange, 'kind' | 'container' | 'item'> {
  if (path.startsWith('metadata.')) return { kind: 'metadata' };
  const m = CONTAINER_FIELD.exec(path);
  if (m) {
    const [, container, field = '', item] = m;
    const kind = KIND_OF_FIELD[field] ?? 'other';
    if (kind === 'env') return { kind, container, ...(item ? { item } : {}) };
    if (kind === 'probe') return { kind, container, item: field };
    return { kind, container };
  }
  if (path.startsWith('spec.volumes')) return { kind: 'volumes' };
  return { kind: 'other' };
}
