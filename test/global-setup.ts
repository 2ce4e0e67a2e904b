// Starts one tier-3 sandbox (Kubernetes, KWOK, Gitea, Flux, Prometheus, Alertmanager) for the
// whole test run (node --test --test-global-setup) and hands its kubeconfig, Gitea and metrics
// stack to every test file through the environment. Set GOPHERGUARD_TEST_KUBECONFIG (and
// GOPHERGUARD_TEST_GITEA_URL, GOPHERGUARD_TEST_GITEA_TOKEN, GOPHERGUARD_TEST_SANDBOX_DIR,
// GOPHERGUARD_TEST_PROMETHEUS_URL and GOPHERGUARD_TEST_ALERTMANAGER_URL) to reuse a sandbox
// that is already running.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, stopSandbox } from '../src/sandbox/cluster/sandbox.ts';

let ownedDir: string | undefined;

export async function globalSetup(): Promise<void> {
  if (process.env.GOPHERGUARD_TEST_KUBECONFIG) return;
  ownedDir = await mkdtemp(join(tmpdir(), 'gopherguard-test-sandbox-'));
  const started = Date.now();
  const state = await startSandbox({
    dir: ownedDir,
    tier: 3,
    report: (line) => process.stderr.write(`[test sandbox] ${line}\n`),
  });
  process.stderr.write(`[test sandbox] tier 3 up in ${((Date.now() - started) / 1000).toFixed(1)}s at ${state.server}\n`);
  process.env.GOPHERGUARD_TEST_KUBECONFIG = state.kubeconfig;
  process.env.GOPHERGUARD_TEST_SANDBOX_DIR = ownedDir;
  if (state.gitea) {
    process.env.GOPHERGUARD_TEST_GITEA_URL = state.gitea.url;
    process.env.GOPHERGUARD_TEST_GITEA_TOKEN = state.gitea.token;
    process.env.GOPHERGUARD_TEST_GITEA_USER = state.gitea.username;
  }
  if (state.prometheus) process.env.GOPHERGUARD_TEST_PROMETHEUS_URL = state.prometheus.url;
  if (state.alertmanager) process.env.GOPHERGUARD_TEST_ALERTMANAGER_URL = state.alertmanager.url;
}

// Silent: CI reads the test runner's summary as the last lines of output.
export async function globalTeardown(): Promise<void> {
  if (!ownedDir) return;
  await stopSandbox(ownedDir);
  await rm(ownedDir, { recursive: true, force: true });
}
