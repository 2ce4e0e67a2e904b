import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setImmediate as flush } from 'node:timers/promises';
import { V1MicroTime } from '@kubernetes/client-node';
import { FakeClock } from './fake-clock.ts';
import { LeaderElectionError, LeaderElector, type LeaderElectorOptions } from './leader-election.ts';
import { FakeLeaseApi } from './fake-lease-api.ts';

interface Replica {
  elector: LeaderElector;
  started: number[];
  stopped: number[];
  leaders: string[];
  done: Promise<void>;
}

function replica(clock: FakeClock, api: FakeLeaseApi, identity: string, options: Partial<LeaderElectorOptions> = {}): Replica {
  const r: Partial<Replica> & { started: number[]; stopped: number[]; leaders: string[] } = { started: [], stopped: [], leaders: [] };
  r.elector = new LeaderElector({
    api, namespace: 'gopherguard', name: 'gopherguard-leader', identity, clock, random: () => 0.5,
    callbacks: {
      onStartedLeading: () => void r.started.push(clock.now()),
      onStoppedLeading: () => void r.stopped.push(clock.now()),
      onNewLeader: (who) => void r.leaders.push(who),
    },
    ...options,
  });
  r.done = r.elector.run();
  return r as Replica;
}

/** Moves fake time in small steps, letting the electors' promises settle in between. */
async function elapse(clock: FakeClock, ms: number, stepMs = 10): Promise<void> {
  for (let t = 0; t < ms; t += stepMs) {
    clock.advance(stepMs);
    await flush();
  }
}

test('the first replica creates the Lease and leads; the second follows and learns who leads', async () => {
  const clock = new FakeClock();
  const api = new FakeLeaseApi(clock);
  const a = replica(clock, api, 'a');
  await flush();
  const b = replica(clock, api, 'b');
  await elapse(clock, 20_000);
  assert.equal(a.elector.isLeader(), true);
  assert.equal(b.elector.isLeader(), false);
  assert.deepEqual([a.leaders, b.leaders], [['a'], ['a']]);
  assert.equal(b.elector.leader(), 'a');
  assert.equal(api.lease?.spec?.leaseDurationSeconds, 15);
  assert.ok(api.writes.filter((w) => w.holder === 'a').length >= 10, 'renewed every retry period');
  await Promise.all([a.elector.stop(), b.elector.stop()]);
  assert.equal(a.stopped.length, 1);
  assert.equal(b.stopped.length, 0, 'a follower never started, so it does not stop');
});

test('a crashed leader is replaced only once the lease has gone unchanged for its duration', async () => {
  const clock = new FakeClock();
  const api = new FakeLeaseApi(clock);
  const a = replica(clock, api, 'a');
  await flush();
  const b = replica(clock, api, 'b');
  await elapse(clock, 5000);
  await a.elector.stop(); // no release: like a crash, the lease is left to expire
  const lastRenew = api.writes.at(-1)?.at ?? 0;
  await elapse(clock, 25_000);
  const takeover = b.started[0] ?? Infinity;
  assert.ok(takeover >= lastRenew + 15_000, `took over ${takeover - lastRenew} ms after the last renewal`);
  // b saw the last change up to one jittered retry (2 s × 1.6) late, and tries every 3.2 s.
  assert.ok(takeover <= lastRenew + 15_000 + 2 * 3200 + 100, `took over ${takeover - lastRenew} ms after the last renewal`);
  assert.equal(api.lease?.spec?.leaseTransitions, 1);
  await b.elector.stop();
});

test('followers trust changes they see, not the renewTime written by a leader with a skewed clock', async () => {
  const clock = new FakeClock();
  const api = new FakeLeaseApi(clock);
  // "skewed" renews every 2 s, but its clock is a year behind ours.
  const yearMs = 365 * 24 * 3600_000;
  const renewBySkewed = () => api.overwrite({ holderIdentity: 'skewed', renewTime: new V1MicroTime(clock.now() - yearMs), leaseDurationSeconds: 15 });
  renewBySkewed();
  const c = replica(clock, api, 'c');
  for (let i = 0; i < 20; i += 1) {
    await elapse(clock, 2000, 50);
    renewBySkewed();
  }
  assert.equal(c.elector.isLeader(), false);
  assert.equal(c.elector.leader(), 'skewed');
  await c.elector.stop();
});

test('a leader that cannot renew stops leading at the renew deadline, even when the API hangs', async () => {
  for (const mode of ['down', 'hang'] as const) {
    const clock = new FakeClock();
    const api = new FakeLeaseApi(clock);
    let signal: AbortSignal | undefined;
    const a = replica(clock, api, 'a', {
      callbacks: {
        onStartedLeading: (s) => { signal = s; },
        onStoppedLeading: () => void a.stopped.push(clock.now()),
      },
    });
    await elapse(clock, 5000);
    api.mode = mode;
    const lastRenew = api.writes.at(-1)?.at ?? 0;
    await elapse(clock, 9900 - (clock.now() - lastRenew));
    assert.equal(a.elector.isLeader(), true, `${mode}: still within the renew deadline`);
    await elapse(clock, 2100);
    assert.equal(a.elector.isLeader(), false, `${mode}: stopped after the deadline`);
    assert.equal(a.stopped.length, 1);
    assert.ok((a.stopped[0] ?? 0) - lastRenew >= 10_000 && (a.stopped[0] ?? 0) - lastRenew <= 10_000 + 2000, `${mode}: stopped ${(a.stopped[0] ?? 0) - lastRenew} ms after the last renewal`);
    assert.equal(signal?.aborted, true);
    await a.done;
  }
});

test('release empties the holder so the follower takes over at its next attempt', async () => {
  const clock = new FakeClock();
  const api = new FakeLeaseApi(clock);
  const a = replica(clock, api, 'a');
  await flush();
  const b = replica(clock, api, 'b');
  await elapse(clock, 6000);
  const releasedAt = clock.now();
  await a.elector.release();
  assert.equal(a.elector.isLeader(), false);
  assert.equal(api.lease?.spec?.holderIdentity, '');
  assert.equal(api.lease?.spec?.leaseDurationSeconds, 1);
  assert.equal(a.stopped.length, 1);
  await elapse(clock, 4000);
  assert.ok((b.started[0] ?? Infinity) - releasedAt <= 3200 + 20, `took over ${(b.started[0] ?? Infinity) - releasedAt} ms after the release`);
  assert.deepEqual(b.leaders, ['a', 'b']);
  await b.elector.stop();
});

test('a leader whose lease is taken over by another holder stops at once', async () => {
  const clock = new FakeClock();
  const api = new FakeLeaseApi(clock);
  const a = replica(clock, api, 'a');
  await elapse(clock, 3000);
  api.overwrite({ holderIdentity: 'intruder' });
  await elapse(clock, 2100);
  assert.equal(a.elector.isLeader(), false);
  assert.equal(a.stopped.length, 1);
  await a.done;
});

test('settings that would let a follower take over from a live leader are refused', () => {
  const clock = new FakeClock();
  const api = new FakeLeaseApi(clock);
  const base = { api, namespace: 'n', name: 'l', clock, callbacks: { onStartedLeading: () => undefined, onStoppedLeading: () => undefined } };
  assert.throws(() => new LeaderElector({ ...base, leaseDurationMs: 10_000, renewDeadlineMs: 10_000 }), LeaderElectionError);
  assert.throws(() => new LeaderElector({ ...base, renewDeadlineMs: 2000, retryPeriodMs: 2000 }), LeaderElectionError);
  assert.throws(() => new LeaderElector({ ...base, identity: '' }), LeaderElectionError);
  assert.match(new LeaderElector(base).identity, /^.+_[0-9a-f-]{36}$/);
});
