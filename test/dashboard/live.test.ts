// The live hub on its own: what it sends for each change, and how it holds its listeners.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HealingIncident } from '../../src/api/healing-incident.ts';
import { createLiveHub, type LiveHubOptions, type LiveMessage, type LiveSubscriber } from '../../src/dashboard/live.ts';
import type { DashboardSource } from '../../src/dashboard/source.ts';
import { fakeSource, type FakeSource } from './fake-source.ts';
import { NOW, ago, incident, sampleIncidents, sampleWatches, watch } from './fixtures.ts';

function setup(overrides: Partial<LiveHubOptions> = {}, source: FakeSource = fakeSource(sampleIncidents(), sampleWatches())) {
  const logs: Array<[string, string]> = [];
  const hub = createLiveHub({
    source,
    now: () => NOW,
    log: (level, message) => logs.push([level, message]),
    maxSubscribers: 100,
    heartbeatMs: 60_000,
    overviewDelayMs: 0,
    ...overrides,
  });
  return { hub, source, logs };
}

function subscriber(range: '24h' | '7d' = '24h') {
  const messages: LiveMessage[] = [];
  let ended = 0;
  const s: LiveSubscriber = { range, send: (m) => messages.push(m), end: () => ended++ };
  return { s, messages, ended: () => ended, events: (name: string) => messages.filter((m) => 'event' in m && m.event === name).map((m) => ('data' in m ? m.data : '')) };
}

const tick = (ms = 5) => new Promise((resolve) => setTimeout(resolve, ms));

const probe = (status: HealingIncident['status']) => incident('shop', 'worker-probe', 'ProbeFailure', status);

test('a new subscriber gets the whole timeline and the overview at once', () => {
  const { hub } = setup();
  const a = subscriber('7d');
  assert.ok(hub.subscribe(a.s));
  assert.deepEqual(a.messages.map((m) => ('event' in m ? m.event : 'comment')), ['timeline', 'overview']);
  const [timeline] = a.events('timeline');
  assert.match(timeline ?? '', /^<ol id="timeline" class="timeline" sse-swap="timeline-row" hx-swap="afterbegin"><li id="tl~ops~apps-sync"/);
  assert.match(a.events('overview')[0] ?? '', /the last 7 days, per day/);
});

test('a new incident is sent as one row; a changed one replaces its row; an unchanged one sends nothing', async () => {
  const { hub, source } = setup();
  const a = subscriber();
  hub.subscribe(a.s);
  a.messages.length = 0;

  source.putIncident(incident('shop', 'new-oom', 'OOMKilled', { phase: 'Detected', phaseTimestamps: { Detected: ago(1) }, message: 'OOMKilled twice' }));
  const [added] = a.events('timeline-row');
  assert.match(added ?? '', /^<li id="tl~shop~new-oom" class="row">[\s\S]*<span class="message">OOMKilled twice<\/span>\n<\/li>$/);
  assert.doesNotMatch(added ?? '', /hx-swap-oob/);

  source.putIncident(probe({ phase: 'Merged', phaseTimestamps: { Detected: ago(30), Merged: ago(0) }, message: 'Merged' }));
  const changed = a.events('timeline-row')[1] ?? '';
  // The old row is deleted out of band, then the new one goes on top.
  assert.match(changed, /^<li id="tl~shop~worker-probe" hx-swap-oob="delete"><\/li>\n<li id="tl~shop~worker-probe" class="row">[\s\S]*phase-Merged/);

  const before = a.messages.length;
  const again = probe({ phase: 'Merged', phaseTimestamps: { Detected: ago(30), Merged: ago(0) }, message: 'Merged', occurrences: 9 });
  source.putIncident(again);
  assert.equal(a.events('timeline-row').length, 2, 'nothing on the row changed');
  await tick();
  // The overview is refreshed once for the burst of three changes.
  assert.equal(a.messages.length - before, 1);
  assert.equal(a.events('overview').length, 1);
  assert.match(a.events('overview')[0] ?? '', /id="total-incidents"><div class="value">8</);
});

test('a deleted incident sends only the deletion of its row', () => {
  const { hub, source } = setup();
  const a = subscriber();
  hub.subscribe(a.s);
  source.deleteIncident('shop', 'web-oom');
  assert.deepEqual(a.events('timeline-row'), ['<li id="tl~shop~web-oom" hx-swap-oob="delete"></li>']);
});

test('a watch change refreshes the overview only, rendered once per range', async () => {
  const { hub, source } = setup();
  const [a, b, c] = [subscriber('24h'), subscriber('24h'), subscriber('7d')];
  for (const x of [a, b, c]) hub.subscribe(x.s);
  source.putWatch(watch('dev', 'dev-guard', 'suggest'));
  source.putWatch(watch('dev', 'dev-guard-2', 'autoMerge'));
  await tick();
  for (const x of [a, b, c]) {
    assert.equal(x.events('overview').length, 2, 'one on connect, one for the burst');
    assert.equal(x.events('timeline-row').length, 0);
    assert.match(x.events('overview')[1] ?? '', /<td>dev\/dev-guard-2<\/td><td>autoMerge<\/td>/);
  }
  assert.match(c.events('overview')[1] ?? '', /per day/);
  assert.match(a.events('overview')[1] ?? '', /per hour/);
});

test('the hub listens to the source only while someone is connected', () => {
  const { hub, source } = setup();
  assert.equal(source.listenerCount(), 0);
  const a = subscriber();
  const b = subscriber();
  const offA = hub.subscribe(a.s);
  const offB = hub.subscribe(b.s);
  assert.equal(source.listenerCount(), 1, 'one listener for all subscribers');
  offA?.();
  offA?.(); // idempotent
  assert.equal(hub.size, 1);
  assert.equal(source.listenerCount(), 1);
  offB?.();
  assert.equal(source.listenerCount(), 0);
  source.putIncident(incident('shop', 'late', 'CrashLoop', { phase: 'Detected' }));
  assert.equal(a.events('timeline-row').length + b.events('timeline-row').length, 0);
});

test('subscribers are capped', () => {
  const { hub } = setup({ maxSubscribers: 2 });
  assert.ok(hub.subscribe(subscriber().s));
  assert.ok(hub.subscribe(subscriber().s));
  assert.equal(hub.full, true);
  assert.equal(hub.subscribe(subscriber().s), undefined);
  assert.equal(hub.size, 2);
});

test('a heartbeat comment goes out on the interval', async () => {
  const { hub } = setup({ heartbeatMs: 10 });
  const a = subscriber();
  const off = hub.subscribe(a.s);
  await tick(60);
  off?.();
  const beats = a.messages.filter((m) => 'comment' in m).length;
  assert.ok(beats >= 2, `${beats} heartbeats in 60 ms`);
  await tick(30);
  assert.equal(a.messages.filter((m) => 'comment' in m).length, beats, 'none after unsubscribing');
});

test('closing ends every stream, stops listening and refuses new subscribers', () => {
  const { hub, source } = setup();
  const a = subscriber();
  hub.subscribe(a.s);
  hub.close();
  assert.equal(a.ended(), 1);
  assert.equal(source.listenerCount(), 0);
  assert.equal(hub.subscribe(subscriber().s), undefined);
});

test('a failure while rendering is logged, never thrown into the source', async () => {
  const base = fakeSource(sampleIncidents(), sampleWatches());
  let broken = false;
  const source: FakeSource = {
    ...base,
    incidents: () => {
      if (broken) throw new Error('cache torn');
      return base.incidents();
    },
  };
  const { hub, logs } = setup({}, source);
  const a = subscriber();
  hub.subscribe(a.s);
  broken = true;
  assert.doesNotThrow(() => base.putIncident(incident('shop', 'x', 'CrashLoop', { phase: 'Detected' })));
  await tick();
  assert.deepEqual(logs.map(([level]) => level), ['error', 'error']);
  assert.match(logs[0]?.[1] ?? '', /live update failed/);
});

test('a subscriber that throws does not stop the others', () => {
  const { hub, source, logs } = setup();
  const bad: LiveSubscriber = { range: '24h', send: () => { throw new Error('gone'); }, end: () => {} };
  const good = subscriber();
  hub.subscribe(bad);
  hub.subscribe(good.s);
  source.putIncident(incident('shop', 'y', 'CrashLoop', { phase: 'Detected', phaseTimestamps: { Detected: ago(0) } }));
  assert.equal(good.events('timeline-row').length, 1);
  assert.ok(logs.some(([level]) => level === 'warn' || level === 'error'));
});

// Type check: the fake source is a DashboardSource.
const _typed: DashboardSource = fakeSource();

test('an incident page\'s stream gets that incident\'s body at once and on each of its changes, and nothing of the overview or other incidents', () => {
  const { hub, source } = setup();
  const page = subscriber();
  page.s.incident = 'shop/worker-probe';
  const overview = subscriber();
  hub.subscribe(page.s);
  hub.subscribe(overview.s);
  assert.deepEqual(page.messages.map((m) => ('event' in m ? m.event : 'comment')), ['incident'], 'its current state on connect');
  assert.match(page.events('incident')[0] ?? '', /^<h1>Deployment shop\/worker: ProbeFailure<\/h1>/);

  source.putIncident(incident('shop', 'new-oom', 'OOMKilled', { phase: 'Detected', phaseTimestamps: { Detected: ago(1) } }));
  assert.equal(page.events('incident').length, 1, 'another incident is not its news');
  assert.deepEqual(page.events('timeline-row'), [], 'no timeline rows');

  source.putIncident(probe({ phase: 'Merged', phaseTimestamps: { Detected: ago(30), Merged: ago(0) }, message: 'pull request #7 is merged' }));
  const [, changed] = page.events('incident');
  assert.match(changed ?? '', /<span class="badge phase-Merged">Merged<\/span>/);
  assert.match(changed ?? '', /pull request #7 is merged/);
  assert.equal(overview.events('incident').length, 0, 'the overview gets rows, not incident bodies');
  assert.equal(overview.events('timeline-row').length, 2);

  source.deleteIncident('shop', 'worker-probe');
  assert.match(page.events('incident')[2] ?? '', /Incident shop\/worker-probe is gone/);
});
