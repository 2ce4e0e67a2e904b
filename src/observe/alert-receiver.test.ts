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
