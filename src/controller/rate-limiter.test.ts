import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from './fake-clock.ts';
import { defaultControllerRateLimiter, exponentialBackoffRateLimiter, tokenBucketRateLimiter } from './rate-limiter.ts';

test('per-key backoff doubles from 1 s, is capped at 5 min, and forget resets it', () => {
  const limiter = exponentialBackoffRateLimiter();
  const delays = Array.from({ length: 11 }, () => limiter.when('ns/a'));
  assert.deepEqual(delays, [1000, 2000, 4000, 8000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000]);
  assert.equal(limiter.numRequeues('ns/a'), 11);
  assert.equal(limiter.when('ns/b'), 1000, 'keys back off independently');
  limiter.forget('ns/a');
  assert.equal(limiter.numRequeues('ns/a'), 0);
  assert.equal(limiter.when('ns/a'), 1000);
  assert.equal(limiter.numRequeues('ns/b'), 1);
});

test('backoff survives thousands of failures without overflowing the cap', () => {
  const limiter = exponentialBackoffRateLimiter({ baseDelayMs: 5, maxDelayMs: 1_000_000 });
  let last = 0;
  for (let i = 0; i < 5000; i += 1) last = limiter.when('k');
  assert.equal(last, 1_000_000);
});

test('invalid limiter settings are refused', () => {
  assert.throws(() => exponentialBackoffRateLimiter({ baseDelayMs: 0 }), RangeError);
  assert.throws(() => exponentialBackoffRateLimiter({ baseDelayMs: 10, maxDelayMs: 5 }), RangeError);
  assert.throws(() => tokenBucketRateLimiter({ qps: 0 }), RangeError);
  assert.throws(() => tokenBucketRateLimiter({ burst: 0 }), RangeError);
});

test('the token bucket lets a burst through, then spaces reservations at 1/qps, and refills', () => {
  const clock = new FakeClock();
  const bucket = tokenBucketRateLimiter({ qps: 10, burst: 3, clock });
  assert.deepEqual(Array.from({ length: 5 }, (_, i) => bucket.when(`k${i}`)), [0, 0, 0, 100, 200]);
  clock.advance(1000); // 10 tokens' worth, but the bucket holds 3 and owed 2
  assert.deepEqual(Array.from({ length: 4 }, (_, i) => bucket.when(`k${i}`)), [0, 0, 0, 100]);
  assert.equal(bucket.numRequeues('k0'), 0, 'the bucket counts nothing per key');
});

test('the default controller limiter is the larger of per-key backoff and a 10 qps / 100 burst bucket', () => {
  const clock = new FakeClock();
  const limiter = defaultControllerRateLimiter({ baseDelayMs: 5, clock });
  const delays = Array.from({ length: 150 }, (_, i) => limiter.when(`key-${i}`));
  assert.ok(delays.slice(0, 100).every((d) => d === 5), 'the first 100 keys only wait their own backoff');
  assert.equal(delays[100], 100);
  assert.equal(delays[149], 5000, 'the 150th key waits for the 50th token after the burst');

  const fresh = defaultControllerRateLimiter({ clock: new FakeClock() });
  assert.deepEqual([fresh.when('a'), fresh.when('a'), fresh.when('a')], [1000, 2000, 4000], 'defaults: 1 s base');
  assert.equal(fresh.numRequeues('a'), 3);
  fresh.forget('a');
  assert.equal(fresh.when('a'), 1000);
});
