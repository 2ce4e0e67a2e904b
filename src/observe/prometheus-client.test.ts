// Faults on demand from a loopback server that speaks Prometheus's query API; the happy
// path against the sandbox's real Prometheus is in test/observe.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { PrometheusError, createPrometheusClient } from './prometheus-client.ts';

let url = '';
let handle: (req: IncomingMessage, body: string, res: ServerResponse) => void = (_req, _body, res) => res.end();
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => { body += c.toString(); });
  req.on('end', () => handle(req, body, res));
});
before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));

const json = (res: ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
const failure = async (work: Promise<unknown>) => work.then(() => assert.fail('expected a PrometheusError'), (error: unknown) => {
  assert.ok(error instanceof PrometheusError);
  return error;
});

test('a range query is a form POST with the token; the matrix comes back as numbers, NaN included', async () => {
  let seen: { path?: string; auth?: string; form?: URLSearchParams } = {};
  handle = (req, body, res) => {
    seen = { path: req.url, auth: req.headers.authorization, form: new URLSearchParams(body) };
    json(res, 200, { status: 'success', data: { resultType: 'matrix', result: [{ metric: { pod: 'web-1' }, values: [[100, '0.3'], [106, 'NaN']] }] } });
  };
  const client = createPrometheusClient({ url: `${url}/`, token: 's3cret', timeoutMs: 3000 });
  const series = await client.queryRange('up', 100, 106, 6);
  assert.equal(seen.path, '/api/v1/query_range');
  assert.equal(seen.auth, 'Bearer s3cret');
  assert.deepEqual(Object.fromEntries(seen.form ?? []), { query: 'up', start: '100', end: '106', step: '6', timeout: '2s' });
  assert.equal(series[0]?.samples[0]?.[1], 0.3);
  assert.ok(Number.isNaN(series[0]?.samples[1]?.[1]));
});

test('Prometheus\'s own errors keep their kind and message, never the token', async () => {
  const client = createPrometheusClient({ url, token: 's3cret' });
  handle = (_req, _body, res) => json(res, 400, { status: 'error', errorType: 'bad_data', error: 'parse error at char 5: s3cret unexpected' });
  const bad = await failure(client.query('rate(('));
  assert.equal(bad.kind, 'bad-query');
  assert.match(bad.message, /parse error at char 5: \*\*\* unexpected/);
  handle = (_req, _body, res) => json(res, 401, { status: 'error', error: 'unauthorized' });
  assert.equal((await failure(client.query('up'))).kind, 'unauthorized');
  handle = (_req, _body, res) => res.writeHead(502).end('<html>bad gateway</html>');
  assert.equal((await failure(client.query('up'))).kind, 'server');
  handle = (_req, _body, res) => json(res, 200, { hello: 'world' });
  assert.equal((await failure(client.query('up'))).kind, 'bad-response');
});

test('a Prometheus that hangs times out, and one that is not there is unreachable, each saying so', async () => {
  handle = () => undefined; // never answers
  const slow = await failure(createPrometheusClient({ url, timeoutMs: 300 }).query('up'));
  assert.equal(slow.kind, 'timeout');
  assert.match(slow.message, /did not answer within 300 ms/);
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const gone = await failure(createPrometheusClient({ url: `http://127.0.0.1:${port}`, timeoutMs: 1000 }).query('up'));
  assert.equal(gone.kind, 'unreachable');
  assert.match(gone.message, /is unreachable: ECONNREFUSED/);
});
