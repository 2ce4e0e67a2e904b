import { parseArgs } from 'node:util';
import { renderCrds } from '../api/crd.ts';
import { UsageError } from './usage-error.ts';

export const CRDS_USAGE = `Usage: gopherguard crds

Prints the CustomResourceDefinitions of gopherguard.dev/v1alpha1 (AegisWatch,
HealingIncident) as one YAML stream, generated from the schemas the operator uses:

  gopherguard crds | kubectl apply --server-side -f -`;

export async function runCrdsCommand(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), CRDS_USAGE);
  }
  if (parsed.values.help) {
    process.stdout.write(`${CRDS_USAGE}\n`);
    return 0;
  }
  if (parsed.positionals.length > 0) throw new UsageError(`crds takes no arguments, not ${parsed.positionals.join(' ')}`, CRDS_USAGE);
  process.stdout.write(renderCrds());
  return 0;
}
