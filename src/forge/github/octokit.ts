// Octokit as GopherGuard uses it: the throttling plugin (GitHub's secondary limits, the
// primary reset, writes spaced ≥ 1 s and PR creation ≥ 3 s apart, as GitHub asks), and our
// own retry hook on top instead of @octokit/plugin-retry, which ignores Retry-After and
// would retry again a 403/429 that the throttling plugin has already given up on.
import { Octokit } from '@octokit/rest';
import { throttling } from '@octokit/plugin-throttling';
import { createHash } from 'node:crypto';
import { scrubSecrets } from '../errors.ts';
import { decideRetry, isRateLimited, type Failure, type HeaderLookup } from '../retry-policy.ts';
import type { ForgeRuntime } from '../runtime.ts';
import { countForgeRequest } from '../request-counter.ts';

const ThrottledOctokit = Octokit.plugin(throttling);
export type GitHubOctokit = InstanceType<typeof ThrottledOctokit>;

/** The parts of @octokit/request-error's RequestError we read (not a direct dependency). */
export interface OctokitRequestError extends Error {
  status: number;
  response?: { headers: Record<string, string | number | undefined>; data: unknown };
}

export function isOctokitRequestError(error: unknown): error is OctokitRequestError {
  return error instanceof Error && typeof (error as { status?: unknown }).status === 'number' && 'request' in error;
}

export function headerLookup(headers: Record<string, string | number | undefined> | undefined): HeaderLookup {
  return (name) => {
    const value = headers?.[name.toLowerCase()];
    return value === undefined ? undefined : String(value);
  };
}

/** Octokit reports a request that got no answer as status 500 without a response. */
export function failureOf(error: OctokitRequestError): Failure {
  if (!error.response) return { kind: 'network' };
  const headers = headerLookup(error.response.headers);
  return { kind: 'status', status: error.status, headers, rateLimited: isRateLimited(error.status, headers, error.message) };
}

/** The limits the throttling plugin recognises, and so owns: it waits for them, or gives up for good. */
function throttleOwns(error: OctokitRequestError): boolean {
  if (error.status !== 403 && error.status !== 429) return false;
  return /\bsecondary rate\b/i.test(error.message) || headerLookup(error.response?.headers)('x-ratelimit-remaining') === '0';
}

/**
 * The per-attempt timeout goes on fetch itself, so that it starts when the request is
 * sent: the throttling plugin may hold a request back for a while before that.
 */
function withTimeout(base: typeof fetch | undefined, timeoutMs: number): typeof fetch {
  return (input, init) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    // The global is looked up per call, so a test's or proxy's replacement is honoured.
    return (base ?? globalThis.fetch)(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout });
  };
}

export function createOctokit(apiBaseUrl: string, runtime: ForgeRuntime): GitHubOctokit {
  const { log, retry } = runtime;
  const secrets = [runtime.token];
  const say = (level: 'debug' | 'warn') => (message: string) => log(level, scrubSecrets(String(message), secrets), { forge: 'github' });
  // Limits are per token, so instances for the same token and host share the write spacing.
  const id = `gopherguard:${apiBaseUrl}:${createHash('sha256').update(runtime.token).digest('hex').slice(0, 16)}`;
  const allow = (kind: string) => (retryAfterSeconds: number, options: { method: string; url: string }, _octokit: unknown, retryCount: number): boolean => {
    const wanted = retryCount < retry.maxRetries && retryAfterSeconds * 1000 <= retry.maxWaitMs;
    log('warn', `GitHub ${kind} rate limit hit; ${wanted ? 'waiting' : 'giving up for now'}`, { forge: 'github', request: `${options.method} ${options.url}`, retryAfterSeconds, retryCount });
    return wanted;
  };
  const octokit = new ThrottledOctokit({
    auth: runtime.token,
    baseUrl: apiBaseUrl,
    userAgent: runtime.userAgent,
    request: { fetch: withTimeout(runtime.fetch, runtime.timeoutMs) },
    // Octokit logs every failed request as an error; ours are ForgeErrors, reported by the caller.
    log: { debug: () => {}, info: () => {}, warn: say('warn'), error: say('debug') },
    throttle: { id, onRateLimit: allow('primary'), onSecondaryRateLimit: allow('secondary') },
  });
  octokit.hook.wrap('request', async (request, options) => {
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await request(options);
        countForgeRequest('github', 'success');
        return response;
      } catch (error) {
        if (!isOctokitRequestError(error) || throttleOwns(error)) throw error;
        const decision = decideRetry(failureOf(error), attempt, retry, runtime.now());
        countForgeRequest('github', decision.retry ? 'retried' : error.response ? 'error' : 'network');
        if (!decision.retry) throw error;
        log('warn', 'GitHub request failed; retrying', {
          forge: 'github', request: `${options.method} ${options.url}`, status: error.response ? error.status : 0, attempt: attempt + 1, delayMs: decision.delayMs,
        });
        await runtime.sleep(decision.delayMs);
      }
    }
  });
  return octokit;
}
