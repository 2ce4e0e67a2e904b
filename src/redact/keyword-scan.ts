/**
 * Which of a rule set's keywords occur in a (lower-cased) text, in one pass instead of one
 * `includes` per keyword (~240 of them; this is ~5x faster on 32 KiB of logs).
 *
 * A lookahead over the keywords, longest first, reports at each position the longest
 * keyword starting there; every keyword contained in a reported one occurs too, which
 * covers keywords hidden behind a longer one at the same position (`sk` in `sk_live`).
 * The pattern is a native RegExp but only an alternation of escaped literals: no
 * quantifiers, so at most a keyword's length of work per position, whatever the text.
 */
export function keywordScanner(keywords: readonly string[]): (lowerText: string) => Set<string> {
  const distinct = [...new Set(keywords)].filter((k) => k !== '').sort((a, b) => b.length - a.length || a.localeCompare(b));
  if (distinct.length === 0) return () => new Set();
  const pattern = new RegExp(`(?=(${distinct.map(escape).join('|')}))`, 'g');
  const contained = new Map(distinct.map((k) => [k, distinct.filter((other) => k.includes(other))]));
  return (text) => {
    const found = new Set<string>();
    for (const m of text.matchAll(pattern)) {
      const keyword = m[1];
      if (keyword === undefined || found.has(keyword)) continue;
      for (const k of contained.get(keyword) ?? []) found.add(k);
    }
    return found;
  };
}

function escape(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
