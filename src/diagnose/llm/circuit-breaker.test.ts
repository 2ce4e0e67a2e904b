import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../controller/fake-clock.ts';
import { CircuitBreaker } from './circuit-breaker.ts';

test('closed, open after N failures in a row, half-open with one trial, closed again on success', () => {
  const clock = new FakeClock();
  const breaker = new CircuitBreaker(clock, { failureThreshold: 3, cooldownMs: 10_000 });
  breaker.failure();
  breaker.failure();
  breaker.success(); // a success in between resets the count
  breaker.failure();
  breaker.failure();
  assert.equal(breaker.state, 'closed');
  breaker.failure();
  assert.equal(breaker.state, 'open');
  assert.equal(breaker.tryAcquire(), false);
  assert.equal(breaker.retryInSeconds(), 10);
  clock.advance(10_000);
  assert.equal(breaker.state, 'half-open');
  assert.equal(breaker.tryAcquire(), true);
  assert.equal(breaker.tryAcquire(), false, 'one trial at a time');
  breaker.success();
  assert.equal(breaker.state, 'closed');
  assert.equal(breaker.tryAcquire(), true);
});

test('a failed trial opens the circuit for another cooldown', () => {
  const clock = new FakeClock();
  const breaker = new CircuitBreaker(clock, { failureThreshold: 1, cooldownMs: 5_000 });
  breaker.failure();
  clock.advance(5_000);
  assert.equal(breaker.tryAcquire(), true);
  breaker.failure();
  assert.equal(breaker.state, 'open');
  clock.advance(4_999);
  assert.equal(breaker.tryAcquire(), false);
  clock.advance(1);
  assert.equal(breaker.tryAcquire(), true);
});
