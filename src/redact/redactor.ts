import { findSecrets, type SecretSpan } from './find-secrets.ts';
import { defaultRuleSet, type RuleSet } from './rule-set.ts';

export interface RedactionResult {
  text: string;
  /** How many secrets were replaced (overlapping findings count once). */
  count: number;
  /** The ids of the rules that found them, sorted. */
  rules: string[];
}

export interface RedactorOptions {
  /** Defaults to gitleaks' rules plus ours, compiled once per process. */
  ruleSet?: RuleSet;
  /** Text is scanned in blocks of about this many characters, cut after a newline when one is near. */
  blockChars?: number;
  /** Consecutive blocks overlap by this much, so a match across a cut is seen whole in one of them. */
  overlapChars?: number;
  /** Text beyond this is dropped, not scanned, and a marker says how much. */
  maxChars?: number;
  /** Once scanning has taken this long, the blocks not yet scanned are dropped the same way. */
  timeBudgetMs?: number;
  /** For tests: the clock the budget is measured with. */
  now?: () => number;
}

const DEFAULTS = { blockChars: 32 * 1024, overlapChars: 4 * 1024, maxChars: 1024 * 1024, timeBudgetMs: 2000 };

/**
 * Replaces every secret in a text with `[REDACTED:<rule-id>]` before the text leaves the
 * process (prompts, PR bodies, notifications, the dashboard, logs).
 *
 * Time is linear in the input and bounded. The rules are RE2 (re2js), so hostile logs
 * cannot cause catastrophic backtracking, and the text is scanned in blocks of
 * `blockChars` (32 KiB), so each regex runs over a bounded window and a rule's keyword
 * prefilter works per block. Logs take ~0.5-1.5 ms per KiB (more with more secrets; see
 * `npm run bench -- redaction`); the worst case measured is text made only of key-value
 * pairs (`api_key = "x";` repeated), 4-8 ms per KiB, because many rules then match
 * everywhere and re2js falls back to its NFA. Hence two bounds, which drop text rather
 * than pass it on unscanned: text beyond `maxChars` (1 MiB), and the blocks left when
 * scanning has taken `timeBudgetMs` (2 s), are replaced by a `[TRUNCATED: …]` marker.
 * Callers bound what they send long before that (evidence keeps 8 KiB of logs).
 *
 * Very long lines: a line longer than a block is cut inside the line. Blocks overlap by
 * `overlapChars` (4 KiB), so a secret up to that length straddling a cut is still matched
 * whole in the next block; at a cut, `$` and `\b` can match where the line does not end,
 * which can only redact more. A longer single-line secret across a cut (a 1 MiB "token")
 * is redacted only as far as the block where its rule matched. PEM keys longer than the
 * overlap are covered on both sides of a cut by the `private-key-block`,
 * `private-key-tail` and `pem-body-lines` rules.
 */
export class Redactor {
  readonly #ruleSet: RuleSet;
  readonly #blockChars: number;
  readonly #overlapChars: number;
  readonly #maxChars: number;
  readonly #timeBudgetMs: number;
  readonly #now: () => number;

  constructor(options: RedactorOptions = {}) {
    this.#ruleSet = options.ruleSet ?? defaultRuleSet();
    this.#blockChars = options.blockChars ?? DEFAULTS.blockChars;
    this.#overlapChars = options.overlapChars ?? DEFAULTS.overlapChars;
    this.#maxChars = options.maxChars ?? DEFAULTS.maxChars;
    this.#timeBudgetMs = options.timeBudgetMs ?? DEFAULTS.timeBudgetMs;
    this.#now = options.now ?? (() => performance.now());
    if (this.#overlapChars * 2 >= this.#blockChars) throw new RangeError('overlapChars must be under half of blockChars');
  }

  redactText(input: string): RedactionResult {
    const started = this.#now();
    // Scan an overlap past the cut, so a secret the cut splits is still matched whole.
    const scanned = input.length > this.#maxChars ? input.slice(0, this.#maxChars + this.#overlapChars) : input;
    let keep = Math.min(input.length, this.#maxChars);
    const spans: SecretSpan[] = [];
    const ranges = blocks(scanned, this.#blockChars, this.#overlapChars);
    for (const [i, [start, end]] of ranges.entries()) {
      for (const span of findSecrets(scanned.slice(start, end), this.#ruleSet)) {
        spans.push({ start: span.start + start, end: span.end + start, ruleId: span.ruleId });
      }
      const next = ranges[i + 1];
      if (next && this.#now() - started > this.#timeBudgetMs) {
        keep = Math.min(keep, next[0]); // what follows was seen by no block, or only in part
        break;
      }
    }
    spans.sort((a, b) => a.start - b.start || b.end - a.end);
    const fresh = outsideMarkers(scanned, spans);
    for (const span of fresh) if (span.start < keep && span.end > keep) keep = span.end;
    const result = replaceSpans(input.slice(0, keep), fresh.filter((s) => s.start < keep));
    if (keep < input.length) result.text += `\n[TRUNCATED: ${input.length - keep} characters not scanned]`;
    return result;
  }
}

const MARKER = /\[REDACTED:[\w.-]+\]/g;

// A finding inside one of our own markers (`token: [REDACTED:…]` read as a credential
// header) is not a secret: dropping it makes redacting twice change nothing. Spans come
// sorted by start and markers never overlap, so one pass over both suffices.
function outsideMarkers(text: string, spans: SecretSpan[]): SecretSpan[] {
  if (!text.includes('[REDACTED:')) return spans;
  const markers = [...text.matchAll(MARKER)].map((m) => [m.index, m.index + m[0].length] as const);
  let i = 0;
  return spans.filter((s) => {
    while (i + 1 < markers.length && (markers[i + 1]?.[0] ?? Infinity) <= s.start) i += 1;
    const [from, to] = markers[i] ?? [Infinity, Infinity];
    return !(s.start >= from && s.end <= to);
  });
}

/** Block boundaries [start, end): whole lines where possible, overlapping by `overlap`. */
export function blocks(text: string, size: number, overlap: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + size);
    if (end < text.length) {
      const nl = text.lastIndexOf('\n', end - 1);
      if (nl >= start + size / 2) end = nl + 1;
    }
    out.push([start, end]);
    if (end >= text.length) break;
    // Start the next block on a line start inside the overlap when there is one.
    const back = end - overlap;
    const nl = text.indexOf('\n', back);
    start = nl >= 0 && nl + 1 <= end ? nl + 1 : back;
  }
  return out;
}

// Spans sorted by start, longest first. Overlapping findings (two rules, or the same
// secret seen in two blocks) become one marker, named after the earliest, longest one.
function replaceSpans(text: string, spans: SecretSpan[]): RedactionResult {
  if (spans.length === 0) return { text, count: 0, rules: [] };
  const parts: string[] = [];
  const rules = new Set<string>();
  let count = 0;
  let cursor = 0;
  let current: SecretSpan | undefined;
  const flush = (span: SecretSpan) => {
    parts.push(text.slice(cursor, span.start), `[REDACTED:${span.ruleId}]`);
    cursor = span.end;
    count += 1;
  };
  for (const span of spans) {
    rules.add(span.ruleId);
    if (current && span.start < current.end) {
      current.end = Math.max(current.end, span.end);
      continue;
    }
    if (current) flush(current);
    current = { ...span };
  }
  if (current) flush(current);
  parts.push(text.slice(cursor));
  return { text: parts.join(''), count, rules: [...rules].sort() };
}
