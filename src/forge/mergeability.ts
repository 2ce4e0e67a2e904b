// GitHub, GitLab and Gitea all work out mergeability in the background after a push or a
// new request (Gitea answers 405 "Please try again later" to a merge meanwhile), so a
// caller polls, for a bounded time, until the forge has an answer.
import type { Mergeability } from './types.ts';

export const DEFAULT_MERGEABILITY_TIMEOUT_MS = 30_000;
export const DEFAULT_MERGEABILITY_INTERVAL_MS = 1_000;

/** `pending` while the forge is still computing; `lastReason` explains an `unknown` outcome. */
export type MergeabilityProbe = { pending: true; reason: string } | ({ pending: false } & Mergeability);

export interface PollOptions {
  timeoutMs: number;
  intervalMs: number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
}

export async function pollMergeability(probe: () => Promise<MergeabilityProbe>, options: PollOptions): Promise<Mergeability> {
  const deadline = options.now() + options.timeoutMs;
  for (;;) {
    const answer = await probe();
    if (!answer.pending) return { state: answer.state, reason: answer.reason };
    const left = deadline - options.now();
    if (left <= 0) return { state: 'unknown', reason: `${answer.reason}, still after ${Math.round(options.timeoutMs / 1000)} s` };
    await options.sleep(Math.min(options.intervalMs, left));
  }
}
