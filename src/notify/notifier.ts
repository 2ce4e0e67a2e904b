// Sends notifications without ever holding up the operator: notify() decides at once
// whether a message goes (subscribed, not a duplicate, within the target's rate) and puts
// it on a bounded queue; workers build, post and retry it in the background.
import { setImmediate } from 'node:timers';
import type { HealingIncident } from '../api/healing-incident.ts';
import type { MessageInput, Redact, Style } from './content.ts';
import { DEFAULT_RETRY, deliver, sleep, type RetryOptions, type Sleep } from './deliver.ts';
import { buildDiscordMessage } from './discord.ts';
import { eventKey, toEvent, type EventName, type NotificationEvent } from './events.ts';
import { DEFAULT_RATE_LIMIT, SeenKeys, TokenBucket, type RateLimit } from './limits.ts';
import { buildSlackMessage } from './slack.ts';
import { checkUrl, targetId, TARGET_TYPES, type NotificationTarget, type TargetType } from './targets.ts';
import { buildWebhookPayload } from './webhook.ts';

/** The operator's log function (src/operator/operator.ts `Log`). */
export type NotifyLog = (level: 'debug' | 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

export interface NotifierOptions {
  targets: readonly NotificationTarget[];
  redact: Redact;
  log?: NotifyLog;
  /** Per target. Excess messages are dropped, counted and logged. */
  rateLimit?: RateLimit;
  /** How long, and how many, announced events are remembered (default 24 h, 10,000). */
  dedupe?: { ttlMs: number; maxEntries: number };
  /** Messages waiting in all (default 100; the oldest goes when full) and sent at once (default 4). */
  queue?: { capacity: number; concurrency: number };
  retry?: RetryOptions;
  /** Per request (default 5 s). */
  timeoutMs?: number;
  userAgent?: string;
  fetch?: typeof fetch;
  now?: () => number;
  sleep?: Sleep;
  random?: () => number;
}

export interface TargetCounters {
  sent: number;
  /** Given up: a 4xx, or retries used up. */
  failed: number;
  /** Not sent: over the rate limit, pushed out of a full queue, or abandoned at close. */
  dropped: number;
  /** Extra attempts made. */
  retried: number;
  /** Not queued: announced already. */
  deduplicated: number;
}

export interface NotifierStats {
  byType: Record<TargetType, TargetCounters>;
  queued: number;
  inFlight: number;
}

/** What one notify() call did, target by target. */
export interface NotifyResult {
  queued: number;
  duplicates: number;
  rateLimited: number;
  /** Targets not subscribed to the event. */
  unsubscribed: number;
}

interface Target {
  id: string;
  type: TargetType;
  url: string;
  /** What logs may say about where the message went. */
  host: string;
  style: Style;
  events: ReadonlySet<EventName> | undefined;
  bucket: TokenBucket;
  droppedSinceWarning: number;
  lastWarning: number;
}

interface Job {
  target: Target;
  incident: HealingIncident;
  event: NotificationEvent;
  key: string;
  at: string;
}

const BUILDERS: Record<TargetType, (input: MessageInput) => unknown> = {
  slack: buildSlackMessage,
  discord: buildDiscordMessage,
  webhook: buildWebhookPayload,
};

// One rate-limit warning per target per minute, with the count since the last one.
const WARNING_INTERVAL_MS = 60_000;

export class Notifier {
  readonly #options: NotifierOptions;
  readonly #log: NotifyLog;
  readonly #now: () => number;
  readonly #sleep: Sleep;
  readonly #fetch: typeof fetch;
  readonly #seen: SeenKeys;
  readonly #capacity: number;
  readonly #concurrency: number;
  readonly #counters = Object.fromEntries(TARGET_TYPES.map((t) => [t, { sent: 0, failed: 0, dropped: 0, retried: 0, deduplicated: 0 }])) as Record<TargetType, TargetCounters>;
  readonly #queue: Job[] = [];
  readonly #busy = new Set<string>();
  readonly #abort = new AbortController();
  #idleWaiters: Array<() => void> = [];
  #targets: Target[] = [];
  #inFlight = 0;
  #scheduled = false;
  #closed = false;

  constructor(options: NotifierOptions) {
    this.#options = options;
    this.#log = options.log ?? (() => {});
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? sleep;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#seen = new SeenKeys(options.dedupe?.ttlMs ?? 24 * 3600_000, options.dedupe?.maxEntries ?? 10_000);
    this.#capacity = options.queue?.capacity ?? 100;
    this.#concurrency = options.queue?.concurrency ?? 4;
    if (!(this.#capacity >= 1) || !(this.#concurrency >= 1)) throw new RangeError('the queue needs capacity >= 1 and concurrency >= 1');
    this.setTargets(options.targets);
  }

  /**
   * Replaces the targets (a watch or its Secret changed). A target whose type and URL
   * stay keeps its rate budget and what it was sent.
   */
  setTargets(targets: readonly NotificationTarget[]): void {
    const before = new Map(this.#targets.map((t) => [t.id, t]));
    const next: Target[] = [];
    for (const [index, target] of targets.entries()) {
      const checked = checkUrl(target);
      if (!checked.ok) {
        this.#log('warn', 'notification target skipped: its URL is not usable', { target: target.type, index, reason: checked.reason });
        continue;
      }
      const id = targetId(target);
      const kept = before.get(id);
      next.push({
        id,
        type: target.type,
        url: target.url,
        host: checked.host,
        style: target.style,
        events: target.events ? new Set(target.events) : undefined,
        bucket: kept?.bucket ?? new TokenBucket(this.#options.rateLimit ?? DEFAULT_RATE_LIMIT, this.#now()),
        droppedSinceWarning: kept?.droppedSinceWarning ?? 0,
        lastWarning: kept?.lastWarning ?? -Infinity,
      });
    }
    this.#targets = next;
  }

  /**
   * Queues the event's message for every target that wants it, and returns at once: the
   * message is built, redacted and sent in the background.
   */
  notify(incident: HealingIncident, given: NotificationEvent | EventName): NotifyResult {
    const result: NotifyResult = { queued: 0, duplicates: 0, rateLimited: 0, unsubscribed: 0 };
    const event = toEvent(given);
    if (this.#closed) {
      this.#log('debug', 'notifier closed; notification not sent', { event: event.name, incident: nameOf(incident) });
      return result;
    }
    const now = this.#now();
    const at = new Date(now).toISOString();
    const incidentKey = eventKey(incident, event);
    for (const target of this.#targets) {
      if (target.events && !target.events.has(event.name)) {
        result.unsubscribed++;
        continue;
      }
      const key = `${target.id}|${incidentKey}`;
      if (!this.#seen.add(key, now)) {
        result.duplicates++;
        this.#counters[target.type].deduplicated++;
        continue;
      }
      if (!target.bucket.take(now)) {
        // Forgotten again: it was never sent, so a later identical call may try.
        this.#seen.delete(key);
        result.rateLimited++;
        this.#rateLimited(target, now);
        continue;
      }
      this.#enqueue({ target, incident, event, key, at });
      result.queued++;
    }
    if (result.queued) this.#schedule();
    return result;
  }

  stats(): NotifierStats {
    const byType = Object.fromEntries(TARGET_TYPES.map((t) => [t, { ...this.#counters[t] }])) as Record<TargetType, TargetCounters>;
    return { byType, queued: this.#queue.length, inFlight: this.#inFlight };
  }

  /** Resolves when nothing is queued or being sent. */
  idle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /**
   * Stops taking messages and sends what is queued, for at most `deadlineMs`; then
   * aborts what is in flight and drops the rest (counted, with one warning).
   */
  async close(deadlineMs = 10_000): Promise<{ drained: boolean; abandoned: number }> {
    this.#closed = true;
    if (this.#isIdle()) return { drained: true, abandoned: 0 };
    const stopWaiting = new AbortController();
    const outcome = await Promise.race([
      this.idle().then(() => 'drained' as const),
      this.#sleep(deadlineMs, stopWaiting.signal).then(() => 'deadline' as const),
    ]);
    stopWaiting.abort();
    if (outcome === 'drained') return { drained: true, abandoned: 0 };
    const abandoned = this.#queue.splice(0);
    for (const job of abandoned) this.#counters[job.target.type].dropped++;
    const inFlight = this.#inFlight;
    this.#abort.abort();
    await this.idle();
    this.#log('warn', 'notifier closed before every notification was sent', { abandoned: abandoned.length + inFlight, deadlineMs });
    return { drained: false, abandoned: abandoned.length + inFlight };
  }

  #enqueue(job: Job): void {
    if (this.#queue.length >= this.#capacity) {
      const oldest = this.#queue.shift();
      if (oldest) {
        this.#counters[oldest.target.type].dropped++;
        this.#seen.delete(oldest.key);
        this.#log('warn', 'notification queue full; dropped the oldest notification', { ...fieldsOf(oldest), capacity: this.#capacity });
      }
    }
    this.#queue.push(job);
  }

  #rateLimited(target: Target, now: number): void {
    this.#counters[target.type].dropped++;
    target.droppedSinceWarning++;
    if (now - target.lastWarning < WARNING_INTERVAL_MS) return;
    this.#log('warn', 'notification rate limit reached; dropping notifications to this target', {
      target: target.type, host: target.host, dropped: target.droppedSinceWarning, limit: this.#options.rateLimit ?? DEFAULT_RATE_LIMIT,
    });
    target.droppedSinceWarning = 0;
    target.lastWarning = now;
  }

  // Work starts on a later turn of the event loop, so notify() never pays for building,
  // redacting or sending, even the first message.
  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#pump();
    });
  }

  /** Starts jobs up to the concurrency, one at a time per target so its messages keep their order. */
  #pump(): void {
    while (this.#inFlight < this.#concurrency) {
      const index = this.#queue.findIndex((job) => !this.#busy.has(job.target.id));
      if (index < 0) break;
      const [job] = this.#queue.splice(index, 1);
      if (!job) break;
      this.#busy.add(job.target.id);
      this.#inFlight++;
      void this.#run(job).finally(() => {
        this.#busy.delete(job.target.id);
        this.#inFlight--;
        this.#pump();
      });
    }
    if (this.#isIdle()) for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }

  async #run(job: Job): Promise<void> {
    const { target } = job;
    const counters = this.#counters[target.type];
    let body: string;
    try {
      body = JSON.stringify(BUILDERS[target.type]({ incident: job.incident, event: job.event, style: target.style, redact: this.#options.redact, at: job.at }));
    } catch (error) {
      counters.failed++;
      this.#log('error', 'notification could not be built', { ...fieldsOf(job), error: error instanceof Error ? error.message : String(error) });
      return;
    }
    try {
      const result = await deliver(target.url, body, {
        fetch: this.#fetch,
        sleep: this.#sleep,
        now: this.#now,
        random: this.#options.random ?? Math.random,
        retry: this.#options.retry ?? DEFAULT_RETRY,
        timeoutMs: this.#options.timeoutMs ?? 5000,
        userAgent: this.#options.userAgent ?? 'GopherGuard-Notifier/1',
        signal: this.#abort.signal,
        onRetry: (why) => {
          counters.retried++;
          this.#log('info', 'notification not delivered yet; retrying', { ...fieldsOf(job), ...why });
        },
      });
      if (result.ok) {
        counters.sent++;
        this.#log('debug', 'notification sent', { ...fieldsOf(job), status: result.status, attempts: result.attempts });
        return;
      }
      this.#seen.delete(job.key);
      if (this.#abort.signal.aborted) {
        counters.dropped++;
        return;
      }
      counters.failed++;
      this.#log('warn', 'notification not delivered; giving up', {
        ...fieldsOf(job), status: result.status, attempts: result.attempts, reason: result.reason, ...(result.answer ? { answer: result.answer } : {}),
      });
    } catch (error) {
      // deliver() handles the errors it expects; this is a bug, and must not stop the queue.
      counters.failed++;
      this.#log('error', 'notification failed unexpectedly', { ...fieldsOf(job), error: error instanceof Error ? error.message : String(error) });
    }
  }

  #isIdle(): boolean {
    return this.#queue.length === 0 && this.#inFlight === 0 && !this.#scheduled;
  }
}

/** Log fields for a job: the target's type and host, never its URL. */
function fieldsOf(job: Job): Record<string, unknown> {
  return {
    target: job.target.type,
    host: job.target.host,
    event: job.event.followUp ? `${job.event.name}:${job.event.followUp}` : job.event.name,
    incident: nameOf(job.incident),
  };
}

function nameOf(incident: HealingIncident): string {
  return `${incident.metadata.namespace ?? ''}/${incident.metadata.name ?? ''}`;
}
