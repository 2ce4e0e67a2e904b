// One webhook POST with its retries. Slack and Discord answer 429 with how long to wait
// (Slack: the Retry-After header; Discord: `retry_after` in the JSON body, in seconds with
// a fraction, and the header rounded up), and a 5xx or a lost connection may pass; any
// other 4xx (a deleted webhook, a payload refused) will not change by itself.
import { z } from 'zod';

export interface RetryOptions {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Backoff for 5xx and network errors: base·2^n, capped, with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A longer wait asked for by a 429 is not honoured: the message is given up. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 10_000, maxRetryAfterMs: 60_000 };

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface DeliverOptions {
  fetch: typeof fetch;
  sleep: Sleep;
  now: () => number;
  random: () => number;
  retry: RetryOptions;
  timeoutMs: number;
  userAgent: string;
  /** Aborts the request and any wait (the notifier's close deadline). */
  signal: AbortSignal;
  /** Before each retry, for counters and a log line. */
  onRetry: (why: RetryReason) => void;
}

export interface RetryReason {
  attempt: number;
  delayMs: number;
  status?: number;
  error?: string;
}

export type DeliveryResult =
  | { ok: true; attempts: number; status: number }
  | { ok: false; attempts: number; status?: number; reason: string; answer?: string };

// Enough of an error answer to log ("invalid_blocks", Discord's {"message", "code"}).
const ANSWER_CHARS = 300;
// A receiver could answer with a lot; nothing past this is read.
const MAX_READ = 16_384;

const DiscordRateLimit = z.object({ retry_after: z.number().nonnegative() });

export async function deliver(url: string, body: string, options: DeliverOptions): Promise<DeliveryResult> {
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    let answer: string;
    try {
      response = await options.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': options.userAgent },
        body,
        // A redirect is not followed: it would turn the POST into a GET, or send the
        // message somewhere the webhook's owner did not choose.
        redirect: 'manual',
        signal: AbortSignal.any([AbortSignal.timeout(options.timeoutMs), options.signal]),
      });
      answer = await readSome(response, MAX_READ);
    } catch (error) {
      if (options.signal.aborted) return { ok: false, attempts: attempt, reason: 'abandoned at shutdown' };
      const message = describe(error, url);
      if (attempt >= options.retry.maxAttempts) return { ok: false, attempts: attempt, reason: `no answer: ${message}` };
      const delayMs = backoff(attempt, options.retry, options.random);
      options.onRetry({ attempt, delayMs, error: message });
      await options.sleep(delayMs, options.signal);
      continue;
    }
    if (response.status >= 200 && response.status < 300) return { ok: true, attempts: attempt, status: response.status };
    const short = answer.slice(0, ANSWER_CHARS);
    const retryable = response.status === 429 || response.status >= 500;
    if (!retryable) return { ok: false, attempts: attempt, status: response.status, reason: `refused with ${response.status}`, answer: short };
    if (attempt >= options.retry.maxAttempts) return { ok: false, attempts: attempt, status: response.status, reason: `still ${response.status} after ${attempt} attempts`, answer: short };
    const asked = retryAfterMs(response.headers, answer, options.now());
    if (asked !== undefined && asked > options.retry.maxRetryAfterMs) {
      return { ok: false, attempts: attempt, status: response.status, reason: `asked to wait ${Math.ceil(asked / 1000)} s, longer than ${options.retry.maxRetryAfterMs / 1000} s`, answer: short };
    }
    const delayMs = asked ?? backoff(attempt, options.retry, options.random);
    options.onRetry({ attempt, delayMs, status: response.status });
    await options.sleep(delayMs, options.signal);
    if (options.signal.aborted) return { ok: false, attempts: attempt, status: response.status, reason: 'abandoned at shutdown' };
  }
}

/**
 * The wait a rate-limited answer asks for: Discord's `retry_after` (seconds, with a
 * fraction, more precise than its header), else `Retry-After` in seconds or as an HTTP date.
 */
export function retryAfterMs(headers: Headers, body: string, now: number): number | undefined {
  if (body.startsWith('{')) {
    try {
      const parsed = DiscordRateLimit.safeParse(JSON.parse(body));
      if (parsed.success) return Math.ceil(parsed.data.retry_after * 1000);
    } catch {
      // not JSON after all; the header may still say
    }
  }
  const header = headers.get('retry-after')?.trim();
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential with "equal jitter": at least half the step, so waits still grow. */
export function backoff(attempt: number, retry: RetryOptions, random: () => number): number {
  const step = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

async function readSome(response: Response, max: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < max) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  if (size >= max) await reader.cancel();
  return Buffer.concat(chunks).subarray(0, max).toString('utf8');
}

/**
 * An error in words, without the webhook URL: the URL is the secret (Slack's and
 * Discord's carry their token in the path), and fetch's errors may quote it.
 */
export function describe(error: unknown, url: string): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 3; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    parts.push(typeof code === 'string' ? `${e.message} (${code})` : e.message);
  }
  const text = parts.length ? parts.join(': ') : String(error);
  return scrubUrl(text, url);
}

export function scrubUrl(text: string, url: string): string {
  let out = text.split(url).join('[webhook URL]');
  try {
    const { pathname, search } = new URL(url);
    if (pathname.length > 1) out = out.split(pathname).join('[path]');
    if (search.length > 1) out = out.split(search).join('');
  } catch {
    // not a URL: nothing more to take out
  }
  return out;
}

/** setTimeout as a promise that ends early, without error, when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
