// What a set of edit ops replaces: for each scalar an op sets where the file already had a
// value, that value. The guard bounds a raised limit by what Git declared (the issue's "2x
// its Git baseline"), which can differ from the live object (drift, a manual edit): this
// reads it from the very place the edit changes, whether a plain manifest, a kustomize
// patch (inline ones included) or a Helm values file.
import { parseAllDocuments } from 'yaml';
import type { EditOp } from './edit-op.ts';
import { getAt } from './path.ts';
import { YAML_VERSION } from './yaml-source.ts';

export interface ReplacedValue {
  /** The value the file held there. */
  before: unknown;
  /** The value the op writes. */
  after: unknown;
}

/** The scalars replaced by `ops` in document `docIndex` of `text`; a value set where there was none is left out. */
export function replacedValues(text: string, docIndex: number, ops: readonly EditOp[]): ReplacedValue[] {
  const docs = parseAllDocuments(text, { version: YAML_VERSION });
  if (!Array.isArray(docs)) return [];
  const root: unknown = docs[docIndex]?.toJS();
  return ops.flatMap((op): ReplacedValue[] => {
    if (op.op === 'embedded') {
      const inner = getAt(root, op.path);
      return typeof inner === 'string' ? replacedValues(inner, op.docIndex, op.ops) : [];
    }
    if (op.op !== 'set' || !isScalarValue(op.value)) return [];
    const before = getAt(root, op.path);
    return isScalarValue(before) ? [{ before, after: op.value }] : [];
  });
}

function isScalarValue(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}
