/**
 * Shannon entropy in bits per character, as gitleaks computes it: rules with an `entropy`
 * threshold drop matches at or below it, which is what keeps `api_key = "placeholder"`
 * and `token: xxxxxxxxxxxx` from being reported as secrets.
 */
export function shannonEntropy(text: string): number {
  if (text.length === 0) return 0;
  const counts = new Map<string, number>();
  let length = 0;
  for (const char of text) {
    counts.set(char, (counts.get(char) ?? 0) + 1);
    length += 1;
  }
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}
