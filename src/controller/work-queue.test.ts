import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setImmediate as flush } from 'node:timers/promises';
import { FakeClock } from './fake-clock.ts';
import { runWorkers } from './run-workers.ts';
import { WorkQueue } from './work-queue.ts';

test('1,000 adds of one key are processed once', async () => {
  const queue = new WorkQueue({ clock: new FakeClock() });
  for (let i = 0; i < 1000; i += 1) queue.add('ns/app');
  assert.equal(queue.len(), 1);
  const runs: string[] = [];
  const workers = runWorkers(queue, 4, async (key) => void runs.push(key));
  await flush();
  queue.shutDown();
  await workers;
  assert.deepEqual(runs, ['ns/app']);
});

test('a key added during its own reconcile runs once more afterwards, never concurrently', { timeout: 10_000 }, async () => {
  const queue = new WorkQueue({ clock: new FakeClock() });
  const active = new Map<string, number>();
  const runs = new Map<string, number>();
  let maxActive = 0;
  let overlaps = 0;
  const workers = runWorkers(queue, 4, async (key) => {
    const now = (active.get(key) ?? 0) + 1;
    active.set(key, now);
    if (now > 1) overlaps += 1;
    maxActive = Math.max(maxActive, [...active.values()].reduce((a, b) => a + b, 0));
    const run = (runs.get(key) ?? 0) + 1;
    runs.set(key, run);
    for (let i = 0; i < 5; i += 1) {
      // Events keep arriving for the hot key while it is reconciled, and for others.
      if (key === 'ns/hot' && run === 1) {
        queue.add(key);
        queue.add(`other-${i}`);
      }
      await flush();
    }
    active.set(key, (active.get(key) ?? 1) - 1);
  });
  queue.add('ns/hot');
  for (let i = 0; i < 50 && (runs.get('ns/hot') ?? 0) < 2; i += 1) await flush();
  await queue.shutDownWithDrain();
  await workers;
  assert.equal(overlaps, 0, 'no key was reconciled by two workers at once');
  assert.equal(runs.get('ns/hot'), 2, 'processed once more after the adds during its reconcile, and only once');
  assert.ok(maxActive > 1, 'the other workers were busy meanwhile, so concurrency was real');
});

test('addAfter hands keys out in time order, not before their time, keeping the earliest time per key', async () => {
  const clock = new FakeClock();
  const queue = new WorkQueue({ clock });
  queue.addAfter('c', 300);
  queue.addAfter('a', 100);
  queue.addAfter('b', 200);
  queue.addAfter('a', 250); // later than the pending 100 ms: ignored
  queue.addAfter('c', 150); // earlier than the pending 300 ms: moves up
  queue.addAfter('now', 0);
  assert.deepEqual(queue.stats(), { depth: 1, inFlight: 0, waiting: 3, retries: 0 });
  clock.advance(99);
  assert.equal(queue.len(), 1);
  clock.advance(1);
  assert.equal(queue.len(), 2);
  clock.advance(1000);
  const order: Array<string | undefined> = [];
  for (let i = 0; i < 4; i += 1) order.push(await queue.get());
  assert.deepEqual(order, ['now', 'a', 'c', 'b']);
  assert.equal(clock.pending(), 0, 'the replaced timer was cancelled');
});

test('get waits for a key, and resolves undefined after shutDown once the queue is empty', async () => {
  const queue = new WorkQueue({ clock: new FakeClock() });
  const waiting = queue.get();
  queue.add('x');
  assert.equal(await waiting, 'x');
  assert.deepEqual(queue.stats(), { depth: 0, inFlight: 1, waiting: 0, retries: 0 });
  queue.add('y');
  const idle = queue.get();
  const second = await idle;
  assert.equal(second, 'y');
  const parked = queue.get();
  queue.add('z');
  assert.equal(await parked, 'z');
  queue.add('left-over');
  queue.addAfter('delayed', 10);
  queue.shutDown();
  queue.add('refused');
  assert.equal(await queue.get(), 'left-over', 'queued keys are still handed out');
  assert.equal(await queue.get(), undefined);
  assert.equal(queue.stats().waiting, 0, 'delayed keys are dropped');
  assert.equal(queue.isShuttingDown(), true);
});

test('shutDownWithDrain waits for keys in flight, including one re-added while in flight', { timeout: 10_000 }, async () => {
  const queue = new WorkQueue({ clock: new FakeClock() });
  queue.add('a');
  queue.add('b');
  const a = await queue.get();
  const b = await queue.get();
  assert.deepEqual([a, b], ['a', 'b']);
  queue.add('a'); // dirty while in flight
  let drained = false;
  const drain = queue.shutDownWithDrain().then(() => { drained = true; });
  queue.done('b');
  await flush();
  assert.equal(drained, false, 'a is still in flight');
  queue.done('a');
  await flush();
  assert.equal(drained, false, 'a was re-added before shutdown and is queued again');
  assert.equal(await queue.get(), 'a');
  queue.done('a');
  await drain;
  assert.equal(drained, true);
  assert.equal(await queue.get(), undefined);
});

test('retries are visible per key and forget clears them', () => {
  const clock = new FakeClock();
  const queue = new WorkQueue({ clock });
  queue.addRateLimited('k');
  queue.addRateLimited('k');
  assert.equal(queue.numRequeues('k'), 2);
  assert.equal(queue.stats().waiting, 1, 'one pending add per key, at the earlier time');
  clock.advance(1000);
  assert.equal(queue.len(), 1);
  queue.forget('k');
  assert.equal(queue.numRequeues('k'), 0);
  assert.equal(queue.stats().retries, 2, 'the metric counts every retry, forgotten or not');
});

test('each key\'s time in the queue is observed as a worker takes it', async () => {
  const clock = new FakeClock();
  const queue = new WorkQueue({ clock });
  const waits: number[] = [];
  queue.observeWait((ms) => waits.push(ms));
  queue.add('a');
  clock.advance(250);
  assert.equal(await queue.get(), 'a');
  queue.addAfter('b', 1000);
  clock.advance(1000);
  clock.advance(40);
  assert.equal(await queue.get(), 'b');
  assert.deepEqual(waits, [250, 40], 'from ready to taken; a delay before it is ready does not count');
});
