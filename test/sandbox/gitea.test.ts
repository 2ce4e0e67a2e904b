// Tier 3 as a test uses it: a real Gitea on loopback whose admin token drives the REST
// calls a forge client makes (repo, commit, branch, pull request), and real git over HTTP.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { isAlive } from '../../src/sandbox/binaries/file-lock.ts';
import type { GiteaAccess } from '../../src/sandbox/cluster/gitea.ts';
import { isListening } from '../../src/sandbox/cluster/ports.ts';
import { startSandbox, stopSandbox, type SandboxState } from '../../src/sandbox/cluster/sandbox.ts';

const exec = promisify(execFile);

let dir: string;
let state: SandboxState;
let gitea: GiteaAccess;

// A cold build is silent for minutes otherwise, and a silent test looks hung.
const showBuildProgress = (line: string) => {
  if (/^(building|built|waiting) /.test(line)) process.stderr.write(`[gitea test] ${line}\n`);
};

// Its own timeout: the first run on a machine without .ci/run's build step builds Gitea
// here (about 10 minutes on 2 cores), longer than npm test's per-test limit.
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gopherguard-gitea-'));
  state = await startSandbox({ dir, tier: 3, nodes: 1, report: showBuildProgress });
  assert.ok(state.gitea, 'a tier-3 sandbox records its forge');
  gitea = state.gitea;
}, { timeout: 30 * 60_000 });
after(async () => {
  await stopSandbox(dir);
  await rm(dir, { recursive: true, force: true });
});

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${gitea.url}/api/v1${path}`, {
    method,
    headers: { Authorization: `token ${gitea.token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

const manifest = (memory: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shop\nspec:\n  template:\n    spec:\n      containers:\n        - name: shop\n          resources:\n            limits:\n              memory: ${memory}\n`;
const base64 = (text: string) => Buffer.from(text).toString('base64');
const repo = '/repos/gopherguard/fleet';
const file = 'apps/shop/deployment.yaml';
const branch = 'gopherguard/0123abcd';

test('the sandbox token creates a repo, commits, branches and opens a pull request', async () => {
  assert.equal((await stat(join(dir, 'state.json'))).mode & 0o777, 0o600, 'state.json holds the token: owner-only');
  const me = await api<{ login: string; is_admin: boolean }>('GET', '/user');
  assert.deepEqual([me.login, me.is_admin], [gitea.username, true]);

  const created = await api<{ full_name: string; default_branch: string }>('POST', '/user/repos', { name: 'fleet', auto_init: true, default_branch: 'main', private: true });
  assert.deepEqual([created.full_name, created.default_branch], ['gopherguard/fleet', 'main']);

  const added = await api<{ content: { sha: string } }>('POST', `${repo}/contents/${file}`, { content: base64(manifest('64Mi')), message: 'Add shop', branch: 'main' });
  await api('POST', `${repo}/branches`, { new_branch_name: branch, old_ref_name: 'main' });
  await api('PUT', `${repo}/contents/${file}`, { content: base64(manifest('128Mi')), sha: added.content.sha, message: 'Raise shop memory to 128Mi', branch });

  const pull = await api<{ number: number; head: { ref: string }; base: { ref: string } }>('POST', `${repo}/pulls`, { head: branch, base: 'main', title: 'Raise shop memory to 128Mi' });
  assert.deepEqual([pull.head.ref, pull.base.ref], [branch, 'main']);
  const open = await api<Array<{ number: number }>>('GET', `${repo}/pulls?state=open`);
  assert.deepEqual(open.map((p) => p.number), [pull.number]);
});

test('git clones the private repo over HTTP with the token, pull request ref included', async () => {
  const clone = join(dir, 'clone');
  const auth = `Authorization: Basic ${base64(`${gitea.username}:${gitea.token}`)}`;
  const env = { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
  const git = (...args: string[]) => exec('git', ['-c', `http.extraHeader=${auth}`, ...args], { env });

  await git('clone', `${gitea.url}/gopherguard/fleet.git`, clone);
  assert.match(await readFile(join(clone, file), 'utf8'), /memory: 64Mi/);
  await git('-C', clone, 'fetch', 'origin', 'refs/pull/1/head');
  const { stdout } = await git('-C', clone, 'show', `FETCH_HEAD:${file}`);
  assert.match(stdout, /memory: 128Mi/);
  await assert.rejects(exec('git', ['ls-remote', `${gitea.url}/gopherguard/fleet.git`], { env }), 'without the token the private repo is not served');
});

test('down stops Gitea with the cluster, and nothing listens on the sandbox ports', async () => {
  assert.ok(state.ports.gitea, 'Gitea has a port of its own');
  assert.ok(state.processes.some((p) => p.name === 'gitea'));
  await stopSandbox(dir);
  for (const proc of state.processes) assert.ok(!isAlive(proc.pid), `${proc.name} stopped`);
  for (const port of Object.values(state.ports)) assert.equal(await isListening(port), false, `port ${port} free`);
});
