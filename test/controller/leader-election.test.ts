// Leader election against a real kube-apiserver: the Lease API's optimistic concurrency,
// MicroTime validation and resourceVersions are the server's, not a fake's.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { CoordinationV1Api } from '@kubernetes/client-node';
import { LeaderElector, type LeaseApi } from '../../src/controller/index.ts';
import { deleteNamespace, testCluster, type TestCluster } from '../support/cluster.ts';

// The brief's small values: a 1.5 s lease (stored as 2 whole seconds), 1 s renew
// deadline, 0.2 s retry period; followers wait up to 0.2 × (1 + 1.2) s between attempts.
const LEASE_MS = 1500;
const RENEW_DEADLINE_MS = 1000;
const RETRY_MS = 200;
const MAX_FOLLOWER_RETRY_MS = RETRY_MS * 2.2;
// Two CPU cores shared with other jobs: room for slow API round trips, not for a wrong design.
const SLACK_MS = 1000;

let cluster: TestCluster;
let coordination: CoordinationV1Api;
let namespace: string;

before(async () => {
  cluster = testCluster();
  coordination = cluster.kubeConfig.makeApiClient(CoordinationV1Api);
  namespace = `leader-${Math.random().toString(36).slice(2, 7)}`;
  // Not createNamespace(): Leases need no ServiceAccount, so this runs on a tier-1 sandbox too.
  await cluster.core.createNamespace({ body: { metadata: { name: namespace } } });
});

after(async () => {
  await deleteNamespace(cluster, namespace);
});

interface Candidate {
  elector: LeaderElector;
  /** [onStartedLeading, leadership signal aborted] in Date.now() ms. */
  terms: Array<{ start: number; end?: number }>;
  errors: Error[];
  done: Promise<void>;
}

function candidate(lease: string, name: string, api: LeaseApi = coordination): Candidate {
  const terms: Candidate['terms'] = [];
  const errors: Error[] = [];
  const elector = new LeaderElector({
    api, namespace, name: lease, identity: `${name}-${Math.random().toString(36).slice(2, 7)}`,
    leaseDurationMs: LEASE_MS, renewDeadlineMs: RENEW_DEADLINE_MS, retryPeriodMs: RETRY_MS,
    callbacks: {
      onStartedLeading: (signal) => {
        const term: { start: number; end?: number } = { start: Date.now() };
        terms.push(term);
        signal.addEventListener('abort', () => { term.end = Date.now(); }, { once: true });
      },
      onStoppedLeading: () => undefined,
    },
    onError: (error) => errors.push(error),
  });
  return { elector, terms, errors, done: elector.run() };
}

async function until(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

async function stopAll(candidates: Candidate[]): Promise<void> {
  await Promise.all(candidates.map((c) => c.elector.stop()));
}

test('two electors on one Lease: exactly one leads, and the Lease names it', async () => {
  const a = candidate('two', 'a');
  const b = candidate('two', 'b');
  try {
    await until('a leader', () => a.elector.isLeader() || b.elector.isLeader());
    const leader = a.elector.isLeader() ? a : b;
    const follower = leader === a ? b : a;
    for (const end = Date.now() + 2000; Date.now() < end;) {
      assert.equal(leader.elector.isLeader(), true, 'the leader keeps renewing');
      assert.equal(follower.elector.isLeader(), false, 'the follower never leads meanwhile');
      await sleep(20);
    }
    const lease = await coordination.readNamespacedLease({ name: 'two', namespace });
    assert.equal(lease.spec?.holderIdentity, leader.elector.identity);
    assert.equal(lease.spec?.leaseDurationSeconds, 2, '1.5 s rounded up to whole seconds');
    assert.match(String(lease.spec?.renewTime), /\.\d{6}Z$/);
    assert.equal(follower.elector.leader(), leader.elector.identity);
  } finally {
    await stopAll([a, b]);
  }
});

test('after release() the other replica leads within about one retry period', async (t) => {
  const a = candidate('release', 'a');
  await until('a leads', () => a.elector.isLeader());
  const b = candidate('release', 'b');
  try {
    await until('b sees a', () => b.elector.leader() === a.elector.identity);
    const released = Date.now();
    await a.elector.release();
    await until('b leads', () => b.elector.isLeader(), 5000);
    const handOver = (b.terms[0]?.start ?? Infinity) - released;
    t.diagnostic(`hand-over ${handOver} ms after release()`);
    assert.ok(handOver <= MAX_FOLLOWER_RETRY_MS + SLACK_MS, `b took over ${handOver} ms after the release`);
    const lease = await coordination.readNamespacedLease({ name: 'release', namespace });
    assert.equal(lease.spec?.holderIdentity, b.elector.identity);
    assert.equal(lease.spec?.leaseTransitions, 1);
  } finally {
    await stopAll([a, b]);
  }
});

test('a leader that stops renewing without release is replaced only after its lease expires', async (t) => {
  const a = candidate('crash', 'a');
  await until('a leads', () => a.elector.isLeader());
  const b = candidate('crash', 'b');
  try {
    await until('b sees a', () => b.elector.leader() === a.elector.identity);
    await a.elector.stop(); // like a crash: the Lease still names a
    const lease = await coordination.readNamespacedLease({ name: 'crash', namespace });
    assert.equal(lease.spec?.holderIdentity, a.elector.identity);
    const expiresAt = new Date(String(lease.spec?.renewTime)).getTime() + (lease.spec?.leaseDurationSeconds ?? 0) * 1000;
    await until('b leads', () => b.elector.isLeader(), 10_000);
    const takeover = b.terms[0]?.start ?? Infinity;
    t.diagnostic(`take-over ${takeover - expiresAt} ms after the lease expired`);
    assert.ok(takeover >= expiresAt, `b took over ${expiresAt - takeover} ms before the lease expired`);
    assert.ok(takeover <= expiresAt + 2 * MAX_FOLLOWER_RETRY_MS + SLACK_MS, `b took over ${takeover - expiresAt} ms after the lease expired`);
  } finally {
    await stopAll([a, b]);
  }
});

test('conflicting writes (409) during hand-overs never make two leaders at once', async (t) => {
  let conflicts = 0;
  // The real API, counting the optimistic-concurrency failures the electors run into.
  const counting: LeaseApi = {
    readNamespacedLease: (param) => coordination.readNamespacedLease(param),
    createNamespacedLease: (param) => coordination.createNamespacedLease(param),
    replaceNamespacedLease: async (param) => {
      try {
        return await coordination.replaceNamespacedLease(param);
      } catch (error) {
        if ((error as { code?: number }).code === 409) conflicts += 1;
        throw error;
      }
    },
  };
  const all: Candidate[] = [];
  const spawn = (name: string) => {
    const c = candidate('contended', name, counting);
    all.push(c);
    return c;
  };
  let pool = [spawn('r0'), spawn('r1'), spawn('r2')];
  let maxLeaders = 0;
  let samples = 0;
  const sampler = setInterval(() => {
    samples += 1;
    maxLeaders = Math.max(maxLeaders, all.filter((c) => c.elector.isLeader()).length);
  }, 2);
  let running = true;
  // Someone else (a person with kubectl) edits the Lease now and then: the leader's
  // fast-path renewals then fail with 409 and go the slow way.
  const meddler = (async () => {
    for (let i = 0; running; i += 1) {
      try {
        const lease = await coordination.readNamespacedLease({ name: 'contended', namespace });
        lease.metadata = { ...lease.metadata, annotations: { ...lease.metadata?.annotations, poke: String(i) }, managedFields: undefined };
        await coordination.replaceNamespacedLease({ name: 'contended', namespace, body: lease });
      } catch {
        // 404 before the first create, 409 when an elector wrote first: both fine here.
      }
      await sleep(150);
    }
  })();
  try {
    let handOvers = 0;
    for (let round = 0; round < 8; round += 1) {
      await until('a leader', () => pool.some((c) => c.elector.isLeader()), 10_000);
      await sleep(300);
      const leader = pool.find((c) => c.elector.isLeader());
      if (!leader) continue;
      // Alternate graceful and crash-like exits; a fresh replica takes the leaver's place.
      await (round % 2 === 0 ? leader.elector.release() : leader.elector.stop());
      handOvers += 1;
      pool = [...pool.filter((c) => c !== leader), spawn(`r${round + 3}`)];
    }
    await until('a last leader', () => pool.some((c) => c.elector.isLeader()), 10_000);
    assert.ok(handOvers >= 6, `${handOvers} hand-overs`);
  } finally {
    running = false;
    clearInterval(sampler);
    await meddler;
    await stopAll(all);
  }
  t.diagnostic(`${samples} samples, ${conflicts} conflicts (409), ${all.length} replicas`);
  assert.ok(samples > 500, `sampled ${samples} times`);
  assert.equal(maxLeaders, 1, 'never two leaders in any sample');
  const terms = all.flatMap((c) => c.terms).sort((x, y) => x.start - y.start);
  for (let i = 1; i < terms.length; i += 1) {
    assert.ok((terms[i - 1]?.end ?? Infinity) <= (terms[i]?.start ?? 0), `term ${i} began before term ${i - 1} ended`);
  }
  assert.ok(conflicts > 0, 'the run produced 409 conflicts');
});
