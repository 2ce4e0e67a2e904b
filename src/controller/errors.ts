/**
 * A reconcile error that retrying cannot fix (a malformed spec, a forbidden action): the
 * key is not requeued, only reported. Like controller-runtime's `reconcile.TerminalError`,
 * it counts anywhere in the `cause` chain, so callers can wrap it.
 */
export class TerminalError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TerminalError';
  }
}

export function isTerminalError(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let current = error; current instanceof Error && !seen.has(current); current = current.cause) {
    if (current instanceof TerminalError) return true;
    seen.add(current);
  }
  return false;
}

/**
 * A reconcile threw something that is not an Error (a string, `undefined`): the nearest
 * thing to a Go panic. controller-runtime recovers panics and retries with backoff; so
 * do we, with the thrown value kept as `cause`.
 */
export class ReconcilePanicError extends Error {
  readonly key: string;
  constructor(key: string, thrown: unknown) {
    super(`reconcile of ${key} threw a non-Error value: ${describe(thrown)}`, { cause: thrown });
    this.name = 'ReconcilePanicError';
    this.key = key;
  }
}

function describe(value: unknown): string {
  try {
    return typeof value === 'string' ? JSON.stringify(value) : String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
