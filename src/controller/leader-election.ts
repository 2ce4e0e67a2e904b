import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { sleepOn, systemClock, withDeadline, type Clock } from './clock.ts';
import { LeaseLock, type LeaderElectionRecord, type LeaseApi } from './lease-lock.ts';

export interface LeaderCallbacks {
  /** We hold the lease: start the controllers. `signal` aborts when we stop leading. */
  onStartedLeading(signal: AbortSignal): void | Promise<void>;
  /** We no longer lead (lost, stopped or released): stop the controllers, or exit. */
  onStoppedLeading(): void;
  /** Another holder (or we) now holds the lease; not called for an empty holder. */
  onNewLeader?(identity: string): void;
}

export interface LeaderElectorOptions {
  api: LeaseApi;
  namespace: string;
  name: string;
  /** Unique per replica; defaults to hostname + '_' + a random UUID, as client-go. */
  identity?: string;
  /** How long followers wait, from the last change they saw, before taking over (15 s). */
  leaseDurationMs?: number;
  /** How long the leader keeps leading without a successful renewal (10 s). */
  renewDeadlineMs?: number;
  /** Pause between attempts (2 s); followers add up to `jitterFactor` times it. */
  retryPeriodMs?: number;
  /** client-go's JitterFactor, 1.2: spreads followers' attempts so they do not collide. */
  jitterFactor?: number;
  callbacks: LeaderCallbacks;
  /** Failed attempts (API errors, 409s), for logs; they are normal during hand-overs. */
  onError?(error: Error): void;
  clock?: Clock;
  random?: () => number;
}

export class LeaderElectionError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LeaderElectionError';
  }
}

interface Stop {
  release: boolean;
}

/**
 * Lease-based leader election with client-go's semantics (tools/leaderelection). Followers
 * judge expiry by their own clock: a lease is expired when its record has not changed for
 * leaseDurationSeconds since they first saw it. renewTime is only compared with its
 * previous value, never with our clock, so replicas' clocks need not agree. The leader
 * stops leading when it has not renewed for renewDeadline, which is shorter than the
 * lease, so it stops before anyone may take over.
 *
 * This does not fence: a paused leader can act for a moment after losing the lease, and
 * its writes are not rejected. Every side effect under it must be safe to repeat.
 */
export class LeaderElector {
  readonly identity: string;
  private readonly options: LeaderElectorOptions;
  private readonly lock: LeaseLock;
  private readonly clock: Clock;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly jitterFactor: number;
  private observed: LeaderElectionRecord | undefined;
  private observedRaw: string | undefined;
  private observedAt = 0;
  private reportedLeader = '';
  private leading = false;
  private lastRenewAt = 0;
  private leadership: AbortController | undefined;
  // Bumped when an attempt times out or the elector stops, so a late answer changes nothing.
  private generation = 0;
  private readonly stopping = new AbortController();
  private stopRequest: Stop | undefined;
  private running: Promise<void> | undefined;

  constructor(options: LeaderElectorOptions) {
    this.options = options;
    this.identity = options.identity ?? `${hostname()}_${randomUUID()}`;
    this.clock = options.clock ?? systemClock();
    this.leaseDurationMs = options.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = options.retryPeriodMs ?? 2000;
    this.jitterFactor = options.jitterFactor ?? 1.2;
    if (!this.identity) throw new LeaderElectionError('identity must not be empty');
    if (!(this.retryPeriodMs > 0) || !(this.jitterFactor >= 0)) throw new LeaderElectionError('retryPeriodMs must be positive and jitterFactor not negative');
    if (!(this.leaseDurationMs > this.renewDeadlineMs)) throw new LeaderElectionError('leaseDurationMs must be greater than renewDeadlineMs');
    if (!(this.renewDeadlineMs > this.retryPeriodMs * Math.max(1, this.jitterFactor))) {
      throw new LeaderElectionError('renewDeadlineMs must be greater than retryPeriodMs × jitterFactor');
    }
    this.lock = new LeaseLock(options.api, options.namespace, options.name);
  }

  /** True while this replica acts as leader: from onStartedLeading to onStoppedLeading. */
  isLeader(): boolean {
    return this.leading;
  }

  /** The holder in the Lease as last read or written ('' when released or not yet read). */
  leader(): string {
    return this.lock.holder() ?? '';
  }

  /**
   * Tries to acquire the lease until it succeeds, then renews it until renewal fails for
   * renewDeadline, `stop()` or `release()`. Resolves when the elector is done; one run per
   * elector (make a new one to stand again, as client-go).
   */
  run(): Promise<void> {
    if (this.running) throw new LeaderElectionError('run() was already called on this elector');
    this.running = this.loop().then(() => this.releaseIfHeld());
    return this.running;
  }

  /**
   * Stops leading and gives the lease up, so a follower takes over within a retry period.
   * Call it once the controllers have stopped. Like `stop()`, it resolves within about
   * twice renewDeadline even when the API server does not answer.
   */
  release(): Promise<void> {
    return this.requestStop({ release: true });
  }

  /** Stops leading without giving the lease up: followers wait for it to expire. */
  stop(): Promise<void> {
    return this.requestStop({ release: false });
  }

  private async requestStop(stop: Stop): Promise<void> {
    this.stopRequest ??= stop;
    this.generation += 1;
    this.stopping.abort();
    // Nobody may see us as leader once we have decided to stop, not even while releasing.
    const wasLeading = this.leading;
    this.leading = false;
    this.leadership?.abort();
    if (!this.running) return;
    await this.running;
    if (wasLeading) this.safely(() => this.options.callbacks.onStoppedLeading());
  }

  private async loop(): Promise<void> {
    while (!this.stopped()) {
      if (await this.attempt(this.renewDeadlineMs)) break;
      await sleepOn(this.clock, this.retryPeriodMs * (1 + (this.options.random ?? Math.random)() * this.jitterFactor), this.stopping.signal);
    }
    if (this.stopped()) return;
    this.startLeading();
    while (!this.stopped()) {
      await sleepOn(this.clock, this.retryPeriodMs, this.stopping.signal);
      if (this.stopped()) break;
      const remaining = this.lastRenewAt + this.renewDeadlineMs - this.clock.now();
      if (remaining > 0 && (await this.attempt(remaining))) continue;
      if (this.stopped()) break;
      const stolen = this.observed !== undefined && this.observed.holderIdentity !== this.identity;
      // client-go keeps trying until the deadline even when someone else holds the lease;
      // they believe they lead, so we stop at once.
      if (stolen || this.clock.now() >= this.lastRenewAt + this.renewDeadlineMs) {
        this.loseLeadership(stolen ? `lease taken by ${this.observed?.holderIdentity}` : `not renewed for ${this.renewDeadlineMs} ms`);
        return;
      }
    }
  }

  /**
   * Gives the lease up when asked to and it still names us; this covers a lease acquired
   * just as we stopped. Bounded by renewDeadline, as client-go, so a hung API server
   * cannot hold up a shutdown.
   */
  private async releaseIfHeld(): Promise<void> {
    if (!this.stopped()?.release || this.lock.holder() !== this.identity) return;
    try {
      const result = await withDeadline(this.clock, this.lock.release(this.identity, new Date(this.clock.now())), this.renewDeadlineMs);
      if (!result.done) this.report(new LeaderElectionError(`releasing lease ${this.lock.describe()} took over ${this.renewDeadlineMs} ms`));
    } catch (error) {
      this.report(error);
    }
  }

  // A method, not the field, so TypeScript does not narrow it across awaits.
  private stopped(): Stop | undefined {
    return this.stopRequest;
  }

  private startLeading(): void {
    this.leading = true;
    this.leadership = new AbortController();
    const signal = this.leadership.signal;
    try {
      Promise.resolve(this.options.callbacks.onStartedLeading(signal)).catch((error: unknown) => this.report(error));
    } catch (error) {
      this.report(error);
    }
  }

  private loseLeadership(why: string): void {
    this.leading = false;
    this.leadership?.abort(new LeaderElectionError(`leadership of ${this.lock.describe()} lost: ${why}`));
    this.report(new LeaderElectionError(`stopped leading ${this.lock.describe()}: ${why}`));
    this.safely(() => this.options.callbacks.onStoppedLeading());
  }

  /** One tryAcquireOrRenew, given up (and its late answer ignored) after `timeoutMs`. */
  private async attempt(timeoutMs: number): Promise<boolean> {
    const generation = ++this.generation;
    const started = this.clock.now();
    const result = await withDeadline(this.clock, this.tryAcquireOrRenew(generation), timeoutMs);
    if (!result.done) {
      if (this.generation === generation) this.generation += 1;
      this.report(new LeaderElectionError(`no answer about lease ${this.lock.describe()} within ${timeoutMs} ms`));
      return false;
    }
    // From when the request left: the server stamped the write later, so we stop early, never late.
    if (result.value) this.lastRenewAt = started;
    return result.value;
  }

  // client-go's tryAcquireOrRenew. Never rejects; false means "not ours this time".
  private async tryAcquireOrRenew(generation: number): Promise<boolean> {
    const current = () => generation === this.generation;
    const now = new Date(this.clock.now());
    const desired: LeaderElectionRecord = {
      holderIdentity: this.identity,
      // Leases count whole seconds; rounding up never lets a follower take over early.
      leaseDurationSeconds: Math.ceil(this.leaseDurationMs / 1000),
      acquireTime: now,
      renewTime: now,
      leaseTransitions: 0,
    };
    try {
      // Fast path: the leader writes over the copy it wrote last; a 409 falls through.
      if (this.leading && this.observed) {
        const renewed = { ...desired, acquireTime: this.observed.acquireTime, leaseTransitions: this.observed.leaseTransitions };
        try {
          await this.lock.update(renewed);
          if (current()) this.observe(renewed);
          return current();
        } catch (error) {
          this.report(error);
          if (!current()) return false;
        }
      }
      const found = await this.lock.get();
      if (!current()) return false;
      if (!found) {
        await this.lock.create(desired);
        if (current()) this.observe(desired);
        return current();
      }
      this.observe(found.record);
      const holder = found.record.holderIdentity;
      const expiresAt = this.observedAt + found.record.leaseDurationSeconds * 1000;
      if (holder !== '' && holder !== this.identity && this.clock.now() < expiresAt) return false;
      const record = holder === this.identity
        ? { ...desired, acquireTime: found.record.acquireTime, leaseTransitions: found.record.leaseTransitions }
        : { ...desired, leaseTransitions: found.record.leaseTransitions + 1 };
      await this.lock.update(record);
      if (current()) this.observe(record);
      return current();
    } catch (error) {
      this.report(error);
      return false;
    }
  }

  /**
   * Records what the Lease holds. The expiry clock restarts only when the record changed,
   * compared as client-go does: an edit to the Lease's labels or annotations is no renewal.
   */
  private observe(record: LeaderElectionRecord): void {
    const raw = [record.holderIdentity, record.leaseDurationSeconds, record.acquireTime?.getTime(), record.renewTime?.getTime(), record.leaseTransitions].join('|');
    if (raw !== this.observedRaw) {
      this.observedRaw = raw;
      this.observedAt = this.clock.now();
    }
    this.observed = record;
    const holder = record.holderIdentity;
    if (holder !== '' && holder !== this.reportedLeader) {
      this.reportedLeader = holder;
      this.safely(() => this.options.callbacks.onNewLeader?.(holder));
    }
  }

  private report(error: unknown): void {
    try {
      this.options.onError?.(error instanceof Error ? error : new LeaderElectionError(String(error), { cause: error }));
    } catch {
      // A broken logger must not stop renewals.
    }
  }

  // Callbacks belong to the caller; one that throws must not stop renewals.
  private safely(call: () => void): void {
    try {
      call();
    } catch (error) {
      this.report(error);
    }
  }
}
