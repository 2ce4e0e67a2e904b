// Retries for transient provider errors (429, 5xx, a dropped connection). A Retry-After
// is obeyed to the millisecond when it fits before the deadline, and ends the attempt
// when it does not: waiting past the timeout only to be cut off spends nothing useful.
import { APICallError, RetryError } from 'ai';
import { sleepOn, type Clock } from '../../controller/clock.ts';

export interface RetryOptions {
  clock: Clock;
  maxRetries: number;
  /** First backoff without a Retry-After; doubles per retry, with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Absolute time on `clock` after which no attempt starts. */
  deadline: number;
  signal: AbortSignal;
}

/** A rate limit asked for a wait that the deadline does not allow. */
export class RetryAfterTooLongError extends Error {
  readonly waitMs: number;
  constructor(waitMs: number, cause: unknown) {
    super(`the provider asked to retry after ${Math.ceil(waitMs / 1000)} s, past the timeout`, { cause });
    this.name = 'RetryAfterTooLongError';
    this.waitMs = waitMs;
  }
}

/** The provider's own error under the AI SDK's wrapping, if any. */
export function apiCallError(error: unknown): APICallError | undefined {
  if (APICallError.isInstance(error)) return error;
  if (RetryError.isInstance(error)) return apiCallError(error.lastError);
  if (error instanceof Error && error.cause) return apiCallError(error.cause);
  return undefined;
}

/** Milliseconds the response asked us to wait (retry-after-ms, or retry-after in seconds or as a date). */
export function retryAfterMs(error: APICallError, now: number): number | undefined {
  const headers = error.responseHeaders ?? {};
  const ms = Number.parseFloat(headers['retry-after-ms'] ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers['retry-after'];
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export async function withRetries<T>(attempt: (index: number) => Promise<T>, o: RetryOptions): Promise<T> {
  for (let index = 0; ; index++) {
    try {
      return await attempt(index);
    } catch (error) {
      const api = apiCallError(error);
      if (!api?.isRetryable || index >= o.maxRetries || o.signal.aborted) throw error;
      const asked = retryAfterMs(api, o.clock.now());
      const backoff = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** index) * (0.75 + Math.random() * 0.5);
      const wait = asked ?? backoff;
      if (o.clock.now() + wait >= o.deadline) {
        if (asked !== undefined) throw new RetryAfterTooLongError(asked, error);
        throw error;
      }
      await sleepOn(o.clock, wait, o.signal);
      if (o.signal.aborted) throw error;
    }
  }
}
