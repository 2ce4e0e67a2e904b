#!/usr/bin/env node
import { ANALYZE_USAGE, runAnalyzeCommand } from './analyze-command.ts';
import { CRDS_USAGE, runCrdsCommand } from './crds-command.ts';
import { RUN_USAGE, runRunCommand } from './run-command.ts';
import { SANDBOX_USAGE } from './sandbox-usage.ts';
import { UsageError } from './usage-error.ts';

const USAGE = `Usage: gopherguard <command>

Commands:
  sandbox   run a local cluster of real Kubernetes components (see: gopherguard sandbox --help)
  demo      the whole loop on a local sandbox: a breaking commit healed by a PR (--fault oom|error-rate, --once)
  run       run the operator (in-cluster, or with a kubeconfig)
  analyze   list what is failing in a cluster and why (one scan, read-only)
  crds      print the CustomResourceDefinitions (AegisWatch, HealingIncident)

${SANDBOX_USAGE}`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    const usage: Record<string, string> = { sandbox: SANDBOX_USAGE, crds: CRDS_USAGE, analyze: ANALYZE_USAGE, run: RUN_USAGE };
    process.stdout.write(`${usage[command] ?? USAGE}\n`);
    return 0;
  }
  switch (command) {
    // The sandbox and the demo use client-node; imported on demand so that the operator
    // (run) never loads it (ADR 7).
    case 'sandbox':
      return (await import('./sandbox-command.ts')).runSandboxCommand(rest);
    case 'demo':
      return (await import('./demo-command.ts')).runDemo(rest);
    case 'run':
      return runRunCommand(rest);
    case 'analyze':
      return runAnalyzeCommand(rest);
    case 'crds':
      return runCrdsCommand(rest);
    default:
      throw new UsageError(`unknown command: ${command}`, USAGE);
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`gopherguard: ${error.message}\n${error.usage ? `\n${error.usage}\n` : ''}`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`gopherguard: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
