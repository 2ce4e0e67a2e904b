/**
 * Time as a dependency. Queues, rate limiters and the leader elector take a `Clock` so
 * that tests can step time (fake-clock.ts) instead of sleeping through seconds of backoff.
 */
export interface Clock {
  /** Wall-clock milliseconds since the epoch, like Date.now(). */
  now(): number;
  /** Calls `callback` once after `ms`; the returned timer can be cancelled. */
  setTimer(callback: () => void, ms: number): Timer;
}

export interface Timer {
  cancel(): void;
}

export function systemClock(): Clock {
  return {
    now: () => Date.now(),
    setTimer(callback, ms) {
      const handle = setTimeout(callback, Math.max(0, ms));
      return { cancel: () => clearTimeout(handle) };
    },
  };
}

/**
 * Resolves after `ms` on `clock`, or at once when `signal` aborts (never rejects), so a
 * loop can sleep between attempts and still stop promptly.
 */
export function sleepOn(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const onAbort = () => {
      timer.cancel();
      resolve();
    };
    const timer = clock.setTimer(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * `work`'s value, or `{ done: false }` when `ms` passes first. The work itself goes on,
 * and a failure after the deadline is dropped (Promise.race has handled it).
 */
export async function withDeadline<T>(clock: Clock, work: Promise<T>, ms: number): Promise<{ done: true; value: T } | { done: false }> {
  let timer: Timer | undefined;
  const late = new Promise<{ done: false }>((resolve) => {
    timer = clock.setTimer(() => resolve({ done: false }), ms);
  });
  try {
    return await Promise.race([work.then((value) => ({ done: true as const, value })), late]);
  } finally {
    timer?.cancel();
  }
}
