// When to try a forge request again, and after how long. Pure: the callers (the fetch
// client, the Octokit hook) own the sleeping. Following Renovate (`lib/util/http/retry-after.ts`)
// and GitHub's guidance: honour Retry-After and the rate-limit reset, back off on 5xx and
// lost connections, and never retry other 4xx: they will not change by themselves.

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** Backoff for 5xx and lost connections: base·2^attempt, capped, with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * The longest wait honoured in-process. A longer Retry-After surfaces as a retryable
   * ForgeError with retryAfterMs, so the work queue requeues instead of a worker sleeping.
   */
  maxWaitMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 3, baseDelayMs: 1000, maxDelayMs: 30_000, maxWaitMs: 60_000 };

export type HeaderLookup = (name: string) => string | undefined;

export type Failure =
  | { kind: 'network' }
  | { kind: 'status'; status: number; headers: HeaderLookup; rateLimited: boolean };

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; retryAfterMs: number | undefined };

const RETRYABLE_5XX = new Set([500, 502, 503, 504]);

/**
 * A rate-limit answer: any 429, or a 403 that says so (GitHub's primary limit sets
 * `x-ratelimit-remaining: 0`; its secondary limits say "secondary rate limit").
 */
export function isRateLimited(status: number, headers: HeaderLookup, message: string): boolean {
  if (status === 429) return true;
  if (status !== 403) return false;
  return remaining(headers) === 0 || /secondary rate limit|abuse detection/i.test(message);
}

/**
 * How long the forge asked us to wait: `Retry-After` (seconds or an HTTP date), else the
 * reset of an exhausted window (`x-ratelimit-reset` on GitHub and Gitea proxies,
 * `ratelimit-reset` on GitLab, both Unix seconds).
 */
export function retryAfterMs(headers: HeaderLookup, now: number): number | undefined {
  const after = headers('retry-after');
  if (after !== undefined && after.trim() !== '') {
    const seconds = Number(after);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(after);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  if (remaining(headers) === 0) {
    const reset = Number(headers('x-ratelimit-reset') ?? headers('ratelimit-reset'));
    // One second past the reset, as GitHub advises, so the window has really rolled over.
    if (Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - now + 1000);
  }
  return undefined;
}

function remaining(headers: HeaderLookup): number | undefined {
  const value = headers('x-ratelimit-remaining') ?? headers('ratelimit-remaining');
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** `attempt` counts failures so far, from 0. `random` is for tests. */
export function decideRetry(failure: Failure, attempt: number, policy: RetryPolicy, now: number, random: () => number = Math.random): RetryDecision {
  const asked = failure.kind === 'status' ? retryAfterMs(failure.headers, now) : undefined;
  const retryable = failure.kind === 'network' || failure.rateLimited || RETRYABLE_5XX.has(failure.status);
  if (!retryable) return { retry: false, retryAfterMs: undefined };
  const wait = asked ?? backoff(attempt, policy, random);
  if (attempt >= policy.maxRetries || wait > policy.maxWaitMs) return { retry: false, retryAfterMs: wait };
  return { retry: true, delayMs: wait };
}

/** Exponential with "equal jitter": never less than half the step, so waits still grow. */
export function backoff(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(step / 2 + random() * (step / 2));
}
