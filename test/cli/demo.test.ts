// The README's main command, as CI runs it: `npm run demo -- --once` exits 0 only when
// GopherGuard detected the bad rollout, and says what it saw.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

const exec = promisify(execFile);

test('the demo detects the bad rollout, shows the evidence, and cleans up', async () => {
  const { stdout } = await exec(process.execPath, ['src/cli/main.ts', 'demo', '--once'], { cwd: join(import.meta.dirname, '..', '..'), timeout: 240_000 });
  assert.match(stdout, /jokeservice 1\.0\.0 runs healthy/);
  assert.match(stdout, /incident jokeservice-oomkilled-[0-9a-f]{8}: Detected: OOMKilled in container app/);
  assert.match(stdout, /spec\.containers\[app\]\.resources\.limits\.memory: 256Mi → 128Mi/);
  assert.match(stdout, /remedy action: raiseResource container=app field=limits resource=memory value=256Mi/);
  const status = await exec(process.execPath, ['src/cli/main.ts', 'sandbox', 'status', '--name', 'demo'], { cwd: join(import.meta.dirname, '..', '..') }).catch((e: { stdout: string }) => e);
  assert.match(status.stdout, /no sandbox in/, 'the demo stopped its sandbox');
});
