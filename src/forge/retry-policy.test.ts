import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoff, decideRetry, isRateLimited, retryAfterMs, type HeaderLookup, type RetryPolicy } from './retry-policy.ts';

const policy: RetryPolicy = { maxRetries: 3, baseDelayMs: 1000, maxDelayMs: 30_000, maxWaitMs: 60_000 };
const headers = (h: Record<string, string>): HeaderLookup => (name) => h[name];
const NOW = Date.parse('2026-01-02T03:04:05Z');
const status = (code: number, h: Record<string, string> = {}, message = '') => ({
  kind: 'status' as const, status: code, headers: headers(h), rateLimited: isRateLimited(code, headers(h), message),
});

describe('retry policy', () => {
  it('reads Retry-After as seconds or an HTTP date, else the reset of an exhausted window', () => {
    assert.equal(retryAfterMs(headers({ 'retry-after': '2' }), NOW), 2000);
    assert.equal(retryAfterMs(headers({ 'retry-after': new Date(NOW + 5000).toUTCString() }), NOW), 5000);
    assert.equal(retryAfterMs(headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 10) }), NOW), 11_000);
    assert.equal(retryAfterMs(headers({ 'ratelimit-remaining': '0', 'ratelimit-reset': String(NOW / 1000 + 3) }), NOW), 4000);
    assert.equal(retryAfterMs(headers({ 'x-ratelimit-remaining': '10', 'x-ratelimit-reset': String(NOW / 1000 + 10) }), NOW), undefined);
  });

  it('counts 429, and 403s that say so, as rate limits', () => {
    assert.equal(isRateLimited(429, headers({}), ''), true);
    assert.equal(isRateLimited(403, headers({ 'x-ratelimit-remaining': '0' }), ''), true);
    assert.equal(isRateLimited(403, headers({}), 'You have exceeded a secondary rate limit.'), true);
    assert.equal(isRateLimited(403, headers({}), 'Resource not accessible by integration'), false);
  });

  it('retries 500/502/503/504 and lost connections with growing backoff', () => {
    for (const code of [500, 502, 503, 504]) assert.equal(decideRetry(status(code), 0, policy, NOW, () => 0).retry, true, String(code));
    assert.deepEqual(decideRetry({ kind: 'network' }, 0, policy, NOW, () => 0), { retry: true, delayMs: 500 });
    assert.deepEqual(decideRetry({ kind: 'network' }, 2, policy, NOW, () => 1), { retry: true, delayMs: 4000 });
    assert.equal(backoff(20, policy, () => 1), 30_000);
  });

  it('never retries other 4xx, nor 5xx that will not change (501, a fake\'s 599)', () => {
    for (const code of [400, 401, 403, 404, 409, 410, 422, 501, 599]) {
      assert.deepEqual(decideRetry(status(code), 0, policy, NOW), { retry: false, retryAfterMs: undefined }, String(code));
    }
  });

  it('honours Retry-After on 429 and 503, up to maxWaitMs; longer waits go back to the caller', () => {
    assert.deepEqual(decideRetry(status(429, { 'retry-after': '7' }), 0, policy, NOW), { retry: true, delayMs: 7000 });
    assert.deepEqual(decideRetry(status(503, { 'retry-after': '3' }), 0, policy, NOW), { retry: true, delayMs: 3000 });
    assert.deepEqual(decideRetry(status(429, { 'retry-after': '3600' }), 0, policy, NOW), { retry: false, retryAfterMs: 3_600_000 });
  });

  it('stops after maxRetries', () => {
    assert.equal(decideRetry(status(502), 2, policy, NOW).retry, true);
    assert.equal(decideRetry(status(502), 3, policy, NOW).retry, false);
    assert.deepEqual(decideRetry(status(429, { 'retry-after': '1' }), 3, policy, NOW), { retry: false, retryAfterMs: 1000 });
  });
});
