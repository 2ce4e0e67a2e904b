// Paths into YAML documents and pod templates. A list item is addressed by its name where
// it has one (containers, env vars, volumes, kustomize `images`), because indexes shift
// between a base, its patches and the live object; by index only where nothing else works.

/** A map key, a list index, or the list item whose `key` field (default `name`) equals `name`. */
export type Step = string | number | NamedStep;
export interface NamedStep {
  name: string;
  key?: string;
}

export function isNamed(step: Step): step is NamedStep {
  return typeof step === 'object';
}

export function keyOf(step: NamedStep): string {
  return step.key ?? 'name';
}

/**
 * Parses the path format of the analyzers (`spec.containers[app].env[LOG].valueFrom.configMapKeyRef.key`):
 * `[name]` for an item by name, `[3]` for an index. Env var and container names never
 * start with a digit, so an all-digit bracket is an index.
 */
export function parseFieldPath(path: string): Step[] {
  const steps: Step[] = [];
  const pattern = /([^.[\]]+)|\[([^\]]*)\]|(\.)/gy;
  let expectKey = true;
  for (let m = pattern.exec(path); m; m = pattern.exec(path)) {
    if (m[1] !== undefined) {
      if (!expectKey) throw new Error(`bad field path ${path}: a key must follow a dot`);
      steps.push(m[1]);
      expectKey = false;
    } else if (m[2] !== undefined) {
      if (m[2] === '' || expectKey) throw new Error(`bad field path ${path}: brackets must follow a key, with a name or index inside`);
      steps.push(/^\d+$/.test(m[2]) ? Number(m[2]) : { name: m[2] });
      expectKey = false;
    } else {
      if (expectKey) throw new Error(`bad field path ${path}: two dots or a leading dot`);
      expectKey = true;
    }
    if (pattern.lastIndex === path.length) break;
  }
  if (pattern.lastIndex !== path.length || expectKey) throw new Error(`bad field path ${path}`);
  return steps;
}

/** The same notation back, for messages: `spec.containers[app].resources.limits.memory`. */
export function formatPath(path: readonly Step[]): string {
  let out = '';
  for (const step of path) {
    if (typeof step === 'string') out += out ? `.${step}` : step;
    else if (typeof step === 'number') out += `[${step}]`;
    else out += step.key && step.key !== 'name' ? `[${step.key}=${step.name}]` : `[${step.name}]`;
  }
  return out;
}

/** Steps on a plain JS value: undefined where the path leads nowhere. */
export function getAt(root: unknown, path: readonly Step[]): unknown {
  let current = root;
  for (const step of path) {
    current = stepInto(current, step);
    if (current === undefined) return undefined;
  }
  return current;
}

export function stepInto(value: unknown, step: Step): unknown {
  if (isNamed(step)) {
    if (!Array.isArray(value)) return undefined;
    return value.find((item) => isRecord(item) && item[keyOf(step)] === step.name);
  }
  if (typeof step === 'number') return Array.isArray(value) ? value[step] : undefined;
  return isRecord(value) ? value[step] : undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function samePath(a: readonly Step[], b: readonly Step[]): boolean {
  return a.length === b.length && a.every((step, i) => sameStep(step, b[i]));
}

export function sameStep(a: Step, b: Step | undefined): boolean {
  if (b === undefined) return false;
  if (isNamed(a) || isNamed(b)) return isNamed(a) && isNamed(b) && a.name === b.name && keyOf(a) === keyOf(b);
  return a === b;
}
