import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setImmediate as flush } from 'node:timers/promises';
import { sleepOn, withDeadline } from './clock.ts';
import { FakeClock } from './fake-clock.ts';

test('the fake clock fires due timers in time order, including ones set while firing', () => {
  const clock = new FakeClock(0);
  const fired: string[] = [];
  clock.setTimer(() => fired.push('b@20'), 20);
  clock.setTimer(() => {
    fired.push('a@10');
    clock.setTimer(() => fired.push('c@15'), 5);
  }, 10);
  const cancelled = clock.setTimer(() => fired.push('never'), 12);
  cancelled.cancel();
  clock.advance(19);
  assert.deepEqual(fired, ['a@10', 'c@15']);
  assert.equal(clock.now(), 19);
  clock.advance(1);
  assert.deepEqual(fired, ['a@10', 'c@15', 'b@20']);
  assert.equal(clock.pending(), 0);
});

test('sleepOn wakes on its timer or at once on abort', async () => {
  const clock = new FakeClock(0);
  let woke = false;
  const sleeping = sleepOn(clock, 1000).then(() => { woke = true; });
  clock.advance(999);
  await flush();
  assert.equal(woke, false);
  clock.advance(1);
  await sleeping;
  const abort = new AbortController();
  const interrupted = sleepOn(clock, 60_000, abort.signal);
  abort.abort();
  await interrupted;
  assert.equal(clock.pending(), 0, 'the aborted sleep cancelled its timer');
});

test('withDeadline gives up after its time, and a late failure is not left unhandled', async () => {
  const clock = new FakeClock(0);
  let fail!: (error: Error) => void;
  const work = new Promise<string>((_, reject) => { fail = reject; });
  const result = withDeadline(clock, work, 100);
  clock.advance(100);
  assert.deepEqual(await result, { done: false });
  fail(new Error('too late')); // would crash the test process if unhandled
  await flush();
  assert.deepEqual(await withDeadline(clock, Promise.resolve(7), 100), { done: true, value: 7 });
  await assert.rejects(withDeadline(clock, Promise.reject(new Error('early')), 100), /early/);
  assert.equal(clock.pending(), 0);
});
