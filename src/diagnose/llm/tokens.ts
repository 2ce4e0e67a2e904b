// A token estimate good enough for budgets and benchmarks, without shipping a tokenizer
// per provider (they differ, and a wrong exact count is no better than a rough one).

/** The datamark that replaces whitespace in untrusted text (spotlighting, see spotlight.ts). */
export const DATAMARK = '\u02c6';

/**
 * About four characters per token for English, logs and JSON (OpenAI's rule of thumb).
 * A datamark seldom merges with its neighbours in BPE vocabularies, so each one is
 * counted as a token of its own: marked text costs more than plain text, and the
 * estimate says so rather than flattering the prompt.
 */
export function estimateTokens(text: string): number {
  let marks = 0;
  for (let i = text.indexOf(DATAMARK); i !== -1; i = text.indexOf(DATAMARK, i + 1)) marks++;
  return Math.ceil((text.length - marks) / 4) + marks;
}
