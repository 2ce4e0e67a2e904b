import { systemClock, type Clock } from './clock.ts';

/** client-go's `TypedRateLimiter`: how long a key waits before its next retry. */
export interface RateLimiter {
  /** The delay before `key` may be retried; counts as one more failure for per-key limiters. */
  when(key: string): number;
  /** Stops tracking `key`: its next failure starts again at the base delay. */
  forget(key: string): void;
  /** Failures recorded for `key` since it was last forgotten. */
  numRequeues(key: string): number;
}

export interface ExponentialBackoffOptions {
  baseDelayMs?: number;
  maxDelayMs?: number;
}

// client-go's defaults are 5 ms and 1000 s. Our reconciles may call an LLM and open pull
// requests, so a failing key waits longer at first and is retried at least every 5 min.
export const DEFAULT_BASE_DELAY_MS = 1000;
export const DEFAULT_MAX_DELAY_MS = 5 * 60_000;
export const DEFAULT_QPS = 10;
export const DEFAULT_BURST = 100;

/** base × 2^failures, capped (client-go's ItemExponentialFailureRateLimiter). */
export function exponentialBackoffRateLimiter(options: ExponentialBackoffOptions = {}): RateLimiter {
  const base = options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
  const max = options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
  if (!(base > 0) || !(max >= base)) throw new RangeError(`backoff needs 0 < baseDelayMs <= maxDelayMs, got ${base} and ${max}`);
  const failures = new Map<string, number>();
  return {
    when(key) {
      const exp = failures.get(key) ?? 0;
      failures.set(key, exp + 1);
      // 2^exp overflows to Infinity for large exp, which the cap absorbs.
      return Math.min(base * 2 ** exp, max);
    },
    forget: (key) => void failures.delete(key),
    numRequeues: (key) => failures.get(key) ?? 0,
  };
}

export interface TokenBucketOptions {
  qps?: number;
  burst?: number;
  clock?: Clock;
}

/**
 * A global token bucket (client-go's BucketRateLimiter over x/time/rate): the bucket
 * starts full, each `when` reserves one token, and a reservation made while the bucket
 * is empty waits for its token, so a burst of N keys beyond `burst` spreads over N/qps s.
 */
export function tokenBucketRateLimiter(options: TokenBucketOptions = {}): RateLimiter {
  const qps = options.qps ?? DEFAULT_QPS;
  const burst = options.burst ?? DEFAULT_BURST;
  const clock = options.clock ?? systemClock();
  if (!(qps > 0) || !(burst >= 1)) throw new RangeError(`token bucket needs qps > 0 and burst >= 1, got ${qps} and ${burst}`);
  let tokens = burst;
  let last = clock.now();
  return {
    when() {
      const now = clock.now();
      tokens = Math.min(burst, tokens + (Math.max(0, now - last) * qps) / 1000);
      last = now;
      tokens -= 1;
      return tokens >= 0 ? 0 : Math.ceil((-tokens * 1000) / qps);
    },
    forget: () => undefined,
    numRequeues: () => 0,
  };
}

/** The longest delay of several limiters (client-go's MaxOfRateLimiter). */
export function maxOfRateLimiter(...limiters: RateLimiter[]): RateLimiter {
  return {
    when(key) {
      // Every limiter must see the call, so no short-circuit.
      let delay = 0;
      for (const limiter of limiters) delay = Math.max(delay, limiter.when(key));
      return delay;
    },
    forget(key) {
      for (const limiter of limiters) limiter.forget(key);
    },
    numRequeues(key) {
      let count = 0;
      for (const limiter of limiters) count = Math.max(count, limiter.numRequeues(key));
      return count;
    },
  };
}

export interface ControllerRateLimiterOptions extends ExponentialBackoffOptions, TokenBucketOptions {}

/**
 * client-go's DefaultTypedControllerRateLimiter: per-key exponential backoff (here 1 s to
 * 5 min) under a global 10 qps / 100 burst bucket, whichever asks for the longer wait.
 */
export function defaultControllerRateLimiter(options: ControllerRateLimiterOptions = {}): RateLimiter {
  return maxOfRateLimiter(exponentialBackoffRateLimiter(options), tokenBucketRateLimiter(options));
}
