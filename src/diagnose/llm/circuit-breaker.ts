// A provider that keeps failing is left alone for a while: every call would spend the
// timeout and tokens for nothing, and hammering a rate-limited endpoint prolongs the limit.
import type { Clock } from '../../controller/clock.ts';

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold?: number;
  /** How long it stays open before one trial call is let through. */
  cooldownMs?: number;
}

/**
 * closed: calls go through; `failureThreshold` failures in a row open it. open: no call
 * until `cooldownMs` has passed, then half-open: exactly one trial call; its success
 * closes the circuit, its failure opens it for another cooldown.
 */
export class CircuitBreaker {
  private readonly clock: Pick<Clock, 'now'>;
  private readonly threshold: number;
  private readonly cooldownMs: number;
  private failures = 0;
  private openedAt: number | undefined;
  private trialInFlight = false;

  constructor(clock: Pick<Clock, 'now'>, options: CircuitBreakerOptions = {}) {
    this.clock = clock;
    this.threshold = options.failureThreshold ?? 5;
    this.cooldownMs = options.cooldownMs ?? 60_000;
  }

  get state(): BreakerState {
    if (this.openedAt === undefined) return 'closed';
    return this.clock.now() - this.openedAt >= this.cooldownMs ? 'half-open' : 'open';
  }

  /** Whether a call may go out now; in half-open, only the first caller gets a yes. */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  success(): void {
    this.failures = 0;
    this.openedAt = undefined;
    this.trialInFlight = false;
  }

  failure(): void {
    this.failures++;
    if (this.trialInFlight || this.failures >= this.threshold) this.openedAt = this.clock.now();
    this.trialInFlight = false;
  }

  /** Seconds until a trial call is allowed, for the incident's "why". */
  retryInSeconds(): number {
    return this.openedAt === undefined ? 0 : Math.max(0, Math.ceil((this.openedAt + this.cooldownMs - this.clock.now()) / 1000));
  }
}
