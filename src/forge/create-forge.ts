// How the operator gets a forge: from a repository URL and a token (read from the Secret
// the AegisWatch names), with the forge kind from `spec.source.git.forge` or, for repos
// found through Argo CD or Flux, guessed from the host.
import { ForgeError } from './errors.ts';
import { createGiteaForge } from './gitea/gitea-forge.ts';
import { createGitHubForge } from './github/github-forge.ts';
import { createGitLabForge } from './gitlab/gitlab-forge.ts';
import { DEFAULT_MERGEABILITY_INTERVAL_MS, DEFAULT_MERGEABILITY_TIMEOUT_MS } from './mergeability.ts';
import { parseRepoUrl } from './repo-url.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.ts';
import { DEFAULT_TIMEOUT_MS, DEFAULT_USER_AGENT, realSleep, type ForgeRuntime } from './runtime.ts';
import type { Forge, ForgeKind, ForgeLog, RepoRef } from './types.ts';

export interface ForgeOptions {
  kind: ForgeKind;
  /** The REST root, e.g. `https://api.github.com`, `https://ghe.example/api/v3`, `https://gitlab.com/api/v4`. */
  apiBaseUrl: string;
  /**
   * A personal, project, group or installation access token. For a GitHub App, mint the
   * installation token with githubAppToken (github/app-token.ts) and pass it here.
   */
  token: string;
  log?: ForgeLog;
  retry?: Partial<RetryPolicy>;
  /** Per request attempt; default 30 s. */
  requestTimeoutMs?: number;
  /** How long isMergeable polls by default, and how often. */
  mergeability?: { timeoutMs?: number; intervalMs?: number };
  userAgent?: string;
  /** Tests and proxies; defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Tests. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export function createForge(options: ForgeOptions): Forge {
  if (!options.token.trim()) {
    throw new ForgeError({
      forge: options.kind, code: 'unauthorized', status: 0, retryable: false, operation: 'create forge client',
      message: `no token for ${options.apiBaseUrl}: the Secret named in spec.source.git.secretRef is missing or empty`,
    });
  }
  const runtime: ForgeRuntime = {
    token: options.token,
    retry: { ...DEFAULT_RETRY_POLICY, ...options.retry },
    timeoutMs: options.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS,
    userAgent: options.userAgent ?? DEFAULT_USER_AGENT,
    log: options.log ?? (() => {}),
    sleep: options.sleep ?? realSleep,
    now: options.now ?? Date.now,
    fetch: options.fetch,
    mergeability: {
      timeoutMs: options.mergeability?.timeoutMs ?? DEFAULT_MERGEABILITY_TIMEOUT_MS,
      intervalMs: options.mergeability?.intervalMs ?? DEFAULT_MERGEABILITY_INTERVAL_MS,
    },
  };
  const base = options.apiBaseUrl.replace(/\/+$/, '');
  switch (options.kind) {
    case 'github':
      return createGitHubForge(base, runtime);
    case 'gitlab':
      return createGitLabForge(base, runtime);
    case 'gitea':
      return createGiteaForge(base, runtime);
  }
}

export interface ForgeForRepoOptions extends Omit<ForgeOptions, 'kind' | 'apiBaseUrl'> {
  /** `spec.source.git.forge`; guessed from the host when absent. */
  kind?: ForgeKind;
  /** When the forge's API is not at its usual place (a sub-path install, a proxy). */
  apiBaseUrl?: string;
}

/**
 * A forge client and the repository it is for, from a repository URL. Throws RepoUrlError
 * for a URL it cannot read or a host whose forge it cannot guess.
 */
export function forgeForRepo(repoUrl: string, options: ForgeForRepoOptions): { forge: Forge; repo: RepoRef } {
  const repo = parseRepoUrl(repoUrl, { ...(options.kind ? { kind: options.kind } : {}), ...(options.apiBaseUrl ? { apiBaseUrl: options.apiBaseUrl } : {}) });
  return { forge: createForge({ ...options, kind: repo.kind, apiBaseUrl: repo.apiBaseUrl }), repo };
}
