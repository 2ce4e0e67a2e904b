// The YAML of one file, parsed once with source tokens kept, and the questions an edit
// asks of it: which node is at a path, where its lines start, how the file breaks lines.
import { Composer, Parser, isAlias, isMap, isScalar, isSeq, visit, type Document, type Node, type ParsedNode, type Pair } from 'yaml';
import type { CST } from 'yaml';
import { EditRefused } from './edit-op.ts';
import { formatPath, isNamed, keyOf, type Step } from './path.ts';

// YAML 1.1, as Kubernetes reads manifests: `0644` stays octal, `on`/`no` stay booleans
// and new strings that look like them get quoted.
export const YAML_VERSION = '1.1';

export interface ParsedFile {
  text: string;
  tokens: CST.Token[];
  docs: Document.Parsed[];
  newline: '\n' | '\r\n';
}

export function parseFile(text: string): ParsedFile {
  const tokens = [...new Parser().parse(text)];
  const docs = [...new Composer({ keepSourceTokens: true, version: YAML_VERSION }).compose(tokens)];
  for (const doc of docs) {
    if (doc.errors.length > 0) throw new EditRefused(`the file does not parse: ${doc.errors[0]?.message}`, { final: true });
  }
  return { text, tokens, docs, newline: /\r\n/.test(text) && !/(^|[^\r])\n/.test(text) ? '\r\n' : '\n' };
}

/** One step of a resolved path: the node, and the pair or sequence that holds it. */
export interface Resolved {
  /** The deepest node reached. */
  node: ParsedNode | null;
  /** How many steps were resolved; less than the path length when the rest is missing. */
  depth: number;
  /** The pair whose value `node` is, when it is a map value. */
  pair?: Pair<ParsedNode, ParsedNode | null>;
}

/** Follows steps from the document root as far as they exist. */
export function resolve(doc: Document.Parsed, path: readonly Step[]): Resolved {
  let node = doc.contents as ParsedNode | null;
  let pair: Resolved['pair'];
  for (let depth = 0; depth < path.length; depth++) {
    const step = path[depth] as Step;
    if (isAlias(node)) throw new EditRefused(`${formatPath(path.slice(0, depth))} is an alias (*${node.source}); editing through it would change the anchored value too`, { final: true });
    if (typeof step === 'string') {
      if (!isMap(node)) return { node, depth, pair };
      const found = node.items.find((p) => keyIs(p.key, step)) as Resolved['pair'];
      if (!found) return { node, depth, pair };
      pair = found;
      node = found.value;
    } else if (typeof step === 'number') {
      if (!isSeq(node) || step >= node.items.length) return { node, depth, pair };
      pair = undefined;
      node = node.items[step] as ParsedNode;
    } else {
      if (!isSeq(node)) return { node, depth, pair };
      const item = node.items.find((n) => isMap(n) && matches(n.get(keyOf(step)), step.name));
      if (!item) return { node, depth, pair };
      pair = undefined;
      node = item as ParsedNode;
    }
  }
  return { node, depth: path.length, pair };
}

/** Whether a map key is `step`, by value or as written (`on:` is the boolean true in YAML 1.1). */
export function keyIs(key: unknown, step: string): boolean {
  return isScalar(key) && (String(key.value) === step || (key as { source?: string }).source === step);
}

function matches(value: unknown, name: string): boolean {
  return value !== undefined && value !== null && String(value) === name;
}

/** The index in the list of a named step, for ops that need a plain index. */
export function indexOfNamed(doc: Document.Parsed, listPath: readonly Step[], step: Step): number {
  if (!isNamed(step)) return typeof step === 'number' ? step : -1;
  const { node, depth } = resolve(doc, listPath);
  if (depth < listPath.length || !isSeq(node)) return -1;
  return node.items.findIndex((n) => isMap(n) && matches(n.get(keyOf(step)), step.name));
}

/** Whether an anchor on `node` is referred to by an alias anywhere in the document. */
export function isAliased(doc: Document.Parsed, node: Node): boolean {
  const anchor = node.anchor;
  if (!anchor) return false;
  let used = false;
  visit(doc, {
    Alias(_, alias) {
      if (alias.source === anchor) {
        used = true;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return used;
}

/** The offset where the line holding `offset` starts. */
export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The column of `offset` in its line. */
export function columnOf(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

/** The offset just past the line break that ends the line holding `offset` (or the end of text). */
export function nextLineStart(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl === -1 ? text.length : nl + 1;
}

/** Whether the file writes block sequences indented under their key (`key:\n  - a`) or level with it. */
export function indentsSequences(doc: Document.Parsed, text: string): boolean {
  let answer: boolean | undefined;
  visit(doc, {
    Pair(_, pair) {
      const key = pair.key as ParsedNode | null;
      const value = pair.value as ParsedNode | null;
      if (answer === undefined && key?.range && isSeq(value) && !value.flow && value.range) {
        answer = columnOf(text, value.range[0]) > columnOf(text, key.range[0]);
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return answer ?? true;
}
