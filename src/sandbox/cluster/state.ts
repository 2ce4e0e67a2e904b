import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Tier } from '../build-all.ts';
import type { SandboxPorts } from './control-plane.ts';
import type { GiteaAccess } from './gitea.ts';
import type { ManagedProcess } from './processes.ts';

/** Everything needed to use or stop a running sandbox; saved as state.json in its folder. */
export interface SandboxState {
  dir: string;
  tier: Tier;
  kubeconfig: string;
  server: string;
  ports: SandboxPorts;
  processes: ManagedProcess[];
  startedAt: string;
  /** Milliseconds from the call to a ready cluster, binaries already built. */
  startupMs: number;
  /** Tier 3: the forge, its admin user and an access token with every scope. */
  gitea?: GiteaAccess;
  /** Tier 3: Prometheus, scraping the simulated pods' metrics (API under /api/v1). */
  prometheus?: { url: string };
  /** Tier 3: Alertmanager, receiving Prometheus's alerts (API under /api/v2). */
  alertmanager?: { url: string };
}

export const STATE_FILE = 'state.json';

export async function readSandboxState(dir: string): Promise<SandboxState | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, STATE_FILE), 'utf8')) as SandboxState;
  } catch {
    return undefined;
  }
}

/** Owner-only, like the kubeconfig: it holds Gitea's token and password. */
export async function saveState(state: SandboxState): Promise<void> {
  const file = join(state.dir, STATE_FILE);
  await writeFile(file, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  await chmod(file, 0o600); // mode applies only when the file is created
}
