// A small JSON client on fetch for the forges without an SDK worth its size (GitLab,
// Gitea): auth header, timeout, bounded retries by retry-policy.ts, a pause while a
// rate-limit window is exhausted, and every failure as a ForgeError without the token.
import type { z } from 'zod';
import { ForgeError, errorFromStatus, networkError, scrubSecrets, serverMessage, FORGE_LABELS } from './errors.ts';
import { decideRetry, isRateLimited, retryAfterMs, type HeaderLookup, type RetryPolicy } from './retry-policy.ts';
import type { ForgeKind, ForgeLog } from './types.ts';
import { countForgeRequest } from './request-counter.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One call, described as data so that request building can be tested without a server. */
export interface HttpRequest {
  method: HttpMethod;
  /** Relative to the API root, already percent-encoded where the forge wants it. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** In words, for errors and logs: "create merge request on group/app". */
  operation: string;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

export interface HttpClientOptions {
  forge: ForgeKind;
  /** The API root, e.g. `https://gitlab.com/api/v4`. */
  baseUrl: string;
  /** The auth header(s). Never logged, never put in an error. */
  headers: Record<string, string>;
  /** Values to scrub from any message (the token). */
  secrets: readonly string[];
  retry: RetryPolicy;
  timeoutMs: number;
  userAgent: string;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  log?: ForgeLog;
}

export interface HttpClient {
  send(request: HttpRequest): Promise<HttpResponse>;
  /** send, then hold the body to `schema`; a mismatch is a `bad-response` ForgeError. */
  json<S extends z.ZodType>(request: HttpRequest, schema: S): Promise<z.output<S>>;
}

export function buildUrl(baseUrl: string, request: Pick<HttpRequest, 'path' | 'query'>): string {
  const root = baseUrl.replace(/\/+$/, '');
  const path = request.path.startsWith('/') ? request.path : `/${request.path}`;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(request.query ?? {})) if (value !== undefined) params.set(key, String(value));
  const search = params.toString();
  return `${root}${path}${search ? `?${search}` : ''}`;
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const doFetch: typeof fetch = options.fetch ?? ((input, init) => fetch(input, init));
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => {});
  // Set when an answer says the window is used up; later calls wait (or fail fast) until then.
  let blockedUntil = 0;

  async function send(request: HttpRequest): Promise<HttpResponse> {
    const url = buildUrl(options.baseUrl, request);
    const where = `${request.method} ${request.path}`;
    for (let attempt = 0; ; attempt++) {
      await respectWindow(request);
      let response: Response;
      let body: unknown;
      try {
        response = await doFetch(url, {
          method: request.method,
          headers: {
            ...options.headers,
            accept: 'application/json',
            'user-agent': options.userAgent,
            ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        // Read inside the try: a connection can also drop in the middle of the body.
        body = await readBody(response);
      } catch (cause) {
        const decision = decideRetry({ kind: 'network' }, attempt, options.retry, now());
        countForgeRequest(options.forge, decision.retry ? 'retried' : 'network');
        if (!decision.retry) throw networkError(options.forge, request.operation, cause, options.secrets);
        log('warn', 'forge request got no answer; retrying', { forge: options.forge, request: where, attempt: attempt + 1, delayMs: decision.delayMs });
        await sleep(decision.delayMs);
        continue;
      }
      const headers: HeaderLookup = (name) => response.headers.get(name) ?? undefined;
      noteWindow(headers);
      if (response.ok) {
        countForgeRequest(options.forge, 'success');
        return { status: response.status, headers: response.headers, body };
      }
      const said = scrubSecrets(serverMessage(body), options.secrets);
      const rateLimited = isRateLimited(response.status, headers, said);
      const decision = decideRetry({ kind: 'status', status: response.status, headers, rateLimited }, attempt, options.retry, now());
      countForgeRequest(options.forge, decision.retry ? 'retried' : 'error');
      if (decision.retry) {
        log('warn', 'forge request failed; retrying', { forge: options.forge, request: where, status: response.status, attempt: attempt + 1, delayMs: decision.delayMs });
        await sleep(decision.delayMs);
        continue;
      }
      throw errorFromStatus({
        forge: options.forge,
        operation: request.operation,
        status: response.status,
        said,
        rateLimited,
        retryAfterMs: rateLimited ? (decision.retryAfterMs ?? retryAfterMs(headers, now())) : undefined,
        secrets: options.secrets,
      });
    }
  }

  function noteWindow(headers: HeaderLookup): void {
    const left = headers('ratelimit-remaining') ?? headers('x-ratelimit-remaining');
    if (left === undefined || Number(left) > 0) return;
    const wait = retryAfterMs(headers, now());
    if (wait !== undefined) blockedUntil = Math.max(blockedUntil, now() + wait);
  }

  async function respectWindow(request: HttpRequest): Promise<void> {
    const wait = blockedUntil - now();
    if (wait <= 0) return;
    if (wait > options.retry.maxWaitMs) {
      throw new ForgeError({
        forge: options.forge,
        code: 'rate-limited',
        status: 429,
        retryable: true,
        operation: request.operation,
        retryAfterMs: wait,
        message: `${FORGE_LABELS[options.forge]}: ${request.operation} not sent: the rate-limit window is used up for another ${Math.ceil(wait / 1000)} s`,
      });
    }
    log('info', 'forge rate-limit window used up; waiting for its reset', { forge: options.forge, delayMs: wait });
    await sleep(wait);
  }

  async function json<S extends z.ZodType>(request: HttpRequest, schema: S): Promise<z.output<S>> {
    const response = await send(request);
    const parsed = schema.safeParse(response.body);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    throw new ForgeError({
      forge: options.forge,
      code: 'bad-response',
      status: response.status,
      retryable: false,
      operation: request.operation,
      message: `${FORGE_LABELS[options.forge]}: ${request.operation}: unexpected answer to ${request.method} ${request.path} (${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}); is the API URL right and the forge version supported?`,
    });
  }

  return { send, json };
}

async function readBody(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
