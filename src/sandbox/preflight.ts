import { execFileSync } from 'node:child_process';

const INSTALL_HINTS: Record<string, string> = {
  go: 'install Go 1.26 or newer (https://go.dev/doc/install) and put it on PATH',
  gcc: 'install a C compiler, e.g. `apt-get install gcc`',
  openssl: 'install OpenSSL, e.g. `apt-get install openssl`',
  git: 'install git, e.g. `apt-get install git`',
};

export class MissingToolError extends Error {
  readonly tool: string;
  constructor(tool: string, purpose: string) {
    super(`The sandbox needs \`${tool}\` ${purpose}, but it is not on PATH: ${INSTALL_HINTS[tool] ?? `install ${tool}`}.`);
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
