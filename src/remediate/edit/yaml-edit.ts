// Applies edit ops to the text of a YAML file so that only the bytes of the edited field
// change: scalars through the CST (quote style, comments and the rest of the line stay),
// new keys and items as rendered lines spliced in at the right column. Each op re-parses
// the text, so offsets never go stale.
import { CST, isAlias, isMap, isScalar, isSeq, type Document, type ParsedNode, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { EditRefused, type EditOp } from './edit-op.ts';
import { formatPath, isNamed, isRecord, keyOf, type Step } from './path.ts';
import { renderBlock, renderFlow, renderFlowPair, renderItem, renderPair, scalarSource, scalarTypeFor, type Style } from './render.ts';
import { columnOf, indentsSequences, isAliased, keyIs, nextLineStart, parseFile, resolve, type ParsedFile } from './yaml-source.ts';
import { setBlockScalar } from './block-scalar.ts';

/** The text after the ops, in order, on document `docIndex`. Throws EditRefused. */
export function editYaml(text: string, docIndex: number, ops: readonly EditOp[]): string {
  let out = text;
  for (const op of ops) out = applyOne(out, docIndex, op);
  return out;
}

function applyOne(text: string, docIndex: number, op: EditOp): string {
  const file = parseFile(text);
  const doc = file.docs[docIndex];
  if (!doc) throw new EditRefused(`the file has no document ${docIndex}`, { final: true });
  switch (op.op) {
    case 'set':
      return setValue(file, doc, docIndex, op.path, op.value);
    case 'delete':
      return deleteKey(file, doc, op.path);
    case 'append': {
      const { node, depth } = resolve(doc, op.path);
      if (depth === op.path.length && isSeq(node)) return insertItem(file, doc, node, op.value);
      return setValue(file, doc, docIndex, op.path, [op.value]);
    }
    case 'embedded': {
      const { node, depth } = resolve(doc, op.path);
      if (depth < op.path.length || !isScalar(node) || typeof node.value !== 'string') {
        throw new EditRefused(`${formatPath(op.path)} is not a string holding YAML`);
      }
      return setScalar(file, doc, node, editYaml(node.value, op.docIndex, op.ops), false);
    }
  }
}

function setValue(file: ParsedFile, doc: Document.Parsed, docIndex: number, path: Step[], value: unknown): string {
  const resolved = resolve(doc, path);
  const { node, depth } = resolved;
  const where = formatPath(path);
  if (depth === path.length) {
    if (isAlias(node)) throw new EditRefused(`${where} is an alias (*${node.source}) of a value used elsewhere; changing it here would break the sharing`, { final: true });
    if (node && node.anchor && isAliased(doc, node)) {
      throw new EditRefused(`${where} is anchored as &${node.anchor} and aliased elsewhere; editing it would change those fields too`, { final: true });
    }
    if (!isCollectionValue(value) && isScalar(node) && !(node.value === null && node.source === '')) {
      return setScalar(file, doc, node, value, inFlow(doc, path));
    }
    if (isRecord(value) && isMap(node)) {
      // Key by key, so that only the keys that differ are touched.
      const ops: EditOp[] = Object.entries(value).map(([k, v]) => ({ op: 'set', path: [...path, k], value: v }));
      for (const pair of node.items) {
        const k = isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (k !== undefined && !(k in value)) ops.push({ op: 'delete', path: [...path, k] });
      }
      return editYaml(file.text, docIndex, ops);
    }
    if (Array.isArray(value) && isSeq(node) && node.items.length === value.length && value.every((v) => !isCollectionValue(v))) {
      // Item by item, so that unchanged items keep their bytes and quotes.
      const ops: EditOp[] = value.map((v, i) => ({ op: 'set', path: [...path, i], value: v }));
      return editYaml(file.text, docIndex, ops);
    }
    return replaceNode(file, doc, resolved, value, path);
  }
  // The path ends below an existing node: create what is missing under the deepest one.
  const rest = path.slice(depth);
  const subtree = build(rest.slice(1), value, where);
  const first = rest[0] as Step;
  const emptyFlow = (isMap(node) || isSeq(node)) && node.flow && node.items.length === 0 && !inFlow(doc, path.slice(0, depth - 1));
  if (node === null || (isScalar(node) && node.value === null) || emptyFlow) {
    const built = build(rest, value, where);
    return replaceNode(file, doc, resolved, built, path.slice(0, depth));
  }
  if (typeof first === 'string' && isMap(node)) return insertPair(file, doc, node, first, subtree);
  if (isNamed(first) && isSeq(node)) {
    const item = isRecord(subtree) ? { [keyOf(first)]: first.name, ...subtree } : undefined;
    if (!item) throw new EditRefused(`cannot create ${where}: a named item must be a map`);
    return insertItem(file, doc, node, item);
  }
  throw new EditRefused(`cannot create ${where}: ${formatPath(path.slice(0, depth)) || 'the document'} is not a map that can hold it`);
}

// The value to create for the steps below an existing node: maps for keys, a list with
// one named item for `{name}` steps.
function build(steps: Step[], value: unknown, where: string): unknown {
  let result = value;
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i] as Step;
    if (typeof step === 'string') result = { [step]: result };
    else if (isNamed(step)) {
      if (!isRecord(result) && i < steps.length - 1) throw new EditRefused(`cannot create ${where}`);
      result = [isRecord(result) ? { [keyOf(step)]: step.name, ...result } : { [keyOf(step)]: step.name }];
    } else throw new EditRefused(`cannot create ${where}: list item ${step} does not exist`);
  }
  return result;
}

function isCollectionValue(value: unknown): boolean {
  return value !== null && typeof value === 'object';
}

function inFlow(doc: Document.Parsed, path: Step[]): boolean {
  for (let i = 0; i < path.length; i++) {
    const { node } = resolve(doc, path.slice(0, i));
    if ((isMap(node) || isSeq(node)) && node.flow) return true;
  }
  return false;
}

function styleOf(file: ParsedFile, doc: Document.Parsed): Style {
  return { indent: indentStep(file, doc), indentSeq: indentsSequences(doc, file.text), newline: file.newline };
}

// The indentation step of the file: the column of a nested map's keys minus its parent's.
function indentStep(file: ParsedFile, doc: Document.Parsed): number {
  const root = doc.contents;
  if (!isMap(root) || root.flow) return 2;
  for (const pair of root.items) {
    const child = pair.value;
    const key = pair.key as ParsedNode | null;
    if (isMap(child) && !child.flow && child.items[0]?.key && key?.range) {
      const step = columnOf(file.text, (child.items[0].key as ParsedNode).range[0]) - columnOf(file.text, key.range[0]);
      if (step > 0 && step <= 8) return step;
    }
  }
  return 2;
}

function setScalar(file: ParsedFile, doc: Document.Parsed, node: Scalar, value: unknown, flow: boolean): string {
  // The same value keeps its bytes: no re-quoting, no re-escaping.
  if (Object.is(node.value, value)) return file.text;
  const type = scalarTypeFor(node.type, value, flow);
  if (type === 'BLOCK_LITERAL' || type === 'BLOCK_FOLDED' || node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') {
    if (typeof value !== 'string' || (node.type !== 'BLOCK_LITERAL' && node.type !== 'BLOCK_FOLDED')) {
      throw new EditRefused('cannot turn a one-line scalar into a block scalar, or back, in place');
    }
    return setBlockScalar(file, node, value);
  }
  const token = node.srcToken;
  if (!token) throw new EditRefused('the scalar has no source token');
  CST.setScalarValue(token, scalarSource(value), { type, inFlow: flow });
  const text = file.tokens.map((t) => CST.stringify(t)).join('');
  return file.newline === '\r\n' ? text.replace(/(?<!\r)\n/g, '\r\n') : text;
}

function insertPair(file: ParsedFile, doc: Document.Parsed, map: YAMLMap.Parsed, key: string, value: unknown): string {
  const style = styleOf(file, doc);
  const { text } = file;
  const last = map.items[map.items.length - 1];
  if (map.flow) {
    if (!last) return splice(text, map.range[0], map.range[1], renderFlow({ [key]: value }, style));
    const end = endOfPair(last);
    // A JSON file (a kustomize patch in .json) stays JSON.
    const json = isScalar(last.key) && last.key.type === 'QUOTE_DOUBLE';
    return splice(text, end, end, `, ${json ? `${JSON.stringify(key)}: ${JSON.stringify(value)}` : renderFlowPair(key, value, style)}`);
  }
  const first = map.items[0]?.key as ParsedNode | null | undefined;
  if (!last || !first?.range) throw new EditRefused('cannot add a key to an empty block map');
  const at = lineEndAfter(text, endOfPair(last));
  const lead = at === text.length && !text.endsWith('\n') ? style.newline : '';
  return splice(text, at, at, lead + renderPair(key, value, columnOf(text, first.range[0]), style));
}

function insertItem(file: ParsedFile, doc: Document.Parsed, seq: YAMLSeq.Parsed, item: unknown): string {
  const style = styleOf(file, doc);
  const { text } = file;
  const last = seq.items[seq.items.length - 1] as ParsedNode | undefined;
  if (seq.flow) {
    if (!last) return splice(text, seq.range[0], seq.range[1], renderFlow([item], style));
    const json = (isScalar(last) && last.type === 'QUOTE_DOUBLE') || (isMap(last) && isScalar(last.items[0]?.key) && (last.items[0]?.key as Scalar).type === 'QUOTE_DOUBLE');
    return splice(text, last.range[1], last.range[1], `, ${json ? JSON.stringify(item) : renderFlow(item, style)}`);
  }
  if (!last) throw new EditRefused('cannot add an item to an empty block list');
  const at = lineEndAfter(text, last.range[1]);
  const lead = at === text.length && !text.endsWith('\n') ? style.newline : '';
  return splice(text, at, at, lead + renderItem(item, columnOf(text, seq.range[0]), style));
}

// Replaces a node (or an empty value) wholesale: a null or `{}` that becomes a map, a list
// that is reverted, a scalar that becomes a map. Block collections go on the lines below
// their key, one indentation step deeper.
function replaceNode(file: ParsedFile, doc: Document.Parsed, resolved: ReturnType<typeof resolve>, value: unknown, path: Step[]): string {
  const style = styleOf(file, doc);
  const { text } = file;
  const node = resolved.node;
  const key = resolved.pair?.key as ParsedNode | null | undefined;
  const parentIsFlow = inFlow(doc, path.slice(0, -1)) || (path.length > 0 && inFlow(doc, path));
  // `resources: {}` becomes a block, as a person would write it; `{cpu: 1}` stays flow.
  const keepsFlow = (isMap(node) || isSeq(node)) && node.flow && node.items.length > 0;
  const collection = isCollectionValue(value) && Object.keys(value as object).length > 0;
  if (!collection || keepsFlow || parentIsFlow || !key?.range) {
    if (!node?.range) throw new EditRefused(`cannot replace ${formatPath(path)}: no value to replace`);
    // A list of double-quoted strings (`args: ["a", "b"]`) keeps its quotes.
    const quoted = isSeq(node) && node.items.length > 0 && node.items.every((i) => isScalar(i) && i.type === 'QUOTE_DOUBLE');
    const flowText = quoted && Array.isArray(value) && value.every((v) => !isCollectionValue(v))
      ? `[${value.map((v) => JSON.stringify(v)).join(', ')}]`
      : renderFlow(value, style);
    const start = node.range[0];
    const end = node.range[1];
    const gap = start === end && text[start - 1] === ':' ? ' ' : '';
    return splice(text, start, end, gap + flowText);
  }
  // `key: {}` / `key:` / `key: ~` / `key: scalar` → `key:` and a block below.
  const colon = text.indexOf(':', key.range[1]);
  const valueEnd = node?.range ? node.range[1] : colon + 1;
  const block = renderBlock(value, columnOf(text, key.range[0]) + style.indent, style);
  const rest = text.slice(valueEnd);
  const endsLine = /^[ \t]*(#[^\n]*)?\r?\n/.exec(rest);
  if (!endsLine) {
    if (text[valueEnd - 1] === '\n') return splice(text, colon + 1, valueEnd, style.newline + block);
    throw new EditRefused(`cannot replace ${formatPath(path)}: something follows it on its line`);
  }
  // A comment after the old value stays on the key's line.
  const comment = endsLine[1] ? ` ${endsLine[1]}` : '';
  return splice(text, colon + 1, valueEnd + endsLine[0].length, comment + style.newline + block);
}

function deleteKey(file: ParsedFile, doc: Document.Parsed, path: Step[]): string {
  const parent = resolve(doc, path.slice(0, -1));
  const key = path[path.length - 1];
  if (parent.depth < path.length - 1 || typeof key !== 'string') return file.text;
  const map = parent.node;
  if (!isMap(map)) return file.text;
  const index = map.items.findIndex((p) => keyIs(p.key, key));
  if (index < 0) return file.text;
  const pair = map.items[index];
  const k = pair?.key as ParsedNode | null | undefined;
  if (map.flow || index === 0 || !pair || !k?.range) throw new EditRefused(`cannot delete ${formatPath(path)} in place`);
  const { text } = file;
  const start = text.lastIndexOf('\n', k.range[0] - 1) + 1;
  if (text.slice(start, k.range[0]).trim() !== '') throw new EditRefused(`cannot delete ${formatPath(path)}: it shares its line`);
  return splice(text, start, lineEndAfter(text, endOfPair(pair)), '');
}

function endOfPair(pair: { key: unknown; value: unknown }): number {
  const value = pair.value as ParsedNode | null;
  const key = pair.key as ParsedNode | null;
  const end = value?.range?.[1] ?? key?.range?.[1];
  if (end === undefined) throw new EditRefused('a pair without a source range');
  return end;
}

// Where the next line starts, unless `offset` already is the start of a line.
function lineEndAfter(text: string, offset: number): number {
  return text[offset - 1] === '\n' ? offset : nextLineStart(text, offset);
}

function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}
