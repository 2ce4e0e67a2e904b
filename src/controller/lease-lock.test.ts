import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from './fake-clock.ts';
import { FakeLeaseApi } from './fake-lease-api.ts';
import { LeaseLock, LeaseLockError, type LeaderElectionRecord } from './lease-lock.ts';

const at = (ms: number) => new Date(Date.UTC(2025, 0, 1) + ms);
const record = (holder: string, ms = 0): LeaderElectionRecord => ({ holderIdentity: holder, leaseDurationSeconds: 15, acquireTime: at(ms), renewTime: at(ms), leaseTransitions: 0 });

test('records go out as MicroTimes the API accepts and come back as Dates', async () => {
  const api = new FakeLeaseApi(new FakeClock());
  const lock = new LeaseLock(api, 'ns', 'l');
  assert.equal(await lock.get(), undefined, 'no Lease yet');
  await lock.create(record('a', 123));
  assert.equal(String(api.lease?.spec?.renewTime), '2025-01-01T00:00:00.123000Z');
  const found = await new LeaseLock(api, 'ns', 'l').get();
  assert.deepEqual(found?.record, record('a', 123));
  assert.equal(found?.resourceVersion, '1');
});

test('creating an existing Lease or writing over a stale copy fails with a typed reason', async () => {
  const api = new FakeLeaseApi(new FakeClock());
  const mine = new LeaseLock(api, 'ns', 'l');
  const theirs = new LeaseLock(api, 'ns', 'l');
  await mine.create(record('a'));
  await assert.rejects(theirs.create(record('b')), (e: unknown) => e instanceof LeaseLockError && e.reason === 'already-exists' && e.status === 409);
  await theirs.get();
  await mine.update(record('a', 2000));
  await assert.rejects(theirs.update(record('b', 2000)), (e: unknown) => e instanceof LeaseLockError && e.reason === 'conflict' && e.cause !== undefined);
  api.mode = 'down';
  await assert.rejects(mine.get(), (e: unknown) => e instanceof LeaseLockError && e.reason === 'api' && e.status === undefined);
});

test('release empties the holder, retrying once after a conflict while the Lease is still ours', async () => {
  const api = new FakeLeaseApi(new FakeClock());
  const lock = new LeaseLock(api, 'ns', 'l');
  await lock.create(record('a'));
  api.overwrite({ leaseTransitions: 3 }); // e.g. our own renewal that was still in flight
  await lock.release('a', at(5000));
  assert.equal(api.lease?.spec?.holderIdentity, '');
  assert.equal(api.lease?.spec?.leaseDurationSeconds, 1);
  assert.equal(api.lease?.spec?.leaseTransitions, 3);

  const other = new FakeLeaseApi(new FakeClock());
  const stale = new LeaseLock(other, 'ns', 'l');
  await stale.create(record('a'));
  other.overwrite({ holderIdentity: 'b' });
  await stale.release('a', at(5000));
  assert.equal(other.lease?.spec?.holderIdentity, 'b', 'a lease someone else took is left alone');
});
