// The gate every proposed change passes before it reaches Git: the policy check first,
// then the API server's dry-run. A change the policy refuses is never sent anywhere, not
// even to a dry-run: admission webhooks would see it, and the policy's reasons suffice.
import { checkChange } from './check.ts';
import { dryRunChange, type DryRunClient } from './dry-run.ts';
import type { ChangeInput } from './types.ts';

export interface GuardInput extends ChangeInput {
  /** The namespace the manifest deploys to when it does not say (set by Kustomize, Argo CD). */
  namespace?: string;
  signal?: AbortSignal;
}

/**
 * One verdict with every reason. `stage` says who refused: the policy (record it on the
 * incident, open no PR) or the API server; `retryable` marks a dry-run that could not be
 * judged (unreachable, overloaded, conflicting twice), which is worth asking again later.
 */
export type GuardVerdict =
  | { ok: true }
  | { ok: false; stage: 'policy' | 'dry-run'; reasons: string[]; retryable?: boolean };

export async function guardChange(client: DryRunClient, input: GuardInput): Promise<GuardVerdict> {
  const policy = checkChange(input);
  if (!policy.ok) return { ok: false, stage: 'policy', reasons: policy.reasons };
  const dryRun = await dryRunChange(client, input.after, { namespace: input.namespace, signal: input.signal });
  if (dryRun.ok) return { ok: true };
  return { ok: false, stage: 'dry-run', reasons: dryRun.reasons, ...(dryRun.retryable && { retryable: true }) };
}
