// Rewrites the content of a literal block scalar (`patch: |-`) in place, keeping its
// header and the indentation of its lines. The CST helper re-indents from the parent's
// indentation and writes bare `\n`, which breaks CRLF files and deeper-indented blocks.
import type { Scalar } from 'yaml';
import { EditRefused } from './edit-op.ts';
import { nextLineStart, type ParsedFile } from './yaml-source.ts';

export function setBlockScalar(file: ParsedFile, node: Scalar, value: string): string {
  const { text, newline } = file;
  const range = node.range;
  if (!range) throw new EditRefused('the block scalar has no source range');
  const headerEnd = nextLineStart(text, range[0]);
  const header = text.slice(range[0], headerEnd);
  const m = /^([|>])([-+]?)([1-9]?)([-+]?)([ \t]*(?:#.*)?)(\r?\n)$/.exec(header);
  if (!m || m[3] || node.type !== 'BLOCK_LITERAL') throw new EditRefused('only literal block scalars without an indentation indicator are edited');
  const content = text.slice(headerEnd, range[1]);
  const indent = /^( +)\S/m.exec(content)?.[1];
  if (!indent) throw new EditRefused('cannot tell the indentation of the block scalar');
  const keep = (m[2] || m[4]) === '+';
  if (keep) throw new EditRefused('a block scalar that keeps trailing blank lines is not edited');
  const clip = value.endsWith('\n');
  const body = clip ? value.slice(0, -1) : value;
  if (body.endsWith('\n') || /^[ \t]/.test(body)) throw new EditRefused('the new text cannot be written as this block scalar');
  const lines = body.split('\n').map((line) => (line ? indent + line : ''));
  const newHeader = `|${clip ? '' : '-'}${m[5]}${m[6]}`;
  return text.slice(0, range[0]) + newHeader + lines.join(newline) + newline + text.slice(range[1]);
}
