// The README's main command, as CI runs it: `npm run demo -- --once` runs the whole loop
// on its own tier-3 sandbox (a breaking commit, the incident, the PR, the merge, Flux's
// deploy, healed) and exits 0 only when the workload healed; it stops its sandbox after.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');

test('the demo breaks JokeService with a commit and GopherGuard heals it through a merged PR, then cleans up', async () => {
  const { stdout } = await exec(process.execPath, ['src/cli/main.ts', 'demo', '--once'], { cwd: root, timeout: 280_000, env: { ...process.env, GOPHERGUARD_LLM_PROVIDER: '' } });
  assert.match(stdout, /Flux applied \.\/deploy\/overlays\/sandbox at [0-9a-f]{7}/);
  assert.match(stdout, /^Dashboard: http:\/\/127\.0\.0\.1:\d+\/$/m);
  assert.match(stdout, /incident detected: OOMKilled of Deployment jokeservice/);
  assert.match(stdout, /remedy action: raiseResource container=app field=limits resource=memory value=160Mi \(rules/);
  assert.match(stdout, /\+ +memory: 160Mi/);
  assert.match(stdout, /pull request open: http:\/\/127\.0\.0\.1:\d+\/gopherguard\/jokeservice\/pulls\/1/);
  assert.match(stdout, /Flux deployed the fix/);
  assert.match(stdout, /Healed \d+\.\d s after the breaking commit:/);
  assert.match(stdout, /healed +\+ *\d+\.\ds {2}\(\d+\.\ds\)/);
  const status = await exec(process.execPath, ['src/cli/main.ts', 'sandbox', 'status', '--name', 'demo'], { cwd: root }).catch((e: { stdout: string }) => e);
  assert.match(status.stdout, /no sandbox in/, 'the demo stopped its sandbox');
});
