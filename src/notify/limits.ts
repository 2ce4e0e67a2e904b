// The two memories of the notifier: what it already announced (de-duplication) and how
// much it may still send to each target (a token bucket). Both are bounded and in
// memory: a restart forgets them, which costs at most one repeated message per event.

/**
 * Keys seen within `ttlMs`, at most `maxEntries` of them (the least recently added go
 * first). Insertion order is expiry order, since every key lives as long, so expired
 * keys are pruned from the front.
 */
export class SeenKeys {
  readonly #expiry = new Map<string, number>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;

  constructor(ttlMs: number, maxEntries: number) {
    if (!(ttlMs > 0) || !(maxEntries > 0)) throw new RangeError('the de-duplication TTL and size must be positive');
    this.#ttlMs = ttlMs;
    this.#maxEntries = maxEntries;
  }

  /** True, and remembered, if `key` is new (or forgotten); false if it was seen lately. */
  add(key: string, now: number): boolean {
    this.#prune(now);
    if (this.#expiry.has(key)) return false;
    this.#expiry.set(key, now + this.#ttlMs);
    while (this.#expiry.size > this.#maxEntries) {
      const oldest = this.#expiry.keys().next().value;
      if (oldest === undefined) break;
      this.#expiry.delete(oldest);
    }
    return true;
  }

  /** Forgets `key`, so that the same event can be tried again (it was never sent). */
  delete(key: string): void {
    this.#expiry.delete(key);
  }

  get size(): number {
    return this.#expiry.size;
  }

  #prune(now: number): void {
    for (const [key, expiry] of this.#expiry) {
      if (expiry > now) return;
      this.#expiry.delete(key);
    }
  }
}

export interface RateLimit {
  /** Sustained rate. */
  perMinute: number;
  /** Messages that may go at once after a quiet spell. */
  burst: number;
}

// Under both platforms' own limits: Slack allows about one message per second per
// webhook ("Rate limits"), Discord about 5 per 2 s per webhook and 30 per minute per
// channel. An incident makes four messages at most; 20 a minute is an outage's worth.
export const DEFAULT_RATE_LIMIT: RateLimit = { perMinute: 20, burst: 5 };

export class TokenBucket {
  #tokens: number;
  #updated: number;
  readonly #limit: RateLimit;

  constructor(limit: RateLimit, now: number) {
    if (!(limit.perMinute > 0) || !(limit.burst >= 1)) throw new RangeError('the rate limit needs perMinute > 0 and burst >= 1');
    this.#limit = limit;
    this.#tokens = limit.burst;
    this.#updated = now;
  }

  /** Takes a token if there is one. */
  take(now: number): boolean {
    const elapsed = Math.max(0, now - this.#updated);
    this.#tokens = Math.min(this.#limit.burst, this.#tokens + (elapsed * this.#limit.perMinute) / 60_000);
    this.#updated = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
