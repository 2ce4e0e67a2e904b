import { shannonEntropy } from './entropy.ts';
import type { Allowlist, RuleSet, SecretRule } from './rule-set.ts';

/** Where a secret is in the scanned text: [start, end) in UTF-16 code units. */
export interface SecretSpan {
  start: number;
  end: number;
  ruleId: string;
}

/**
 * Finds the secrets in one block of text the way gitleaks does: a rule runs only if one of
 * its keywords occurs in the (lower-cased) block; the secret is its `secretGroup`, else the
 * first non-empty capture group, else the whole match; matches at or under the rule's
 * entropy, or allowed by the global or the rule's allowlists, are dropped.
 *
 * Cost: RE2 is linear, but re2js' capture-tracking NFA over a whole block is ~50x slower
 * than its DFA yes/no test. So every rule first tests the whole block (DFA); only when that
 * says yes does a single-line rule look for positions, line by line, where re2js can use
 * its bounded backtracker. Rules that can span lines match over the whole block.
 */
export function findSecrets(text: string, ruleSet: RuleSet): SecretSpan[] {
  const present = ruleSet.keywordsIn(text.toLowerCase());
  const spans: SecretSpan[] = [];
  let lines: Array<[number, number]> | undefined;
  for (const rule of ruleSet.rules) {
    if (rule.keywords.length > 0 && !rule.keywords.some((k) => present.has(k))) continue;
    if (!rule.regex.test(text)) continue;
    if (rule.multiline) {
      collect(rule, text, 0, text, spans);
      continue;
    }
    lines ??= lineRanges(text);
    for (const [start, end] of lines) {
      const line = text.slice(start, end);
      if (rule.regex.test(line)) collect(rule, line, start, text, spans);
    }
  }
  return spans;
}

function collect(rule: SecretRule, segment: string, offset: number, block: string, spans: SecretSpan[]): void {
  const m = rule.regex.matcher(segment);
  const groups = m.groupCount();
  while (m.find()) {
    let start = m.start();
    let end = m.end();
    // gitleaks trims newlines off a match (a trailing `\s` can take one).
    while (start < end && segment[start] === '\n') start += 1;
    while (end > start && segment[end - 1] === '\n') end -= 1;
    if (end === start) continue;
    let secretStart = start;
    let secretEnd = end;
    if (groups > 0) {
      const group = rule.secretGroup > 0 ? rule.secretGroup : firstNonEmptyGroup(m, groups);
      if (group > 0) {
        if (group > groups || m.start(group) < 0 || m.end(group) <= m.start(group)) continue;
        secretStart = m.start(group);
        secretEnd = m.end(group);
      }
    }
    const secret = segment.slice(secretStart, secretEnd);
    if (rule.entropy > 0 && shannonEntropy(secret) <= rule.entropy) continue;
    const finding = { secret, match: segment.slice(start, end), line: lineAround(block, offset + start, offset + end) };
    if (rule.allowlists.some((a) => allows(a, finding))) continue;
    spans.push({ start: offset + secretStart, end: offset + secretEnd, ruleId: rule.id });
  }
}

interface Finding {
  secret: string;
  match: string;
  line: string;
}

function firstNonEmptyGroup(m: { start(g: number): number; end(g: number): number }, groups: number): number {
  for (let g = 1; g <= groups; g += 1) {
    if (m.start(g) >= 0 && m.end(g) > m.start(g)) return g;
  }
  return 0;
}

// gitleaks' checkFindingAllowed, less what text from a log cannot have: a file path or a
// commit. An OR list with paths allows files, not findings; an AND list with paths never holds.
function allows(list: Allowlist, finding: Finding): boolean {
  const target = list.target === 'match' ? finding.match : list.target === 'line' ? finding.line : finding.secret;
  const regexAllowed = target !== '' && list.regexes.some((r) => r.test(target));
  const lowerSecret = finding.secret.toLowerCase();
  const stopword = list.stopwords.some((w) => lowerSecret.includes(w));
  if (!list.all) return regexAllowed || stopword;
  if (list.needsPathOrCommit) return false;
  const checks = [...(list.regexes.length > 0 ? [regexAllowed] : []), ...(list.stopwords.length > 0 ? [stopword] : [])];
  return checks.length > 0 && checks.every(Boolean);
}

function lineAround(text: string, start: number, end: number): string {
  const from = text.lastIndexOf('\n', start - 1) + 1;
  const to = text.indexOf('\n', end);
  return text.slice(from, to < 0 ? text.length : to);
}

function lineRanges(text: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) {
      if (start < text.length) ranges.push([start, text.length]);
      return ranges;
    }
    if (nl > start) ranges.push([start, nl]);
    start = nl + 1;
  }
}
