import { systemClock, type Clock } from './clock.ts';
import { isTerminalError, ReconcilePanicError } from './errors.ts';
import type { WorkQueue } from './work-queue.ts';

export interface ReconcileResult {
  /** Process the key again after this delay, with its backoff reset (e.g. to poll a PR). */
  requeueAfterMs?: number;
}

export type Reconcile = (key: string) => Promise<ReconcileResult | void>;

export type ReconcileOutcome = 'success' | 'requeue-after' | 'error' | 'terminal-error';

export interface WorkerHooks {
  /** After every reconcile, for metrics (counts by outcome, duration histogram). */
  onReconcile?(key: string, outcome: ReconcileOutcome, durationMs: number): void;
  /** For every failed reconcile, terminal or not: the only place a TerminalError surfaces. */
  onError?(key: string, error: Error): void;
  /** Times reconciles; defaults to the system clock. */
  clock?: Clock;
}

/**
 * Runs `concurrency` workers that take keys from `queue` until it is shut down and
 * drained; resolves when all have exited. Each key is handled as controller-runtime's
 * reconcileHandler does: an error requeues it with the rate limiter's backoff (unless
 * terminal; an error carrying `retryAfterMs` waits exactly that long instead), `requeueAfterMs` forgets the backoff and requeues after that delay, success
 * forgets the backoff, and `done` is always called.
 */
export async function runWorkers(queue: WorkQueue, concurrency: number, reconcile: Reconcile, hooks: WorkerHooks = {}): Promise<void> {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  const clock = hooks.clock ?? systemClock();
  const worker = async () => {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      await processKey(queue, key, reconcile, hooks, clock);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

async function processKey(queue: WorkQueue, key: string, reconcile: Reconcile, hooks: WorkerHooks, clock: Clock): Promise<void> {
  const started = clock.now();
  let outcome: ReconcileOutcome;
  try {
    const result = await reconcile(key);
    const after = result?.requeueAfterMs ?? 0;
    queue.forget(key);
    if (after > 0) {
      queue.addAfter(key, after);
      outcome = 'requeue-after';
    } else {
      outcome = 'success';
    }
  } catch (thrown) {
    const error = thrown instanceof Error ? thrown : new ReconcilePanicError(key, thrown);
    // Like controller-runtime, a terminal error keeps its backoff count: the next event
    // reconciles at once, and a later transient failure does not start from scratch.
    const waitMs = retryAfterOf(error);
    if (isTerminalError(error)) {
      outcome = 'terminal-error';
    } else if (waitMs !== undefined) {
      // The other side said when to come back (a forge's rate-limit window, a 429's
      // Retry-After): asking again sooner only spends the next window's budget.
      queue.addAfter(key, waitMs);
      outcome = 'error';
    } else {
      queue.addRateLimited(key);
      outcome = 'error';
    }
    safely(() => hooks.onError?.(key, error));
  } finally {
    queue.done(key);
  }
  safely(() => hooks.onReconcile?.(key, outcome, Math.max(0, clock.now() - started)));
}

/** An error's `retryAfterMs` (ForgeError and the like), when it is a sensible delay. */
function retryAfterOf(error: Error): number | undefined {
  const ms = (error as { retryAfterMs?: unknown }).retryAfterMs;
  return typeof ms === 'number' && Number.isFinite(ms) && ms > 0 ? Math.min(ms, 60 * 60_000) : undefined;
}

// A broken metrics hook must not stop a worker or lose a key: its error is dropped.
function safely(call: () => void): void {
  try {
    call();
  } catch {
    // deliberately ignored, see above
  }
}
