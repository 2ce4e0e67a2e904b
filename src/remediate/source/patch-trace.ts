// Whether a patch writes a field: the questions kustomize's merge answers when it applies
// one. A strategic-merge patch merges maps and named lists (containers and env vars by
// name), replaces other lists, and deletes with null or `$patch: delete`; a JSON 6902
// operation writes exactly the path it names, by index.
import { isNamed, isRecord, keyOf, type Step } from '../edit/path.ts';
import type { JsonOp } from './patch-layer.ts';

export type Trace =
  | { writes: false }
  /** The patch writes the field, or replaces something around it: edit `path` in the patch. */
  | { writes: true; path: Step[] }
  /** The patch deletes it, or its effect on it cannot be told: refuse, saying why. */
  | { writes: 'unknown'; why: string };

// Pod spec lists that a strategic merge patch merges, and by which key (the Kubernetes
// API's patchMergeKey).
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  imagePullSecrets: 'name',
  ports: 'containerPort',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  hostAliases: 'ip',
  tolerations: '',
};

export function traceSmp(data: unknown, path: readonly Step[]): Trace {
  let node: unknown = data;
  let replaced = false;
  for (let i = 0; i < path.length; i++) {
    const step = path[i] as Step;
    if (isRecord(node)) {
      if (node.$patch === 'delete') return { writes: 'unknown', why: 'the patch deletes it ($patch: delete)' };
      if (node.$patch === 'replace') replaced = true;
      if (node.$retainKeys !== undefined) return { writes: 'unknown', why: 'the patch uses $retainKeys' };
    }
    if (typeof step === 'string') {
      if (!isRecord(node) || !(step in node)) return replaced ? { writes: true, path: [...path] } : { writes: false };
      const next = node[step];
      if (next === null && i < path.length - 1) return { writes: 'unknown', why: `the patch deletes ${step} (null)` };
      node = next;
      continue;
    }
    const list = path[i - 1];
    if (!Array.isArray(node)) return { writes: 'unknown', why: `the patch writes ${String(list)} as something other than a list` };
    const mergeKey = typeof list === 'string' ? MERGE_KEYS[list] : undefined;
    const directive = node.find((item) => isRecord(item) && item.$patch === 'replace');
    if (!isNamed(step) || mergeKey === undefined || mergeKey === '' || mergeKey !== keyOf(step)) {
      return { writes: 'unknown', why: `the patch writes the list ${String(list)}, which is not merged by ${isNamed(step) ? keyOf(step) : 'index'}` };
    }
    const item = node.find((x) => isRecord(x) && x[mergeKey] === step.name);
    if (isRecord(item) && item.$patch === 'delete') return { writes: 'unknown', why: `the patch deletes ${String(list)} item ${step.name}` };
    if (directive) replaced = true;
    if (!item) return replaced ? { writes: true, path: [...path] } : { writes: false };
    node = item;
  }
  return { writes: true, path: [...path] };
}

/**
 * Traces JSON 6902 ops, the last that concerns the field first. `indexes` is the field's
 * path with named steps turned into indexes of the resource as written (undefined where
 * the item is not there).
 */
export function traceJson(ops: readonly JsonOp[], path: readonly Step[], indexes: ReadonlyArray<string | undefined>): Trace & { op?: number } {
  for (let o = ops.length - 1; o >= 0; o--) {
    const op = ops[o] as JsonOp;
    if (op.op === 'test') continue;
    const tokens = pointer(op.path);
    const fromTokens = op.from !== undefined ? pointer(op.from) : undefined;
    if (fromTokens && related(fromTokens, indexes)) return { writes: 'unknown', why: `a JSON patch ${op.op}s ${op.from}` };
    const common = commonPrefix(tokens, indexes);
    if (common === tokens.length && tokens.length <= indexes.length) {
      if (op.op === 'remove') return { writes: 'unknown', why: `a JSON patch removes ${op.path}` };
      if (op.op !== 'add' && op.op !== 'replace') return { writes: 'unknown', why: `a JSON patch ${op.op}s ${op.path}` };
      const last = path[tokens.length - 1];
      // `add` at an index inserts: other items move, unless it is the field's own item.
      if (op.op === 'add' && last !== undefined && isNamed(last) && !(isRecord(op.value) && op.value[keyOf(last)] === last.name)) {
        return { writes: 'unknown', why: `a JSON patch inserts at ${op.path}, moving the items after it` };
      }
      return { writes: true, path: [o, 'value', ...path.slice(tokens.length)], op: o };
    }
    if (common === indexes.length && tokens.length > indexes.length) {
      return { writes: 'unknown', why: `a JSON patch writes ${op.path}, inside the field` };
    }
    // An item the resource does not have, added by this op (`add .../containers/-`).
    const missing = indexes.indexOf(undefined);
    if (missing >= 0 && common === missing && tokens.length === missing + 1 && op.op === 'add') {
      const step = path[missing];
      if (step !== undefined && isNamed(step) && isRecord(op.value) && op.value[keyOf(step)] === step.name) {
        return { writes: true, path: [o, 'value', ...path.slice(missing + 1)], op: o };
      }
    }
  }
  return { writes: false };
}

function related(tokens: string[], indexes: ReadonlyArray<string | undefined>): boolean {
  const common = commonPrefix(tokens, indexes);
  return common === tokens.length || common === indexes.length;
}

function commonPrefix(tokens: string[], indexes: ReadonlyArray<string | undefined>): number {
  let n = 0;
  while (n < tokens.length && n < indexes.length && indexes[n] !== undefined && tokens[n] === indexes[n]) n++;
  return n;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  return path.replace(/^\//, '').split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The field's path with named steps as the indexes they have in `doc` (undefined when absent). */
export function indexPath(doc: unknown, path: readonly Step[]): Array<string | undefined> {
  const out: Array<string | undefined> = [];
  let node: unknown = doc;
  for (const step of path) {
    if (isNamed(step)) {
      const i = Array.isArray(node) ? node.findIndex((x) => isRecord(x) && x[keyOf(step)] === step.name) : -1;
      out.push(i >= 0 ? String(i) : undefined);
      node = i >= 0 ? (node as unknown[])[i] : undefined;
    } else {
      out.push(String(step));
      node = Array.isArray(node) && typeof step === 'number' ? node[step] : isRecord(node) ? node[step as string] : undefined;
    }
  }
  return out;
}
