// Forge requests by forge and outcome, for the operator's metrics. Process-wide, like
// prom-client's default registry: forge clients are made per repository and per call,
// and threading a metrics object through each would touch every caller for a count.
import type { ForgeKind } from './types.ts';

/** success: a 2xx/3xx; error: an error status given up on; network: no answer; retried: an attempt that was repeated. */
export type ForgeRequestOutcome = 'success' | 'error' | 'network' | 'retried';

const counts = new Map<string, number>();

export function countForgeRequest(forge: ForgeKind, outcome: ForgeRequestOutcome): void {
  const key = `${forge}\u0000${outcome}`;
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

export function forgeRequestCounts(): Array<{ forge: string; outcome: string; count: number }> {
  return [...counts].map(([key, count]) => {
    const [forge = '', outcome = ''] = key.split('\u0000');
    return { forge, outcome, count };
  });
}
