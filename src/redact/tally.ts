/**
 * Redactions counted across every text and object sent out for one incident, so the
 * incident can say how many secrets were kept back and which rules found them.
 */
export class RedactionTally {
  #count = 0;
  readonly #rules = new Set<string>();

  add(result: { count: number; rules: readonly string[] }): void {
    this.#count += result.count;
    for (const rule of result.rules) this.#rules.add(rule);
  }

  get count(): number {
    return this.#count;
  }

  get rules(): string[] {
    return [...this.#rules].sort();
  }
}
