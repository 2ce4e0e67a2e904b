// Spotlighting (Hines et al. 2024, arXiv:2403.14720): untrusted text goes to the model
// inside blocks whose tags carry a random per-request id, with every space replaced by a
// datamark, so the model can tell data from instructions at every word. A mitigation,
// not a guarantee: what the model answers is still validated against the action schema.
import { randomBytes } from 'node:crypto';
import { DATAMARK } from './tokens.ts';

/** Invisible or reordering characters: zero-width, bidi controls, BOM, Unicode tag characters ("ASCII smuggling"). */
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]|[\u{e0000}-\u{e007f}]/gu;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;
const TAG_LOOKALIKE = /<(\/?)(evidence-)/gi;

export function newBoundaryId(): string {
  return randomBytes(6).toString('hex');
}

/** The tag name of this request's blocks; the random id makes a closing tag unforgeable from inside the data. */
export const blockTag = (id: string) => `evidence-${id}`;

/**
 * Whitespace (except line breaks, which keep the log's shape) becomes the datamark.
 * Control and invisible characters go first: a hostile pod can hide instructions in them
 * that a person reading the PR would never see.
 */
export function datamark(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(INVISIBLE, '')
    .replace(CONTROL, ' ')
    .replace(TAG_LOOKALIKE, '\u2039$1$2')
    .replace(/[^\S\n]/g, DATAMARK);
}

/** The text a datamarked string came from (for matching the model's citations against the evidence). */
export function undatamark(text: string): string {
  return text.split(DATAMARK).join(' ');
}

/** One block of untrusted evidence; `kind` is ours (a fixed word), never the data's. */
export function untrustedBlock(id: string, kind: string, text: string): string {
  const tag = blockTag(id);
  return `<${tag} kind="${kind}">\n${datamark(text.trim())}\n</${tag}>`;
}
