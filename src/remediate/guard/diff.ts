// The structural diff the guard judges: every leaf that differs between the object as
// declared now and the proposed one. What the API server owns (status, resourceVersion,
// managedFields, ...) is left out, so a live object and its edited copy compare cleanly.
import { flatten, sameLeaf } from './json-paths.ts';

/** One leaf that differs; undefined means absent. */
export interface LeafChange {
  path: string;
  before?: unknown;
  after?: unknown;
}

const SERVER_METADATA = ['resourceVersion', 'uid', 'generation', 'creationTimestamp', 'managedFields', 'selfLink'];

/** Every changed leaf, sorted by path. Throws PathError for objects too deep or too large to check. */
export function diffObjects(before: unknown, after: unknown): LeafChange[] {
  const a = flatten(declared(before));
  const b = flatten(declared(after));
  const changes: LeafChange[] = [];
  for (const path of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    if (!sameLeaf(a.get(path), b.get(path))) changes.push({ path, before: a.get(path), after: b.get(path) });
  }
  return changes;
}

/** The object without the fields only the API server writes. */
export function declared(object: unknown): unknown {
  if (object === null || typeof object !== 'object' || Array.isArray(object)) return object;
  const { status: _status, ...rest } = object as Record<string, unknown>;
  const metadata = rest.metadata;
  if (metadata !== null && typeof metadata === 'object' && !Array.isArray(metadata)) {
    const kept = { ...(metadata as Record<string, unknown>) };
    for (const key of SERVER_METADATA) delete kept[key];
    rest.metadata = kept;
  }
  return rest;
}
