import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { startAlertReceiver } from './alert-receiver.ts';
import type { AlertmanagerPayload } from './alertmanager-payload.ts';

const taken: AlertmanagerPayload[] = [];
let fail = false;
let server: Server;
let url = '';
before(async () => {
  server = await startAlertReceiver({
    host: '127.0.0.1', port: 0, token: 'am-token',
    take: async (payload) => {
      if (fail) throw new Error('the API server is away');
      taken.push(payload);
      return { recorded: payload.alerts.length, resolved: 0, ignored: [] };
    },
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/alertmanager`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const payload = { version: '4', status: 'firing', alerts: [{ status: 'firing', labels: { alertname: 'HighErrorRate', namespace: 'shop', pod: 'web-1' }, annotations: {}, startsAt: '2026-11-26T10:00:00Z' }] };
const post = (body: string, token = 'am-token') => fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });

test('Alertmanager\'s POST with the shared token is taken and answered with what was done', async () => {
  const response = await post(JSON.stringify(payload));
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { recorded: 1, resolved: 0, ignored: [] });
  assert.equal(taken.at(-1)?.alerts[0]?.labels.alertname, 'HighErrorRate');
});

test('a wrong token is 401, a body that is not Alertmanager\'s is 400 with the reason, other paths 404', async () => {
  const before = taken.length;
  assert.equal((await post(JSON.stringify(payload), 'guess')).status, 401);
  const bad = await post(JSON.stringify({ text: 'hi' }));
  assert.equal(bad.status, 400);
  assert.match(((await bad.json()) as { error: string }).error, /not an Alertmanager webhook payload: body\.version/);
  assert.equal((await post('{not json')).status, 400);
  assert.equal((await post(`{"pad":"${'x'.repeat(5 * 1024 * 1024)}"}`)).status, 413, 'a body over 4 MiB');
  assert.equal((await fetch(url.replace('alertmanager', 'other'), { method: 'POST', body: '{}' })).status, 404);
  assert.equal(taken.length, before, 'nothing refused was taken');
});

test('when the alerts cannot be recorded the answer is 500, so Alertmanager sends them again', async () => {
  fail = true;
  try {
    assert.equal((await post(JSON.stringify(payload))).status, 500);
  } finally {
    fail = false;
  }
});

test('past the cap on payloads being recorded at once the answer is 503 with Retry-After; the slots free up and nothing taken is lost', async () => {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => { open = resolve; });
  const held: AlertmanagerPayload[] = [];
  let entered = 0;
  const logs: string[] = [];
  const busy = await startAlertReceiver({
    host: '127.0.0.1', port: 0, maxInFlight: 2,
    take: async (p) => { entered += 1; await gate; held.push(p); return { recorded: p.alerts.length, resolved: 0, ignored: [] }; },
    log: (_level, message) => logs.push(message),
  });
  try {
    const at = `http://127.0.0.1:${(busy.address() as AddressInfo).port}/webhooks/alertmanager`;
    const send = () => fetch(at, { method: 'POST', body: JSON.stringify(payload) });
    const first = [send(), send()];
    // Both slots are taken once both payloads are being recorded; a third is turned away.
    while (entered < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    const third = await send();
    assert.equal(third.status, 503);
    assert.equal(third.headers.get('retry-after'), '1');
    assert.match(((await third.json()) as { error: string }).error, /busy: 2 payloads are being recorded/);
    await send().then((r) => assert.equal(r.status, 503, 'still busy'));
    assert.equal(logs.filter((m) => /busy/.test(m)).length, 1, 'one warning per burst');
    open();
    assert.deepEqual((await Promise.all(first)).map((r) => r.status), [200, 200]);
    assert.equal((await send()).status, 200, 'a slot is free again');
    assert.equal(held.length, 3);
  } finally {
    await new Promise<void>((resolve) => busy.close(() => resolve()));
  }
});
