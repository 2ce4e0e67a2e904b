import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { freePorts, isListening } from './ports.ts';

test('hands out distinct free ports that are not listening', async () => {
  const ports = await freePorts(7);
  assert.equal(new Set(ports).size, 7);
  for (const port of ports) assert.equal(await isListening(port), false);
});

test('tells a listening port from a free one', async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  assert.ok(address && typeof address === 'object');
  assert.equal(await isListening(address.port), true);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  assert.equal(await isListening(address.port), false);
});
