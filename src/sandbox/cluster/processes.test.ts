import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isAlive } from '../binaries/file-lock.ts';
import { StartupError, startProcess, stopProcess, waitUntil } from './processes.ts';

test('stops a component together with the children it started', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'proc-'));
  const proc = startProcess({ name: 'parent', command: 'sh', args: ['-c', 'sleep 300 & echo child $!; wait'], logFile: join(dir, 'parent.log') });
  const childPid = await waitUntil(proc, 'logging', async () => /child \d+/.test(await readFile(proc.logFile, 'utf8'))).then(async () =>
    Number(/child (\d+)/.exec(await readFile(proc.logFile, 'utf8'))?.[1]));
  assert.ok(isAlive(proc.pid) && isAlive(childPid));
  await stopProcess(proc, 2000);
  assert.ok(!isAlive(proc.pid), 'parent stopped');
  assert.ok(!isAlive(childPid), 'child stopped with its group');
});

test('a component that exits during start-up fails at once with its last log lines', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'proc-'));
  const proc = startProcess({ name: 'broken', command: 'sh', args: ['-c', 'echo "unknown flag: --frobnicate"; exit 1'], logFile: join(dir, 'broken.log') });
  const started = Date.now();
  await assert.rejects(
    waitUntil(proc, 'ready', async () => false, 30_000),
    (error: unknown) => error instanceof StartupError && /broken exited before it was ready/.test(error.message) && /unknown flag: --frobnicate/.test(error.message),
  );
  assert.ok(Date.now() - started < 10_000, 'did not wait for the timeout');
});
