import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A path inside this checkout (the sandbox's checked-in stage library, logs, versions). */
export function repoPath(...parts: string[]): string {
  return join(repoRoot, ...parts);
}

/**
 * Where built binaries are cached, by component and version. Outside the repo so that
 * a fresh clone (CI) reuses what an earlier run on the same machine built.
 */
export function binaryCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GOPHERGUARD_SANDBOX_CACHE) return resolve(env.GOPHERGUARD_SANDBOX_CACHE);
  const base = env.XDG_CACHE_HOME ? resolve(env.XDG_CACHE_HOME) : join(homedir(), '.cache');
  return join(base, 'gopherguard', 'sandbox');
}

/** Where a named sandbox keeps its PKI, data, logs and state unless --dir says otherwise. */
export function defaultSandboxDir(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_STATE_HOME ? resolve(env.XDG_STATE_HOME) : join(homedir(), '.local', 'state');
  return join(base, 'gopherguard', 'sandboxes', name);
}
