// A deep comparison of parsed YAML values that names where they differ, so that a refused
// edit says which other field it would have changed.
import { isRecord } from './path.ts';

/**
 * Plain JSON data: aliases become copies (a shared object must not hide a second change),
 * dates become strings, and undefined map values disappear.
 */
export function plain(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

/** The paths where two plain values differ (maps by key, whatever the order; lists by index). */
export function diffValues(a: unknown, b: unknown, path = '', out: string[] = []): string[] {
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) diffValues(a[i], b[i], `${path}[${i}]`, out);
  } else if (isRecord(a) && isRecord(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) diffValues(a[key], b[key], path ? `${path}.${key}` : key, out);
  } else if (!Object.is(a, b)) {
    out.push(path || '(document)');
  }
  return out;
}
