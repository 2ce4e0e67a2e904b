// A patch as it applies to one resource: a strategic-merge document or a list of JSON
// 6902 operations, with where it is written, so that an edit can land inside it.
import { parseAllDocuments, type Document } from 'yaml';
import { isRecord } from '../edit/path.ts';
import { SourceError, type PatchTarget } from './git-source.ts';
import type { PatchRef } from './kustomization-file.ts';

export interface JsonOp {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

export type PatchBody =
  | { type: 'smp'; docs: Array<{ docIndex: number; data: Record<string, unknown> }> }
  | { type: 'json6902'; ops: JsonOp[] };

/** A patch's content: JSON 6902 when it is a list of operations, else strategic-merge documents. */
export function readPatch(ref: PatchRef, where: string): PatchBody {
  const docs = parseAllDocuments(ref.text, { version: '1.1' }) as Document[];
  if (!Array.isArray(docs)) return { type: 'smp', docs: [] };
  const values = docs.map((d) => {
    if (d.errors.length > 0) throw new SourceError(`the patch in ${where} does not parse: ${d.errors[0]?.message}`);
    return d.toJS();
  });
  if (Array.isArray(values[0])) {
    return { type: 'json6902', ops: (values[0] as unknown[]).filter(isRecord).map((o) => o as unknown as JsonOp) };
  }
  return {
    type: 'smp',
    docs: values.flatMap((data, docIndex) => (isRecord(data) ? [{ docIndex, data }] : [])),
  };
}

export type Match = 'yes' | 'no' | 'maybe';

/** What a patch matches: kustomize compares with any name the resource has had. */
export interface Identity {
  kind: string;
  group: string;
  version: string;
  names: string[];
  namespaces: string[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export function matchesTarget(target: PatchTarget, id: Identity): Match {
  const re = (pattern: string) => new RegExp(`^(?:${pattern})$`);
  try {
    if (target.kind && !re(target.kind).test(id.kind)) return 'no';
    if (target.group !== undefined && target.group !== '' && !re(target.group).test(id.group)) return 'no';
    if (target.version && !re(target.version).test(id.version)) return 'no';
    if (target.name && !id.names.some((n) => re(target.name as string).test(n))) return 'no';
    if (target.namespace && !id.namespaces.some((n) => re(target.namespace as string).test(n))) return 'no';
  } catch {
    return 'maybe';
  }
  const labels = target.labelSelector ? selects(target.labelSelector, id.labels) : 'yes';
  const annotations = target.annotationSelector ? selects(target.annotationSelector, id.annotations) : 'yes';
  if (labels === 'no' || annotations === 'no') return 'no';
  return labels === 'maybe' || annotations === 'maybe' ? 'maybe' : 'yes';
}

// Equality-based selectors (`a=b,c!=d,e,!f`); set-based ones (`in`, `notin`) are not
// evaluated and answer 'maybe', which makes a locator refuse rather than guess.
function selects(selector: string, labels: Record<string, string>): Match {
  for (const raw of selector.split(',')) {
    const term = raw.trim();
    if (!term) continue;
    let m: RegExpExecArray | null;
    if ((m = /^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/.exec(term))) {
      const [, key = '', op, value] = m;
      const equal = labels[key] === value;
      if (op === '!=' ? equal : !equal) return 'no';
    } else if ((m = /^(!?)([\w./-]+)$/.exec(term))) {
      const has = (m[2] as string) in labels;
      if (m[1] ? has : !has) return 'no';
    } else return 'maybe';
  }
  return 'yes';
}

/** Whether a strategic-merge document without a target applies to a resource. */
export function smpMatches(data: Record<string, unknown>, id: Identity): boolean {
  const meta = isRecord(data.metadata) ? data.metadata : {};
  if (data.kind !== id.kind || typeof meta.name !== 'string' || !id.names.includes(meta.name)) return false;
  if (typeof meta.namespace === 'string' && !id.namespaces.includes(meta.namespace)) return false;
  return true;
}
