import type { Clock, Timer } from './clock.ts';

interface PendingTimer {
  due: number;
  seq: number;
  callback: () => void;
}

/**
 * A clock that moves only when told to, like client-go's testing clock. `advance` fires
 * due timers in time order (ties in the order they were set), including timers that
 * fired callbacks set on the way. Callbacks run synchronously: tests flush promise
 * continuations themselves (e.g. `await setImmediate()`).
 */
export class FakeClock implements Clock {
  private current: number;
  private seq = 0;
  private readonly timers = new Set<PendingTimer>();

  constructor(start = Date.UTC(2025, 0, 1)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimer(callback: () => void, ms: number): Timer {
    const timer: PendingTimer = { due: this.current + Math.max(0, ms), seq: this.seq++, callback };
    this.timers.add(timer);
    return { cancel: () => this.timers.delete(timer) };
  }

  /** Timers not yet fired. */
  pending(): number {
    return this.timers.size;
  }

  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      const next = this.nextDue();
      if (!next || next.due > target) break;
      this.timers.delete(next);
      this.current = next.due;
      next.callback();
    }
    this.current = target;
  }

  private nextDue(): PendingTimer | undefined {
    let next: PendingTimer | undefined;
    for (const timer of this.timers) {
      if (!next || timer.due < next.due || (timer.due === next.due && timer.seq < next.seq)) next = timer;
    }
    return next;
  }
}
