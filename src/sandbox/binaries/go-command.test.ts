import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { GoCommandError, formatDuration, runGo } from './go-command.ts';

test('returns what go printed on stdout', async () => {
  const out = await runGo(['env', 'GOOS'], { cwd: tmpdir(), env: process.env, label: 'env', report: () => undefined });
  assert.equal(out.trim(), 'linux');
});

test('a failed go command says what failed and shows go\'s own last lines', async () => {
  const cwd = await mkdtemp(join(tmpdir(), 'gocmd-'));
  await assert.rejects(
    runGo(['build', './does-not-exist'], { cwd, env: { ...process.env, GOFLAGS: '', GO111MODULE: 'on' }, label: 'nothing 1.0', report: () => undefined }),
    (error: unknown) => error instanceof GoCommandError && error.exitCode !== 0 && /failed for nothing 1\.0/.test(error.message) && error.tail.length > 0,
  );
});

test('durations read as a person would say them', () => {
  assert.equal(formatDuration(4_400), '4s');
  assert.equal(formatDuration(754_000), '12m34s');
  assert.equal(formatDuration(60_000), '1m00s');
});
