import { systemClock, type Clock, type Timer } from './clock.ts';
import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiter.ts';

export interface WorkQueueOptions {
  rateLimiter?: RateLimiter;
  clock?: Clock;
}

/** A snapshot for metrics (client-go's depth, plus what is in flight or waiting). */
export interface WorkQueueStats {
  /** Keys ready to be handed out. */
  depth: number;
  /** Keys handed out and not yet `done`. */
  inFlight: number;
  /** Keys waiting for an `addAfter` or `addRateLimited` delay. */
  waiting: number;
  /** Keys added back by `addRateLimited` (a failed reconcile) since the queue was made. */
  retries: number;
}

interface Waiting {
  readyAt: number;
  timer: Timer;
}

/**
 * client-go's rate-limited work queue for string keys. It is "stingy": adding a key that
 * is already queued does nothing (the `dirty` set), and a key is never handed to two
 * workers at once; one added while it is being processed is queued again on `done`
 * (the `processing` set). Reconcilers are level-triggered, so one run per burst of
 * changes is enough.
 */
export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly waiting = new Map<string, Waiting>();
  private readonly getters: Array<(key: string | undefined) => void> = [];
  private readonly drainers: Array<() => void> = [];
  private shuttingDown = false;
  /** When each queued key became ready: how long it waited for a worker (client-go's queue latency). */
  private readonly readySince = new Map<string, number>();
  private retries = 0;
  private waitObserver: ((waitMs: number) => void) | undefined;
  private readonly rateLimiter: RateLimiter;
  private readonly clock: Clock;

  constructor(options: WorkQueueOptions = {}) {
    this.clock = options.clock ?? systemClock();
    this.rateLimiter = options.rateLimiter ?? defaultControllerRateLimiter({ clock: this.clock });
  }

  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    this.enqueue(key);
  }

  /** Called with each key's time in the queue as a worker takes it (for metrics). */
  observeWait(observer: (waitMs: number) => void): void {
    this.waitObserver = observer;
  }

  /**
   * The next key, once there is one; `undefined` once the queue is shut down and no key
   * is left. The caller must call `done(key)` when finished with it.
   */
  get(): Promise<string | undefined> {
    return new Promise((resolve) => {
      this.getters.push(resolve);
      this.handOut();
    });
  }

  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) this.enqueue(key);
    this.checkDrained();
  }

  /** Adds `key` after `delayMs`; a key already waiting keeps the earlier of the two times. */
  addAfter(key: string, delayMs: number): void {
    if (this.shuttingDown) return;
    if (delayMs <= 0) {
      this.add(key);
      return;
    }
    const readyAt = this.clock.now() + delayMs;
    const existing = this.waiting.get(key);
    if (existing && existing.readyAt <= readyAt) return;
    existing?.timer.cancel();
    const timer = this.clock.setTimer(() => {
      this.waiting.delete(key);
      this.add(key);
    }, delayMs);
    this.waiting.set(key, { readyAt, timer });
  }

  /** Adds `key` when the rate limiter allows: the per-key backoff or the global bucket. */
  addRateLimited(key: string): void {
    this.retries++;
    this.addAfter(key, this.rateLimiter.when(key));
  }

  /** Resets the backoff of `key`; call it when the key was processed successfully. */
  forget(key: string): void {
    this.rateLimiter.forget(key);
  }

  numRequeues(key: string): number {
    return this.rateLimiter.numRequeues(key);
  }

  len(): number {
    return this.queue.length;
  }

  stats(): WorkQueueStats {
    return { depth: this.queue.length, inFlight: this.processing.size, waiting: this.waiting.size, retries: this.retries };
  }

  isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /**
   * Refuses new keys and drops delayed ones. Keys already queued are still handed out,
   * then `get()` resolves `undefined`, so workers finish and exit.
   */
  shutDown(): void {
    this.shuttingDown = true;
    for (const { timer } of this.waiting.values()) timer.cancel();
    this.waiting.clear();
    this.handOut();
  }

  /**
   * `shutDown`, then resolves once every key handed out is done and none is left queued.
   * It never resolves if keys are queued and nobody calls `get()`: race it with a timeout.
   */
  shutDownWithDrain(): Promise<void> {
    this.shutDown();
    return new Promise((resolve) => {
      this.drainers.push(resolve);
      this.checkDrained();
    });
  }

  private enqueue(key: string): void {
    this.queue.push(key);
    this.readySince.set(key, this.clock.now());
    this.handOut();
  }

  private handOut(): void {
    while (this.getters.length > 0 && this.queue.length > 0) {
      const key = this.queue.shift() as string;
      this.dirty.delete(key);
      this.processing.add(key);
      const since = this.readySince.get(key);
      this.readySince.delete(key);
      if (since !== undefined) this.waitObserver?.(this.clock.now() - since);
      this.getters.shift()?.(key);
    }
    if (this.shuttingDown && this.queue.length === 0) {
      for (const resolve of this.getters.splice(0)) resolve(undefined);
    }
  }

  private checkDrained(): void {
    if (!this.shuttingDown || this.processing.size > 0 || this.queue.length > 0) return;
    for (const resolve of this.drainers.splice(0)) resolve();
  }
}
