import assert from 'node:assert/strict';
import { test } from 'node:test';
import { APICallError } from 'ai';
import { systemClock } from '../../controller/clock.ts';
import { retryAfterMs, RetryAfterTooLongError, withRetries } from './retry.ts';

const apiError = (statusCode: number, headers: Record<string, string> = {}) =>
  new APICallError({ message: `HTTP ${statusCode}`, url: 'http://x', requestBodyValues: {}, statusCode, responseHeaders: headers, isRetryable: statusCode === 429 || statusCode >= 500 });

test('Retry-After in milliseconds, seconds or as a date', () => {
  const now = Date.UTC(2025, 0, 1);
  assert.equal(retryAfterMs(apiError(429, { 'retry-after-ms': '250' }), now), 250);
  assert.equal(retryAfterMs(apiError(429, { 'retry-after': '2' }), now), 2000);
  assert.equal(retryAfterMs(apiError(429, { 'retry-after': new Date(now + 5000).toUTCString() }), now), 5000);
  assert.equal(retryAfterMs(apiError(429, { 'retry-after': 'soon' }), now), undefined);
  assert.equal(retryAfterMs(apiError(503), now), undefined);
});

test('retryable errors are retried up to the limit; others are not', async () => {
  const options = { clock: systemClock(), maxRetries: 2, baseDelayMs: 1, maxDelayMs: 5, deadline: Date.now() + 10_000, signal: new AbortController().signal };
  let calls = 0;
  await assert.rejects(withRetries(async () => { calls++; throw apiError(503); }, options));
  assert.equal(calls, 3);
  calls = 0;
  await assert.rejects(withRetries(async () => { calls++; throw apiError(400); }, options));
  assert.equal(calls, 1);
  calls = 0;
  assert.equal(await withRetries(async () => (++calls < 2 ? Promise.reject(apiError(429, { 'retry-after-ms': '1' })) : 'ok'), options), 'ok');
});

test('a Retry-After past the deadline stops at once', async () => {
  const options = { clock: systemClock(), maxRetries: 2, baseDelayMs: 1, maxDelayMs: 5, deadline: Date.now() + 1000, signal: new AbortController().signal };
  await assert.rejects(withRetries(async () => { throw apiError(429, { 'retry-after': '30' }); }, options), RetryAfterTooLongError);
});
