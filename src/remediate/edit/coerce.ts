// Strings from an action, typed like the value they replace: an analyzer reports every
// leaf as a string (`"3"`), but `failureThreshold: 3` must stay a number and `cpu: 1`
// may stay one. A new value with nothing to compare against stays as given.
import { parseAllDocuments, type Document } from 'yaml';
import type { EditOp } from './edit-op.ts';
import { getAt } from './path.ts';
import { plain } from './value-diff.ts';
import { YAML_VERSION } from './yaml-source.ts';

export function coerceOps(text: string, docIndex: number, ops: readonly EditOp[]): EditOp[] {
  const docs = parseAllDocuments(text, { version: YAML_VERSION });
  const doc = Array.isArray(docs) ? (docs[docIndex] as Document | undefined) : undefined;
  const root = plain(doc?.toJS());
  return ops.map((op) => {
    if (op.op === 'set' && typeof op.value === 'string') return { ...op, value: like(getAt(root, op.path), op.value) };
    if (op.op === 'embedded') {
      const inner = getAt(root, op.path);
      return typeof inner === 'string' ? { ...op, ops: coerceOps(inner, op.docIndex, op.ops) } : op;
    }
    return op;
  });
}

export function like(current: unknown, value: string): unknown {
  // Only when the number reads back as the same text: tag `1.10` must not become 1.1.
  if (typeof current === 'number' && /^-?\d+(\.\d+)?$/.test(value) && String(Number(value)) === value) return Number(value);
  if (typeof current === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}
