// The fallback for structural edits that the line-level splice cannot place (a key that
// shares its line, a map written in an unusual layout): the Document API on that one
// document, serialized again and spliced back over the document's own range. It may
// respace the document, so the caller bounds how many lines it may rewrite.
import { isMap, isSeq, parseAllDocuments, type Document } from 'yaml';
import { EditRefused, type EditOp } from './edit-op.ts';
import { formatPath, isNamed, keyOf, type Step } from './path.ts';
import { indentsSequences, YAML_VERSION } from './yaml-source.ts';

export function editDocument(text: string, docIndex: number, ops: readonly EditOp[]): string {
  const docs = parseAllDocuments(text, { version: YAML_VERSION }) as Document.Parsed[];
  const doc = docs[docIndex];
  if (!doc || !doc.range) throw new EditRefused(`the file has no document ${docIndex}`);
  const newline = /\r\n/.test(text) ? '\r\n' : '\n';
  for (const op of ops) apply(doc, op);
  const rendered = doc.toString({ lineWidth: 0, flowCollectionPadding: false, indentSeq: indentsSequences(doc, text) });
  // The first document owns the comments above it; later ones start at their `---`.
  const start = docIndex === 0 ? 0 : doc.range[0];
  const end = doc.range[2];
  const tail = text.slice(end);
  return text.slice(0, start) + rendered.replace(/\n/g, newline) + (end < text.length && !rendered.endsWith('\n') ? newline : '') + tail;
}

function apply(doc: Document.Parsed, op: EditOp): void {
  if (op.op === 'embedded') throw new EditRefused('an edit inside an inline patch is not made through the Document API');
  const path = indexes(doc, op.path, op.op !== 'delete');
  if (op.op === 'delete') {
    if (path) doc.deleteIn(path);
    return;
  }
  if (!path) throw new EditRefused(`cannot reach ${formatPath(op.path)}`);
  if (op.op === 'append') doc.addIn(path, doc.createNode(op.value));
  else doc.setIn(path, doc.createNode(op.value));
}

// Named steps as indexes; a missing named item is appended first, as `set` promises.
function indexes(doc: Document.Parsed, path: readonly Step[], create: boolean): Array<string | number> | undefined {
  const out: Array<string | number> = [];
  for (const step of path) {
    if (!isNamed(step)) {
      out.push(step);
      continue;
    }
    const list = out.length === 0 ? doc.contents : doc.getIn(out, true);
    if (!isSeq(list)) {
      if (!create) return undefined;
      doc.setIn(out, doc.createNode([{ [keyOf(step)]: step.name }]));
      out.push(0);
      continue;
    }
    let i = list.items.findIndex((item) => isMap(item) && String(item.get(keyOf(step))) === step.name);
    if (i < 0) {
      if (!create) return undefined;
      list.items.push(doc.createNode({ [keyOf(step)]: step.name }));
      i = list.items.length - 1;
    }
    out.push(i);
  }
  return out;
}
