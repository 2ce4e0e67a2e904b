import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ago, incident, sampleIncidents } from '../../test/dashboard/fixtures.ts';
import { detectedAt, isOpen, latestChange, median, overviewNumbers, timeline } from './stats.ts';

test('the Healing Score is healed over healed and failed verifications, and undefined before any', () => {
  const n = overviewNumbers(sampleIncidents());
  assert.deepEqual(
    { healed: n.healed, failed: n.failed, score: n.healingScore, open: n.open, total: n.total },
    { healed: 3, failed: 1, score: 0.75, open: 2, total: 7 },
  );
  const none = overviewNumbers([incident('a', 'b', 'CrashLoop', { phase: 'Detected' })]);
  assert.equal(none.healingScore, undefined);
  assert.equal(none.medianTimeToHealSeconds, undefined);
  // A pending verification counts neither way.
  const pending = overviewNumbers([incident('a', 'b', 'CrashLoop', { phase: 'Synced', verification: { result: 'Pending' } })]);
  assert.equal(pending.healingScore, undefined);
});

test('the median time to heal is taken over healed incidents only', () => {
  assert.equal(overviewNumbers(sampleIncidents()).medianTimeToHealSeconds, 61); // 29, 61, 100
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([]), undefined);
  const failedWithTime = incident('a', 'b', 'CrashLoop', { phase: 'Failed', verification: { result: 'Failed', timeToHealSeconds: 5 } });
  assert.equal(overviewNumbers([failedWithTime]).medianTimeToHealSeconds, undefined);
});

test('open means not Healed, Failed, Resolved or Suppressed; an incident without status is open', () => {
  const phases = ['Detected', 'Diagnosed', 'Proposed', 'PullRequestOpen', 'Merged', 'Synced', 'Healed', 'Failed', 'Suppressed', 'Resolved'] as const;
  const open = phases.filter((phase) => isOpen(incident('a', 'b', 'CrashLoop', { phase })));
  assert.deepEqual(open, ['Detected', 'Diagnosed', 'Proposed', 'PullRequestOpen', 'Merged', 'Synced']);
  assert.equal(isOpen(incident('a', 'b', 'CrashLoop', undefined)), true);
});

test('the latest change is entering the current phase, with fallbacks when its time is missing', () => {
  assert.deepEqual(latestChange(incident('a', 'b', 'CrashLoop', { phase: 'Merged', phaseTimestamps: { Detected: ago(10), Merged: ago(5) } })), { phase: 'Merged', at: ago(5) });
  // No stamp for the current phase: the newest stamp there is.
  assert.deepEqual(latestChange(incident('a', 'b', 'CrashLoop', { phase: 'Merged', phaseTimestamps: { Detected: ago(10), Proposed: ago(7) } })).at, ago(7));
  assert.equal(latestChange(incident('a', 'b', 'CrashLoop', { phase: 'Detected', lastSeen: ago(3) })).at, ago(3));
  const created = incident('a', 'b', 'CrashLoop', undefined);
  created.metadata.creationTimestamp = new Date(ago(9)); // client-node hands out Dates
  assert.deepEqual(latestChange(created), { phase: 'Detected', at: new Date(ago(9)).toISOString() });
  assert.equal(detectedAt(created), new Date(ago(9)).toISOString());
});

test('the timeline is newest first, ties broken by namespace and name', () => {
  const names = timeline(sampleIncidents()).map((e) => `${e.incident.metadata.namespace}/${e.incident.metadata.name}`);
  assert.deepEqual(names, ['ops/apps-sync', 'shop/worker-probe', 'shop/api-crash', 'shop/web-oom', 'shop/cart-image', 'shop/db-oom', 'shop/old-crash']);
  const tie = [incident('b', 'x', 'CrashLoop', { phase: 'Detected', phaseTimestamps: { Detected: ago(1) } }), incident('a', 'x', 'CrashLoop', { phase: 'Detected', phaseTimestamps: { Detected: ago(1) } })];
  assert.deepEqual(timeline(tie).map((e) => e.incident.metadata.namespace), ['a', 'b']);
  // Without any time at all it goes last rather than breaking the sort.
  const undated = incident('a', 'undated', 'CrashLoop', undefined);
  assert.equal(timeline([undated, ...tie]).at(-1)?.incident.metadata.name, 'undated');
});
