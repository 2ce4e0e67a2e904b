// The proof behind every edit: parse the file before and after, replay the intended ops
// on the parsed values, and require the result to equal what the new text parses to,
// in every document, with every comment still there. Any other difference (an alias
// that carried the change elsewhere, a string that became a number, a lost comment)
// makes the edit a refusal.
import { isMap, parseAllDocuments, type Document, type ParsedNode } from 'yaml';
import { applyOps, EditRefused, type EditOp, type EmbeddedOp } from './edit-op.ts';
import { formatPath, getAt } from './path.ts';
import { diffValues, plain } from './value-diff.ts';
import { keyIs, nextLineStart, resolve, YAML_VERSION } from './yaml-source.ts';

/** What is wrong with `after` as the result of `ops` on document `docIndex` of `before`; empty when proven. */
export function proveEdit(before: string, after: string, docIndex: number, ops: readonly EditOp[]): string[] {
  const a = parseAllDocuments(before, { version: YAML_VERSION });
  const b = parseAllDocuments(after, { version: YAML_VERSION });
  if (!Array.isArray(a) || !Array.isArray(b)) return ['the file is empty'];
  const broken = b.flatMap((doc) => doc.errors.map((e) => e.message));
  if (broken.length > 0) return [`the edited file does not parse: ${broken[0]}`];
  if (a.length !== b.length) return [`the edited file has ${b.length} documents instead of ${a.length}`];
  const problems: string[] = [];
  for (let i = 0; i < a.length; i++) {
    const was = plain((a[i] as Document).toJS());
    const now = plain((b[i] as Document).toJS());
    let expected = was;
    if (i === docIndex) {
      try {
        expected = applyOps(plain(was), ops, (op) => embeddedText(op, now, problems, was));
      } catch (error) {
        if (!(error instanceof EditRefused)) throw error;
        problems.push(error.message);
        continue;
      }
    }
    const other = diffValues(expected, now);
    if (other.length > 0) problems.push(`document ${i} would also change ${other.slice(0, 5).join(', ')}`);
  }
  // Comments inside a deleted field go with it; any other must survive.
  const lost = missing(comments(before), [...comments(after), ...deletedComments(before, docIndex, ops)]);
  if (lost.length > 0) problems.push(`the edit would lose the comment ${JSON.stringify(lost[0])}`);
  return problems;
}

// An inline patch changes as one string: take the new one from the result, and prove its
// own edit the same way, inside.
function embeddedText(op: EmbeddedOp, now: unknown, problems: string[], was: unknown): string {
  const next = getAt(now, op.path);
  const previous = getAt(was, op.path);
  if (typeof next !== 'string' || typeof previous !== 'string') {
    problems.push(`${formatPath(op.path)} is no longer a string`);
    return String(next);
  }
  for (const problem of proveEdit(previous, next, op.docIndex, op.ops)) problems.push(`in ${formatPath(op.path)}: ${problem}`);
  return next;
}

/** The comments of a YAML text, each with its line's indentation stripped. */
export function comments(text: string): string[] {
  const found: string[] = [];
  for (const doc of parseAllDocuments(text, { version: YAML_VERSION }) as Document[]) {
    for (const c of [doc.commentBefore, doc.comment]) if (c) found.push(...c.split('\n'));
    collect(doc.contents, found);
  }
  return found.map((c) => c.trim()).filter(Boolean);
}

function collect(node: unknown, found: string[]): void {
  if (node === null || typeof node !== 'object') return;
  const n = node as { commentBefore?: string | null; comment?: string | null; items?: unknown[]; key?: unknown; value?: unknown };
  for (const c of [n.commentBefore, n.comment]) if (c) found.push(...c.split('\n'));
  if (Array.isArray(n.items)) for (const item of n.items) collect(item, found);
  if ('key' in n) collect(n.key, found);
  if ('value' in n && typeof n.value === 'object') collect(n.value, found);
}

function deletedComments(text: string, docIndex: number, ops: readonly EditOp[]): string[] {
  const deletes = ops.filter((op) => op.op === 'delete');
  if (deletes.length === 0) return [];
  const doc = parseAllDocuments(text, { version: YAML_VERSION })[docIndex] as Document.Parsed | undefined;
  const found: string[] = [];
  for (const op of deletes) {
    const parent = doc && resolve(doc, op.path.slice(0, -1));
    const key = op.path[op.path.length - 1];
    if (!parent || parent.depth < op.path.length - 1 || !isMap(parent.node) || typeof key !== 'string') continue;
    const pair = parent.node.items.find((p) => keyIs(p.key, key));
    const start = (pair?.key as ParsedNode | null | undefined)?.range?.[0];
    const end = (pair?.value as ParsedNode | null | undefined)?.range?.[2];
    if (start === undefined || end === undefined) continue;
    for (const line of text.slice(start, nextLineStart(text, end)).split('\n')) {
      const m = /(?:^|\s)#(.*)$/.exec(line);
      if (m) found.push(m[1]?.trim() ?? '');
    }
  }
  return found;
}

function missing(before: string[], after: string[]): string[] {
  const left = new Map<string, number>();
  for (const c of after) left.set(c, (left.get(c) ?? 0) + 1);
  const lost: string[] = [];
  for (const c of before) {
    const n = left.get(c) ?? 0;
    if (n === 0) lost.push(c);
    else left.set(c, n - 1);
  }
  return lost;
}
