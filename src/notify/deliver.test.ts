import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoff, DEFAULT_RETRY, deliver, describe as describeError, retryAfterMs, scrubUrl, type DeliverOptions } from './deliver.ts';

const NOW = Date.parse('2026-03-01T10:00:00Z');
const URL_ = 'https://hooks.slack.com/services/T000/B000/sEcReTtOkEn';

function options(responses: Array<Response | Error>, sleeps: number[] = [], retries: number[] = []): DeliverOptions & { calls: RequestInit[] } {
  const calls: RequestInit[] = [];
  return {
    calls,
    fetch: async (_url, init) => {
      calls.push(init ?? {});
      const next = responses.shift();
      if (!next) throw new Error('no more answers');
      if (next instanceof Error) throw next;
      return next;
    },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    now: () => NOW,
    random: () => 0,
    retry: DEFAULT_RETRY,
    timeoutMs: 5000,
    userAgent: 'test',
    signal: new AbortController().signal,
    onRetry: (why) => retries.push(why.attempt),
  };
}

describe('deliver', () => {
  it('posts JSON, and retries a 429 after its Retry-After', async () => {
    const sleeps: number[] = [];
    const o = options([new Response('rate_limited', { status: 429, headers: { 'retry-after': '2' } }), new Response('ok')], sleeps);
    assert.deepEqual(await deliver(URL_, '{"text":"hi"}', o), { ok: true, attempts: 2, status: 200 });
    assert.deepEqual(sleeps, [2000]);
    assert.equal(o.calls[0]?.method, 'POST');
    assert.deepEqual(o.calls[0]?.headers, { 'content-type': 'application/json', 'user-agent': 'test' });
    assert.equal(o.calls[0]?.redirect, 'manual');
  });

  it('prefers Discord\'s retry_after in the body, with its fraction', async () => {
    const sleeps: number[] = [];
    const limited = new Response('{"message":"You are being rate limited.","retry_after":0.5,"global":false}', { status: 429, headers: { 'retry-after': '1', 'content-type': 'application/json' } });
    assert.equal((await deliver(URL_, '{}', options([limited, new Response(null, { status: 204 })], sleeps))).ok, true);
    assert.deepEqual(sleeps, [500]);
  });

  it('retries 5xx and network errors with growing backoff, 3 attempts in all', async () => {
    const sleeps: number[] = [];
    const retries: number[] = [];
    const result = await deliver(URL_, '{}', options([new Response('', { status: 503 }), new TypeError('fetch failed'), new Response('', { status: 502 })], sleeps, retries));
    assert.deepEqual(result, { ok: false, attempts: 3, status: 502, reason: 'still 502 after 3 attempts', answer: '' });
    assert.deepEqual(sleeps, [500, 1000]);
    assert.deepEqual(retries, [1, 2]);
  });

  it('gives up at once on other 4xx, with the answer for the log', async () => {
    const o = options([new Response('invalid_blocks', { status: 400 })]);
    assert.deepEqual(await deliver(URL_, '{}', o), { ok: false, attempts: 1, status: 400, reason: 'refused with 400', answer: 'invalid_blocks' });
    assert.equal(o.calls.length, 1);
  });

  it('does not wait longer than maxRetryAfterMs', async () => {
    const result = await deliver(URL_, '{}', options([new Response('', { status: 429, headers: { 'retry-after': '3600' } })]));
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.reason, /asked to wait 3600 s/);
  });

  it('reads Retry-After as seconds or a date, and backs off with jitter', () => {
    assert.equal(retryAfterMs(new Headers({ 'retry-after': '1' }), '', NOW), 1000);
    assert.equal(retryAfterMs(new Headers({ 'retry-after': new Date(NOW + 4000).toUTCString() }), '', NOW), 4000);
    assert.equal(retryAfterMs(new Headers(), '{"retry_after": 1.25}', NOW), 1250);
    assert.equal(retryAfterMs(new Headers(), 'nope', NOW), undefined);
    assert.equal(backoff(1, DEFAULT_RETRY, () => 1), 1000);
    assert.equal(backoff(10, DEFAULT_RETRY, () => 1), DEFAULT_RETRY.maxDelayMs);
  });

  it('never lets the webhook URL into an error message', () => {
    const error = new TypeError(`fetch failed for ${URL_}`, { cause: Object.assign(new Error('connect ECONNREFUSED /services/T000/B000/sEcReTtOkEn'), { code: 'ECONNREFUSED' }) });
    const text = describeError(error, URL_);
    assert.ok(!text.includes('sEcReTtOkEn'), text);
    assert.match(text, /ECONNREFUSED/);
    assert.equal(scrubUrl(`x ${URL_}?a=1 y`, `${URL_}?a=1`), 'x [webhook URL] y');
  });
});
