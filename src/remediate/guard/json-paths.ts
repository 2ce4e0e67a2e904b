// Paths into plain JSON objects, written as the analyzers write them
// (spec.containers[app].env[LOG_LEVEL].value), and the leaves of an object by path.
// The guard compares two objects leaf by leaf, so a path must name one place only:
// rendering is injective (see renderPath), whatever keys and names a hostile object uses.

/** One step: an object key, a list item by its `name`, or a list item by position. */
export type Segment = { key: string } | { name: string } | { index: number };

/** A path whose rendering could not be parsed back, or an object too big to check. */
export class PathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PathError';
  }
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;
// A name is usable as a key when it cannot be read as an index or end the bracket early.
const SAFE_NAME = /^(?!\d+$)[^[\]"]+$/;

/**
 * `a.b[name][0]["odd.key"]`: plain keys after dots, list items by name or index in
 * brackets, any other key JSON-quoted in brackets. A bracket holding digits is an index,
 * a quote a key, anything else a name; so two different paths never render alike (a key
 * "resources.limits.memory" cannot pose as the nested field).
 */
export function renderPath(segments: readonly Segment[]): string {
  let out = '';
  for (const segment of segments) {
    if ('index' in segment) out += `[${segment.index}]`;
    else if ('name' in segment) {
      if (!SAFE_NAME.test(segment.name)) throw new PathError(`${JSON.stringify(segment.name)} cannot name a list item in a path`);
      out += `[${segment.name}]`;
    }
    else if (PLAIN_KEY.test(segment.key)) out += out ? `.${segment.key}` : segment.key;
    else out += `[${JSON.stringify(segment.key)}]`;
  }
  return out;
}

/** The inverse of renderPath; also reads the analyzers' paths. Throws PathError when malformed. */
export function parsePath(path: string): Segment[] {
  const segments: Segment[] = [];
  let i = 0;
  while (i < path.length) {
    if (path[i] === '[') {
      if (path[i + 1] === '"') {
        const end = path.indexOf('"]', i + 2);
        if (end < 0) throw new PathError(`unterminated key in ${path}`);
        segments.push({ key: JSON.parse(path.slice(i + 1, end + 1)) as string });
        i = end + 2;
      } else {
        const end = path.indexOf(']', i);
        if (end < 0 || end === i + 1) throw new PathError(`malformed list item in ${path}`);
        const inner = path.slice(i + 1, end);
        segments.push(/^\d+$/.test(inner) ? { index: Number(inner) } : { name: inner });
        i = end + 1;
      }
    } else {
      if (path[i] === '.') {
        if (segments.length === 0) throw new PathError(`path ${path} starts with a dot`);
        i += 1;
      }
      const match = /^[^.[]+/.exec(path.slice(i));
      if (!match) throw new PathError(`empty key in ${path}`);
      segments.push({ key: match[0] });
      i += match[0].length;
    }
  }
  return segments;
}

export interface FlattenLimits {
  maxDepth: number;
  maxLeaves: number;
}

// A real workload has hundreds of leaves; the bound keeps a hostile one from costing more than milliseconds.
const LIMITS: FlattenLimits = { maxDepth: 48, maxLeaves: 10_000 };

/**
 * Every leaf of a JSON value by path. Lists of objects are keyed by `name` when all items
 * have distinct safe names (reordering containers or env vars is then no change), else by
 * position; lists of scalars are one leaf (an argument list is one value). Empty objects,
 * empty lists and nulls are no leaves: the API server reads them as absent.
 */
export function flatten(value: unknown, prefix: readonly Segment[] = [], limits: FlattenLimits = LIMITS): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const walk = (node: unknown, path: Segment[]): void => {
    if (path.length > limits.maxDepth) throw new PathError(`the object nests deeper than ${limits.maxDepth} levels at ${renderPath(path)}`);
    if (Array.isArray(node)) {
      if (node.length === 0) return;
      if (node.every((item) => item === null || typeof item !== 'object')) {
        leaf(path, node);
        return;
      }
      const names = itemNames(node);
      node.forEach((item, index) => walk(item, [...path, names ? { name: names[index] as string } : { index }]));
    } else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) walk(child, [...path, { key }]);
    } else if (node !== undefined && node !== null) {
      leaf(path, node);
    }
  };
  const leaf = (path: Segment[], node: unknown): void => {
    if (out.size >= limits.maxLeaves) throw new PathError(`the object has more than ${limits.maxLeaves} fields`);
    out.set(renderPath(path), node);
  };
  walk(value, [...prefix]);
  return out;
}

/** A name that flatten would use as a list key (not all digits, no brackets or quotes). */
export function isSafeName(name: string): boolean {
  return SAFE_NAME.test(name);
}

/** The names of a list's items, when every item has a distinct safe one. */
export function itemNames(list: readonly unknown[]): string[] | undefined {
  const names = list.map((item) => (item !== null && typeof item === 'object' ? (item as { name?: unknown }).name : undefined));
  if (!names.every((n): n is string => typeof n === 'string' && SAFE_NAME.test(n))) return undefined;
  return new Set(names).size === names.length ? names : undefined;
}

/** A leaf as the analyzers print it: strings as they are, other scalars by String, lists as JSON. */
export function display(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return JSON.stringify(value);
  return String(value);
}

/** Equal as JSON: a port 8080 and a port "8080" differ. */
export function sameLeaf(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Equal as the guard sees objects: the same leaves (key order and empty objects aside). */
export function sameObject(a: unknown, b: unknown): boolean {
  const x = flatten(a);
  const y = flatten(b);
  return x.size === y.size && [...x].every(([path, value]) => y.has(path) && sameLeaf(value, y.get(path)));
}
