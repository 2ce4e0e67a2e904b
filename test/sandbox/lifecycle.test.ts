// The sandbox as a user drives it: the CLI starts a second cluster beside the test run's
// own, on other ports; status reports it; down leaves nothing running or listening.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { isAlive } from '../../src/sandbox/binaries/file-lock.ts';
import { readSandboxState, SandboxRunningError, startSandbox } from '../../src/sandbox/cluster/sandbox.ts';
import { isListening } from '../../src/sandbox/cluster/ports.ts';

const exec = promisify(execFile);
const cli = (...args: string[]) => exec(process.execPath, ['src/cli/main.ts', 'sandbox', ...args], { cwd: join(import.meta.dirname, '..', '..') });

test('a second sandbox runs beside the first on its own ports, and down stops all of it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'gopherguard-second-'));
  try {
    const up = await cli('up', '--tier', '1', '--dir', dir);
    assert.match(up.stdout, new RegExp(`^export KUBECONFIG=${join(dir, 'kubeconfig')}$`, 'm'));
    const state = await readSandboxState(dir);
    assert.ok(state);
    const mainKubeconfig = await readFile(process.env.GOPHERGUARD_TEST_KUBECONFIG ?? '', 'utf8');
    assert.ok(!mainKubeconfig.includes(`127.0.0.1:${state.ports.apiserver}`), 'a different API server port from the test run\'s sandbox');

    const kc = new KubeConfig();
    kc.loadFromFile(state.kubeconfig);
    const namespaces = await kc.makeApiClient(CoreV1Api).listNamespace();
    assert.ok(namespaces.items.some((n) => n.metadata?.name === 'kube-system'));

    const status = await cli('status', '--dir', dir);
    assert.match(status.stdout, /tier 1 at https:\/\/127\.0\.0\.1:\d+: API server ready/);
    assert.match(status.stdout, /kube-apiserver\s+pid \d+\s+running/);

    await assert.rejects(startSandbox({ dir, tier: 1 }), SandboxRunningError, 'one sandbox per folder');

    const down = await cli('down', '--dir', dir);
    assert.match(down.stderr, /stopped 2 processes; nothing of the sandbox .* is listening/);
    for (const proc of state.processes) assert.ok(!isAlive(proc.pid), `${proc.name} stopped`);
    for (const port of Object.values(state.ports)) assert.equal(await isListening(port), false, `port ${port} free`);
    await assert.rejects(cli('status', '--dir', dir), (e: { stdout?: string; code?: number }) => e.code === 1 && /no sandbox in/.test(e.stdout ?? ''));
  } finally {
    await cli('down', '--dir', dir).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
});
