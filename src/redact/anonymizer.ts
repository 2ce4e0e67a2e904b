/** What a name is, which also gives its placeholder: `namespace-1`, `workload-2`, … */
export type NameKind = 'namespace' | 'workload' | 'pod' | 'container' | 'node' | 'image' | 'name';

/** Names shorter than this are left alone: replacing every `db` or `a` in a log garbles it. */
export const MIN_NAME_LENGTH = 3;

/**
 * Optional anonymization of cluster names in text sent to an LLM, reversed in its answer.
 * Each name gets a stable placeholder (`workload-1`); `restore` maps placeholders back.
 *
 * Names are replaced longest first, so `orders-api` is not half-replaced by a shorter
 * `orders`; and only where they stand alone, not inside a longer word: neighbours that are
 * letters or digits block a match, `-`, `.`, `/` and `_` do not, so the pod
 * `orders-api-7d9f8-x2k4p` still hides its workload (`workload-1-7d9f8-x2k4p`) when only
 * the workload was added. Matching is case-sensitive (Kubernetes names are lower case).
 * A text that already contains a placeholder-shaped word (a real pod named `workload-1`)
 * would be "restored" too; add such names so they get placeholders of their own.
 */
export class Anonymizer {
  readonly #forward = new Map<string, string>();
  readonly #reverse = new Map<string, string>();
  readonly #counters = new Map<NameKind, number>();
  #anonymizePattern: RegExp | undefined;
  #restorePattern: RegExp | undefined;

  /** Registers a name and returns its placeholder; the same name always gets the same one. */
  add(name: string, kind: NameKind): string {
    const known = this.#forward.get(name);
    if (known !== undefined) return known;
    if (name.length < MIN_NAME_LENGTH) return name;
    let placeholder: string;
    do {
      const n = (this.#counters.get(kind) ?? 0) + 1;
      this.#counters.set(kind, n);
      placeholder = `${kind}-${n}`;
    } while (this.#reverse.has(placeholder) || this.#forward.has(placeholder));
    this.#forward.set(name, placeholder);
    this.#reverse.set(placeholder, name);
    this.#anonymizePattern = undefined;
    this.#restorePattern = undefined;
    return placeholder;
  }

  anonymize(text: string): string {
    if (this.#forward.size === 0) return text;
    this.#anonymizePattern ??= alternation([...this.#forward.keys()]);
    return text.replace(this.#anonymizePattern, (name) => this.#forward.get(name) ?? name);
  }

  /** Puts the real names back into a model's answer. */
  restore(text: string): string {
    if (this.#reverse.size === 0) return text;
    this.#restorePattern ??= alternation([...this.#reverse.keys()]);
    return text.replace(this.#restorePattern, (placeholder) => this.#reverse.get(placeholder) ?? placeholder);
  }

  /** Real name to placeholder, e.g. to record on the incident what was hidden. */
  get mapping(): ReadonlyMap<string, string> {
    return this.#forward;
  }
}

// Literal alternatives, longest first; lookarounds keep a name from matching inside a
// longer word. Names are escaped, so the pattern has no quantified groups to backtrack on.
function alternation(names: string[]): RegExp {
  const sorted = [...names].sort((a, b) => b.length - a.length || a.localeCompare(b));
  const escaped = sorted.map((n) => n.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'));
  return new RegExp(`(?<![A-Za-z0-9])(?:${escaped.join('|')})(?![A-Za-z0-9])`, 'g');
}
