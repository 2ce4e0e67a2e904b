import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { withFileLock } from './file-lock.ts';

test('holders of the same lock never overlap', async () => {
  const lock = join(await mkdtemp(join(tmpdir(), 'lock-')), 'build.lock');
  const timeline: string[] = [];
  const worker = (name: string) => withFileLock(lock, async () => {
    timeline.push(`${name}+`);
    await sleep(50);
    timeline.push(`${name}-`);
  }, { pollMs: 10 });
  await Promise.all([worker('a'), worker('b'), worker('c')]);
  for (let i = 0; i < timeline.length; i += 2) {
    assert.equal(timeline[i]?.slice(0, 1), timeline[i + 1]?.slice(0, 1), `interleaved: ${timeline.join(' ')}`);
  }
});

test('a lock left by a process that died is broken, and the waiter is told who held it', async () => {
  const lock = join(await mkdtemp(join(tmpdir(), 'lock-')), 'build.lock');
  const dead = spawnSync('sh', ['-c', 'echo $$']).stdout.toString().trim(); // a pid that has exited
  await mkdir(lock);
  await writeFile(join(lock, 'pid'), dead);
  const result = await withFileLock(lock, async () => 'ran', { pollMs: 10 });
  assert.equal(result, 'ran');
});

test('a live holder makes the next caller wait and says so', async () => {
  const lock = join(await mkdtemp(join(tmpdir(), 'lock-')), 'build.lock');
  const waits: number[] = [];
  let release!: () => void;
  const first = withFileLock(lock, () => new Promise<void>((resolve) => { release = resolve; }), { pollMs: 10 });
  await sleep(20);
  const second = withFileLock(lock, async () => 'second', { pollMs: 10, onWait: (pid) => waits.push(pid) });
  await sleep(50);
  assert.deepEqual(waits, [process.pid]);
  release();
  await first;
  assert.equal(await second, 'second');
});
