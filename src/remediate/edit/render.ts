// New YAML text for values that do not exist yet, in the style of the file around them.
// Only what is new is rendered: the surrounding text is never re-serialized.
import { Document, parseDocument, isScalar, type Scalar } from 'yaml';
import { YAML_VERSION } from './yaml-source.ts';

export interface Style {
  /** Spaces per nesting level. */
  indent: number;
  /** Whether block sequences are indented under their key. */
  indentSeq: boolean;
  newline: '\n' | '\r\n';
}

function serialize(value: unknown, style: Style, flow = false): string {
  const doc = new Document(value, { version: YAML_VERSION });
  return doc.toString({
    lineWidth: 0,
    indent: style.indent,
    indentSeq: style.indentSeq,
    flowCollectionPadding: false,
    collectionStyle: flow ? 'flow' : 'any',
  });
}

function indentLines(text: string, column: number, newline: string): string {
  const pad = ' '.repeat(column);
  return text
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => (line ? pad + line : line))
    .join(newline) + newline;
}

/** `key: value` lines (value nested below when it is a collection), at a column. */
export function renderPair(key: string, value: unknown, column: number, style: Style): string {
  return indentLines(serialize({ [key]: value }, style), column, style.newline);
}

/** A `- item` block, its dash at a column; lists inside it follow the file's style. */
export function renderItem(value: unknown, column: number, style: Style): string {
  const body = serialize(value, style).replace(/\n$/, '').split('\n');
  const lines = body.map((line, i) => (i === 0 ? `- ${line}` : line ? `  ${line}` : line));
  return indentLines(lines.join('\n'), column, style.newline);
}

/** A block collection, to follow `key:` on the lines below, at a column. */
export function renderBlock(value: unknown, column: number, style: Style): string {
  return indentLines(serialize(value, style), column, style.newline);
}

/** A value on one line, as it would sit inside `{...}` or `[...]`. */
export function renderFlow(value: unknown, style: Style): string {
  return serialize(value, style, true).replace(/\n$/, '');
}

/** The text of a `key: value` pair inside a flow map. */
export function renderFlowPair(key: string, value: unknown, style: Style): string {
  return renderFlow({ [key]: value }, style).replace(/^\{|\}$/g, '');
}

/**
 * The scalar style that keeps a string a string: a plain scalar stays plain unless the
 * new text would read as something else (`1.10` as a number, `on` as a boolean, `a, b`
 * inside a flow map), then it becomes double-quoted. Quoted scalars keep their quotes.
 */
export function scalarTypeFor(current: Scalar.Type | undefined, value: unknown, inFlow: boolean): Scalar.Type {
  if (current === 'QUOTE_DOUBLE' || current === 'QUOTE_SINGLE') return typeof value === 'string' ? current : 'PLAIN';
  if (typeof value !== 'string') return 'PLAIN';
  if (value.includes('\n')) return 'BLOCK_LITERAL';
  return readsBackAs(value, inFlow) ? 'PLAIN' : 'QUOTE_DOUBLE';
}

function readsBackAs(text: string, inFlow: boolean): boolean {
  if (text === '' || text.trim() !== text) return false;
  const probe = inFlow ? `[${text}]` : `k: ${text}`;
  const doc = parseDocument(probe, { version: YAML_VERSION });
  if (doc.errors.length > 0) return false;
  const node = inFlow ? doc.getIn([0], true) : doc.get('k', true);
  const count = inFlow ? (doc.toJS() as unknown[]).length : 1;
  return count === 1 && isScalar(node) && node.type === 'PLAIN' && node.value === text;
}

/** The text of a scalar that replaces a plain or quoted one. */
export function scalarSource(value: unknown): string {
  return value === null ? 'null' : String(value);
}
