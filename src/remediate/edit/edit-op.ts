// Edit operations on one YAML document: what the locators ask for and what the proof
// replays on plain values. They are data, so a change stays deterministic and reviewable.
import { isNamed, isRecord, keyOf, formatPath, type Step } from './path.ts';

export type EditOp = SetOp | DeleteOp | AppendOp | EmbeddedOp;

/** Sets a value, creating missing maps on the way and a missing named list item (`{name}` step). */
export interface SetOp {
  op: 'set';
  path: Step[];
  value: unknown;
}

/** Removes a map key; nothing happens when it is absent. */
export interface DeleteOp {
  op: 'delete';
  path: Step[];
}

/** Adds an item at the end of a list, creating the list when it is absent. */
export interface AppendOp {
  op: 'append';
  path: Step[];
  value: unknown;
}

/** Edits the YAML held in a string scalar: an inline kustomize patch (`patch: |-`). */
export interface EmbeddedOp {
  op: 'embedded';
  path: Step[];
  docIndex: number;
  ops: EditOp[];
}

export class EditRefused extends Error {
  override name = 'EditRefused';
  /** No other way of editing would do better (the file does not parse, the value is shared through an anchor). */
  readonly final: boolean;

  constructor(message: string, options?: { final?: boolean; cause?: unknown }) {
    super(message, options);
    this.final = options?.final ?? false;
  }
}

/**
 * Applies ops to a plain value (a document's `toJS()`), in place: the result a correct
 * edit must parse to. `embedded` ops take the new string from `embedded`, which the
 * caller proves separately.
 */
export function applyOps(root: unknown, ops: readonly EditOp[], embedded?: (op: EmbeddedOp) => string): unknown {
  let result = root;
  for (const op of ops) result = applyOp(result, op, embedded);
  return result;
}

function applyOp(root: unknown, op: EditOp, embedded?: (op: EmbeddedOp) => string): unknown {
  if (op.path.length === 0) {
    if (op.op === 'set') return op.value;
    throw new EditRefused(`cannot ${op.op} the whole document`);
  }
  const parentPath = op.path.slice(0, -1);
  const last = op.path[op.path.length - 1] as Step;
  const holder = { root };
  const parent = walk(holder, parentPath, op.op === 'set' || op.op === 'append', isNamed(last) || typeof last === 'number');
  const where = formatPath(op.path);
  switch (op.op) {
    case 'set':
      put(parent, last, op.value, where);
      break;
    case 'delete':
      if (isRecord(parent) && typeof last === 'string') delete parent[last];
      else if (parent !== undefined) throw new EditRefused(`cannot delete ${where}: not a map key`);
      break;
    case 'append': {
      let list = get(parent, last);
      if (list === undefined || list === null) {
        list = [];
        put(parent, last, list, where);
      }
      if (!Array.isArray(list)) throw new EditRefused(`cannot append to ${where}: not a list`);
      list.push(op.value);
      break;
    }
    case 'embedded': {
      if (typeof get(parent, last) !== 'string') throw new EditRefused(`${where} is not a string`);
      if (!embedded) throw new EditRefused(`no text for the embedded edit at ${where}`);
      put(parent, last, embedded(op), where);
      break;
    }
  }
  return holder.root;
}

// Walks to the parent of the last step. Missing maps (and null values) are created when
// `create` is set; a missing named item is appended, as `set` promises.
function walk(holder: { root: unknown }, path: readonly Step[], create: boolean, lastIsListStep: boolean): unknown {
  let container: unknown = holder;
  let step: Step = 'root';
  for (let i = 0; i <= path.length; i++) {
    let next = get(container, step);
    if ((next === undefined || next === null) && create) {
      const following = i < path.length ? path[i] : undefined;
      const listNext = following !== undefined ? isNamed(following) || typeof following === 'number' : lastIsListStep;
      next = isNamed(step) ? namedItem(step) : listNext ? [] : {};
      put(container, step, next, formatPath(path.slice(0, i)));
    }
    if (i === path.length) return next;
    container = next;
    step = path[i] as Step;
  }
  return undefined;
}

function get(container: unknown, step: Step): unknown {
  if (isNamed(step)) {
    return Array.isArray(container) ? container.find((item) => isRecord(item) && item[keyOf(step)] === step.name) : undefined;
  }
  if (typeof step === 'number') return Array.isArray(container) ? container[step] : undefined;
  return isRecord(container) ? container[step] : undefined;
}

function put(container: unknown, step: Step, value: unknown, where: string): void {
  if (isNamed(step)) {
    if (!Array.isArray(container)) throw new EditRefused(`cannot set ${where}: not a list`);
    const index = container.findIndex((item) => isRecord(item) && item[keyOf(step)] === step.name);
    if (index >= 0) container[index] = value;
    else container.push(value);
    return;
  }
  if (typeof step === 'number') {
    if (!Array.isArray(container) || step > container.length) throw new EditRefused(`cannot set ${where}: no item ${step}`);
    container[step] = value;
    return;
  }
  if (!isRecord(container)) throw new EditRefused(`cannot set ${where}: its parent is not a map`);
  container[step] = value;
}

/**
 * The value a missing named item starts as: `{name: X}`, so that `set env[X].value`
 * makes `{name: X, value: ...}`.
 */
export function namedItem(step: Step): Record<string, unknown> | undefined {
  return isNamed(step) ? { [keyOf(step)]: step.name } : undefined;
}
