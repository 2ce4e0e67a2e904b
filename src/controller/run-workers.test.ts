import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setImmediate as flush } from 'node:timers/promises';
import { TerminalError, ReconcilePanicError } from './errors.ts';
import { FakeClock } from './fake-clock.ts';
import { runWorkers, type Reconcile, type ReconcileOutcome } from './run-workers.ts';
import { WorkQueue } from './work-queue.ts';

interface Harness {
  clock: FakeClock;
  queue: WorkQueue;
  runsAt: number[];
  outcomes: ReconcileOutcome[];
  errors: Error[];
  workers: Promise<void>;
  /** Moves the fake time and lets the workers react. */
  step(ms: number): Promise<void>;
}

function harness(reconcile: Reconcile): Harness {
  const clock = new FakeClock();
  const queue = new WorkQueue({ clock });
  const runsAt: number[] = [];
  const outcomes: ReconcileOutcome[] = [];
  const errors: Error[] = [];
  const workers = runWorkers(queue, 2, (key) => {
    runsAt.push(clock.now());
    return reconcile(key);
  }, {
    clock,
    onReconcile: (_key, outcome) => outcomes.push(outcome),
    onError: (_key, error) => errors.push(error),
  });
  return {
    clock, queue, runsAt, outcomes, errors, workers,
    async step(ms) {
      clock.advance(ms);
      await flush();
    },
  };
}

test('a failing reconcile is retried after 1 s, 2 s, 4 s, and success resets the backoff', async () => {
  let failures = 3;
  const h = harness(async () => {
    if (failures-- > 0) throw new Error('forge unavailable');
  });
  const t0 = h.clock.now();
  h.queue.add('ns/app');
  await flush();
  assert.equal(h.queue.numRequeues('ns/app'), 1);
  await h.step(999);
  assert.equal(h.runsAt.length, 1, 'not retried before its backoff');
  await h.step(1);
  await h.step(2000);
  await h.step(4000);
  assert.deepEqual(h.runsAt.map((t) => t - t0), [0, 1000, 3000, 7000]);
  assert.deepEqual(h.outcomes, ['error', 'error', 'error', 'success']);
  assert.equal(h.errors.length, 3);
  assert.equal(h.queue.numRequeues('ns/app'), 0, 'forgotten after success');
  h.queue.add('ns/app');
  await flush();
  assert.equal(h.runsAt.length, 5);
  h.queue.shutDown();
  await h.workers;
});

test('a TerminalError, even wrapped, is reported but not retried', async () => {
  const h = harness(async (key) => {
    if (key === 'direct') throw new TerminalError('spec names a Secret we may not read');
    throw new Error('diagnosis failed', { cause: new TerminalError('model refused') });
  });
  h.queue.add('direct');
  h.queue.add('wrapped');
  await flush();
  await h.step(600_000);
  assert.equal(h.runsAt.length, 2);
  assert.deepEqual(h.outcomes, ['terminal-error', 'terminal-error']);
  assert.equal(h.errors.length, 2);
  assert.ok(h.errors[0] instanceof TerminalError);
  assert.deepEqual(h.queue.stats(), { depth: 0, inFlight: 0, waiting: 0, retries: 0 });
  h.queue.shutDown();
  await h.workers;
});

test('a throw of a non-Error is caught like a panic and retried with backoff', async () => {
  let thrown = false;
  const h = harness(async () => {
    if (!thrown) {
      thrown = true;
      throw 'boom';
    }
  });
  h.queue.add('k');
  await flush();
  assert.ok(h.errors[0] instanceof ReconcilePanicError);
  assert.equal((h.errors[0] as ReconcilePanicError).cause, 'boom');
  await h.step(1000);
  assert.deepEqual(h.outcomes, ['error', 'success']);
  h.queue.shutDown();
  await h.workers;
});

test('requeueAfterMs forgets the backoff and runs the key again after exactly that delay', async () => {
  let calls = 0;
  const h = harness(async () => {
    calls += 1;
    if (calls === 1) throw new Error('transient');
    if (calls === 2) return { requeueAfterMs: 30_000 };
    return undefined;
  });
  const t0 = h.clock.now();
  h.queue.add('ns/pr');
  await flush();
  await h.step(1000);
  assert.equal(h.queue.numRequeues('ns/pr'), 0, 'requeueAfter forgot the failure');
  await h.step(29_999);
  assert.equal(h.runsAt.length, 2);
  await h.step(1);
  assert.deepEqual(h.runsAt.map((t) => t - t0), [0, 1000, 31_000]);
  assert.deepEqual(h.outcomes, ['error', 'requeue-after', 'success']);
  h.queue.shutDown();
  await h.workers;
});

test('an error that says when to come back (retryAfterMs, a forge\'s rate-limit window) is retried then, not sooner', async () => {
  let calls = 0;
  const h = harness(async () => {
    calls += 1;
    if (calls === 1) throw Object.assign(new Error('GitHub: rate limited; try again in 90 s'), { retryAfterMs: 90_000 });
    return undefined;
  });
  const t0 = h.clock.now();
  h.queue.add('ns/pr');
  await flush();
  await h.step(1000);
  await h.step(88_999);
  assert.equal(h.runsAt.length, 1, 'not at the backoff\'s 1 s, nor before the window ends');
  await h.step(1);
  assert.deepEqual(h.runsAt.map((t) => t - t0), [0, 90_000]);
  assert.deepEqual(h.outcomes, ['error', 'success']);
  h.queue.shutDown();
  await h.workers;
});

test('a throwing metrics hook neither stops the worker nor loses the key', async () => {
  const clock = new FakeClock();
  const queue = new WorkQueue({ clock });
  const runs: string[] = [];
  const workers = runWorkers(queue, 1, async (key) => void runs.push(key), {
    clock,
    onReconcile: () => { throw new Error('metrics registry closed'); },
  });
  queue.add('a');
  await flush();
  queue.add('b');
  await flush();
  await queue.shutDownWithDrain();
  await workers;
  assert.deepEqual(runs, ['a', 'b']);
});

test('concurrency must be a positive integer', async () => {
  const queue = new WorkQueue({ clock: new FakeClock() });
  await assert.rejects(runWorkers(queue, 0, async () => undefined), RangeError);
});
