import { execFileSync } from 'node:child_process';

const INSTALL_HINTS: Record<string, string> = {
  go: 'install Go 1.26 or newer (https://go.dev/doc/install) and put it on PATH',
  gcc: 'install a C compiler, e.g. `apt-get install gcc`',
  openssl: 'install OpenSSL, e.g. `apt-get install openssl`',
  git: 'install git, e.g. `apt-get install git`',
  prometheus: 'install Debian\'s packages with `apt-get install prometheus prometheus-alertmanager`, or name the binaries in GOPHERGUARD_PROMETHEUS_BIN and GOPHERGUARD_ALERTMANAGER_BIN',
};

export class MissingToolError extends Error {
  readonly tool: string;
  constructor(tool: string, purpose: string, options?: ErrorOptions) {
    super(`The sandbox needs \`${tool}\` ${purpose}, but it is not on PATH: ${INSTALL_HINTS[tool] ?? `install ${tool}`}.`, options);
    this.name = 'MissingToolError';
    this.tool = tool;
  }
}

export function hasTool(tool: string, env: NodeJS.ProcessEnv = process.env): boolean {
  try {
    execFileSync('sh', ['-c', `command -v "$0"`, tool], { env, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Fails with one sentence that says what to install, before a long build starts. */
export function requireTools(tools: string[], purpose: string, env: NodeJS.ProcessEnv = process.env): void {
  for (const tool of tools) {
    if (!hasTool(tool, env)) throw new MissingToolError(tool, purpose);
  }
}
