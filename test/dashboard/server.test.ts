// The real server on a loopback port: the URL it reports, live rows over SSE, clean-up
// when a browser goes away, and a close() that does not hang on open streams.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startDashboard } from '../../src/dashboard/index.ts';
import { formatUrl } from '../../src/dashboard/server.ts';
import { fakeSource } from './fake-source.ts';
import { ago, incident, sampleIncidents, sampleWatches } from './fixtures.ts';
import { readSse } from './sse-client.ts';

async function until(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test('a change in the source reaches a connected browser as a rendered timeline row', async (t) => {
  const source = fakeSource(sampleIncidents(), sampleWatches());
  const dashboard = await startDashboard({ source, port: 0 });
  t.after(() => dashboard.close());
  assert.match(dashboard.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  assert.notEqual(new URL(dashboard.url).port, '0');

  // The URL is the real one: the page is there.
  const page = await fetch(dashboard.url);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /sse-connect="events\?range=24h"/);

  const abort = new AbortController();
  const res = await fetch(new URL('events', dashboard.url), { signal: abort.signal, headers: { Accept: 'text/event-stream' } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/event-stream');
  assert.ok(res.body);
  const events = readSse(res.body);
  // First the whole state, so a reconnecting browser catches up.
  assert.match((await events.next((e) => e.event === 'timeline')).data, /<li id="tl~shop~web-oom" class="row">/);
  await events.next((e) => e.event === 'overview');
  assert.equal(source.listenerCount(), 1);

  source.putIncident(
    incident('shop', 'checkout-oom', 'OOMKilled', { phase: 'Diagnosed', phaseTimestamps: { Detected: ago(1), Diagnosed: ago(0) }, message: 'Memory limit 64Mi is below the working set <90Mi>' }),
  );
  const row = await events.next((e) => e.event === 'timeline-row');
  assert.match(row.data, /^<li id="tl~shop~checkout-oom" class="row">/);
  assert.match(row.data, /<span class="badge phase-Diagnosed">Diagnosed<\/span>/);
  assert.match(row.data, /<a class="workload" href="incidents\/shop\/checkout-oom">Deployment shop\/checkout<\/a>/);
  assert.match(row.data, /below the working set &lt;90Mi&gt;/);
  // And the overview follows, with the new count.
  assert.match((await events.next((e) => e.event === 'overview')).data, /id="open-incidents"><div class="value">3</);

  // The browser goes away: the server notices and lets go of the source.
  abort.abort();
  await until(() => source.listenerCount() === 0, 'the listener to be removed after the client left');
});

test('close() ends open live streams instead of waiting for them', async () => {
  const source = fakeSource(sampleIncidents(), sampleWatches());
  const dashboard = await startDashboard({ source, port: 0, host: '127.0.0.1' });
  const res = await fetch(new URL('events', dashboard.url));
  assert.ok(res.body);
  const events = readSse(res.body);
  await events.next((e) => e.event === 'timeline');
  const started = Date.now();
  await dashboard.close();
  assert.ok(Date.now() - started < 2000, 'close() returned promptly');
  assert.equal(source.listenerCount(), 0);
  await assert.rejects(fetch(dashboard.url));
});

test('with a token the real server refuses requests without it, the live stream included', async (t) => {
  const source = fakeSource(sampleIncidents(), sampleWatches());
  const dashboard = await startDashboard({ source, port: 0, token: 'tok-123' });
  t.after(() => dashboard.close());
  assert.equal((await fetch(new URL('events', dashboard.url))).status, 401);
  assert.equal(source.listenerCount(), 0);
  const ok = await fetch(new URL('api/watches', dashboard.url), { headers: { Authorization: 'Bearer tok-123' } });
  assert.equal(ok.status, 200);
});

test('a port in use is an error, not a silent hang', async (t) => {
  const first = await startDashboard({ source: fakeSource(), port: 0 });
  t.after(() => first.close());
  await assert.rejects(startDashboard({ source: fakeSource(), port: Number(new URL(first.url).port) }), /EADDRINUSE/);
});

test('the url brackets IPv6 addresses', () => {
  assert.equal(formatUrl({ address: '::1', family: 'IPv6', port: 8080 }), 'http://[::1]:8080/');
  assert.equal(formatUrl({ address: '0.0.0.0', family: 'IPv4', port: 80 }), 'http://0.0.0.0:80/');
});
