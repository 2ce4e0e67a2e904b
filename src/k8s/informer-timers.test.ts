// The informer's two safety nets, against a loopback server that speaks the API server's
// list and watch wire protocol and misbehaves on demand: a watch that goes silent (no
// event, no bookmark) is restarted, and the periodic relist finds an object whose watch
// event never came.
import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { Informer } from './informer.ts';
import { KubeClient } from './kube-client.ts';

interface Item { metadata: { name: string; namespace: string; resourceVersion: string } }
const items: Item[] = [];
let watches = 0;
const open: ServerResponse[] = [];
const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1') {
    // A watch that stays open and says nothing: no events, no bookmarks.
    watches += 1;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.flushHeaders();
    open.push(res);
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ kind: 'ConfigMapList', apiVersion: 'v1', metadata: { resourceVersion: String(10 + items.length) }, items }));
});
let client: KubeClient;

before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  client = new KubeClient({ server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, origin: 'a loopback API server' });
});
after(async () => {
  for (const res of open) res.destroy();
  client.close();
  await new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
});

const until = async (what: string, check: () => boolean, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

test('a silent watch is restarted, and the periodic relist finds what no watch event brought', async () => {
  items.push({ metadata: { name: 'first', namespace: 'ns', resourceVersion: '1' } });
  const log: string[] = [];
  const informer = new Informer<Item>({
    client, name: 'configmaps', path: '/api/v1/namespaces/ns/configmaps',
    silenceTimeoutMs: 300, relistIntervalMs: 700, backoff: { initialMs: 50, maxMs: 100 },
    log: (message) => log.push(message),
  });
  const added: string[] = [];
  informer.on('add', (o: Item) => added.push(o.metadata.name));
  await informer.start();
  try {
    assert.deepEqual(added, ['first']);
    await until('the silent watch to be restarted', () => watches >= 2);
    assert.ok(log.includes('watch silent; restarting'), log.join('\n'));
    // Created behind the watch's back: only the relist can see it.
    items.push({ metadata: { name: 'missed', namespace: 'ns', resourceVersion: '2' } });
    await until('the relist to add the missed object', () => added.includes('missed'));
    assert.equal(informer.get('ns', 'missed')?.metadata.name, 'missed');
  } finally {
    informer.stop();
  }
});
