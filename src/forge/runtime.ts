// What every forge client needs besides its URL and token, resolved once from ForgeOptions
// so that the clients need not repeat the defaults.
import type { RetryPolicy } from './retry-policy.ts';
import type { ForgeLog } from './types.ts';

export interface ForgeRuntime {
  token: string;
  retry: RetryPolicy;
  /** Per attempt. */
  timeoutMs: number;
  userAgent: string;
  log: ForgeLog;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  fetch: typeof fetch | undefined;
  mergeability: { timeoutMs: number; intervalMs: number };
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_USER_AGENT = 'gopherguard (+https://gopherguard.dev)';

export function realSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
