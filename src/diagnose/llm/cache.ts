// Answers are cached by what the model was shown, not by what it said: a flood of one
// workload's identical crashes is one question, so it is asked once.
import { createHash } from 'node:crypto';
import type { Clock } from '../../controller/clock.ts';

export interface AnswerCacheOptions {
  maxEntries?: number;
  /** Evidence this old is asked about again: the world (and the Git baseline) moves on. */
  ttlMs?: number;
}

/**
 * sha256 of the parts, in order. Callers normalize volatile text (times, pod names,
 * counts) first, and include the model, so another model is another question.
 */
export function evidenceSignature(parts: Array<string | undefined>): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part ?? '').update('\u0000');
  return hash.digest('hex');
}

/** An LRU with expiry, and one computation per key at a time. */
export class AnswerCache<V> {
  private readonly clock: Pick<Clock, 'now'>;
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly entries = new Map<string, { value: V; at: number }>();
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(clock: Pick<Clock, 'now'>, options: AnswerCacheOptions = {}) {
    this.clock = clock;
    this.maxEntries = options.maxEntries ?? 500;
    this.ttlMs = options.ttlMs ?? 60 * 60 * 1000;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (this.clock.now() - entry.at >= this.ttlMs) return undefined;
    this.entries.set(key, entry); // most recently used last
    return entry.value;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { value, at: this.clock.now() });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(oldest);
    }
  }

  /**
   * Runs `work` unless it is already running for `key`, in which case the caller shares
   * that run's outcome, failures included: a hundred callers of a failing provider must
   * not become a hundred calls.
   */
  async shared<R>(key: string, work: () => Promise<R>): Promise<{ outcome: R; joined: boolean }> {
    const running = this.inFlight.get(key) as Promise<R> | undefined;
    if (running) return { outcome: await running, joined: true };
    const run = work();
    this.inFlight.set(key, run);
    try {
      return { outcome: await run, joined: false };
    } finally {
      this.inFlight.delete(key);
    }
  }
}
