import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { describeComponents, ensureComponents, TIERS, type Tier } from '../sandbox/build-all.ts';
import { sandboxStatus, startSandbox, stopSandbox, type SandboxState } from '../sandbox/cluster/sandbox.ts';
import { defaultSandboxDir } from '../sandbox/paths.ts';
import { SANDBOX_USAGE } from './sandbox-usage.ts';
import { UsageError } from './usage-error.ts';

const report = (line: string) => process.stderr.write(`[sandbox] ${line}\n`);

export interface SandboxCliOptions {
  tier: Tier;
  dir: string;
  nodes: number;
}

export function parseSandboxOptions(args: string[]): { command: string | undefined; options: SandboxCliOptions } {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      tier: { type: 'string', default: '2' },
      name: { type: 'string', default: 'default' },
      dir: { type: 'string' },
      nodes: { type: 'string', default: '3' },
    },
  });
  const tier = TIERS.find((t) => String(t) === values.tier);
  if (tier === undefined) throw new UsageError(`--tier must be ${TIERS.slice(0, -1).join(', ')} or ${TIERS.at(-1)}, not ${values.tier}`);
  const nodes = Number(values.nodes);
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 100) throw new UsageError(`--nodes must be a whole number from 1 to 100, not ${values.nodes}`);
  if (!/^[a-z0-9][a-z0-9-]*$/.test(values.name)) throw new UsageError(`--name must be lower-case letters, digits and dashes, not ${values.name}`);
  const dir = values.dir ? resolve(values.dir) : defaultSandboxDir(values.name);
  return { command: positionals[0], options: { tier, dir, nodes } };
}

export function usageLines(state: SandboxState): string[] {
  return [
    `export KUBECONFIG=${state.kubeconfig}`,
    '',
    `# tier ${state.tier} sandbox at ${state.server}, ready in ${(state.startupMs / 1000).toFixed(1)}s; logs in ${state.dir}/logs`,
    '# kubectl get nodes          (any kubectl 1.34+ works with this kubeconfig)',
    ...state.gitea ? [giteaLine(state)] : [],
    ...state.prometheus ? [`# prometheus at ${state.prometheus.url} (the simulated pods' metrics); alertmanager at ${state.alertmanager?.url}`] : [],
    `# gopherguard sandbox down --dir ${state.dir}`,
  ];
}

function giteaLine(state: SandboxState): string {
  return `# gitea at ${state.gitea?.url} as ${state.gitea?.username}; its token and password are under "gitea" in ${state.dir}/state.json`;
}

export async function runSandboxCommand(args: string[]): Promise<number> {
  const { command, options } = parseSandboxOptions(args);
  switch (command) {
    case 'up': {
      const state = await startSandbox({ dir: options.dir, tier: options.tier, nodes: options.nodes, report });
      process.stdout.write(`${usageLines(state).join('\n')}\n`);
      return 0;
    }
    case 'down': {
      const { stopped } = await stopSandbox(options.dir);
      report(stopped > 0 ? `stopped ${stopped} processes; nothing of the sandbox in ${options.dir} is listening` : `no sandbox was running in ${options.dir}`);
      return 0;
    }
    case 'status': {
      const status = await sandboxStatus(options.dir);
      if (!status) {
        process.stdout.write(`no sandbox in ${options.dir}\n`);
        return 1;
      }
      process.stdout.write(`tier ${status.state.tier} at ${status.state.server}: API server ${status.apiserverReady ? 'ready' : 'NOT ready'}\n`);
      if (status.state.gitea) process.stdout.write(`gitea at ${status.state.gitea.url}: API ${status.giteaReady ? 'ready' : 'NOT ready'}\n`);
      if (status.state.prometheus) process.stdout.write(`prometheus at ${status.state.prometheus.url}: ${status.prometheusReady ? 'ready' : 'NOT ready'}\n`);
      if (status.state.alertmanager) process.stdout.write(`alertmanager at ${status.state.alertmanager.url}: ${status.alertmanagerReady ? 'ready' : 'NOT ready'}\n`);
      for (const c of status.components) process.stdout.write(`  ${c.name.padEnd(24)} pid ${String(c.pid).padEnd(8)} ${c.running ? 'running' : 'STOPPED'}  ${c.logFile}\n`);
      process.stdout.write(`export KUBECONFIG=${status.state.kubeconfig}\n`);
      const ready = status.apiserverReady && status.giteaReady !== false && status.prometheusReady !== false && status.alertmanagerReady !== false;
      return ready && status.components.every((c) => c.running) ? 0 : 1;
    }
    case 'build': {
      const built = await ensureComponents(options.tier, report);
      process.stdout.write(`${describeComponents(built).join('\n')}\n`);
      return 0;
    }
    default:
      throw new UsageError(command ? `unknown sandbox command: ${command}` : 'which sandbox command?', SANDBOX_USAGE);
  }
}
