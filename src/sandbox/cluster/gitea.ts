import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateGiteaSecrets, giteaIni } from './gitea-ini.ts';
import { probeOk } from './probe.ts';
import { StartupError, waitUntil, type ManagedProcess } from './processes.ts';

const exec = promisify(execFile);

/** How tests and the operator reach the sandbox's forge; saved in state.json (mode 0600). */
export interface GiteaAccess {
  /** Base URL, e.g. http://127.0.0.1:40123 (REST under /api/v1, git over HTTP at /owner/repo.git). */
  url: string;
  /** A site administrator. */
  username: string;
  /** Access token with every scope: `Authorization: token <token>`, or the password of git over HTTP. */
  token: string;
  password: string;
}

export const GITEA_USERNAME = 'gopherguard';

export interface StartGiteaOptions {
  binary: string;
  /** Folder with templates/, options/ and public/. */
  staticRoot: string;
  /** The sandbox's folder; Gitea's files go under gitea/ in it. */
  dir: string;
  port: number;
  /** Starts a managed process (recorded in the sandbox state, stopped by `sandbox down`). */
  launch: (name: string, command: string, args: string[]) => Promise<ManagedProcess>;
}

/**
 * Starts a fresh Gitea: writes app.ini, creates the database, an admin user and an
 * access token with the CLI (before the server runs, so nothing races it), then runs
 * `gitea web` and returns once its API answers.
 */
export async function startGitea(options: StartGiteaOptions): Promise<GiteaAccess> {
  const workDir = join(options.dir, 'gitea');
  // Each start is a new forge, as each start is a new etcd.
  await rm(workDir, { recursive: true, force: true });
  await mkdir(workDir, { recursive: true, mode: 0o700 }); // app.ini and the database hold secrets
  const config = join(workDir, 'app.ini');
  const ini = giteaIni({ workDir, port: options.port, staticRoot: options.staticRoot, secrets: generateGiteaSecrets() });
  await writeFile(config, ini, { mode: 0o600 });
  const base = ['--config', config, '--work-path', workDir];

  await runGitea(options.binary, base, ['migrate'], 'create its database');
  const password = randomBytes(18).toString('base64url');
  const created = await runGitea(options.binary, base, [
    'admin', 'user', 'create',
    '--username', GITEA_USERNAME, '--password', password, '--email', `${GITEA_USERNAME}@sandbox.invalid`,
    '--admin', '--must-change-password=false',
    '--access-token', '--access-token-name', 'sandbox', '--access-token-scopes', 'all',
  ], 'create its admin user');
  const token = /Access token was successfully created\.\.\. (\w+)/.exec(created)?.[1];
  if (!token) throw new StartupError(`gitea admin user create printed no access token:\n${created}`);

  const url = `http://127.0.0.1:${options.port}`;
  const web = await options.launch('gitea', options.binary, [...base, 'web']);
  await waitUntil(web, 'serving its API', () => probeOk({ url: `${url}/api/v1/version` }), 60_000);
  return { url, username: GITEA_USERNAME, token, password };
}

/** One Gitea CLI command; its output says why it failed. Returns stdout. */
async function runGitea(binary: string, base: string[], command: string[], purpose: string): Promise<string> {
  try {
    const { stdout } = await exec(binary, [...base, ...command], { timeout: 120_000, maxBuffer: 4 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    const output = `${stdout}${stderr}`.trim().split('\n').slice(-25).join('\n');
    throw new StartupError(`gitea could not ${purpose} (gitea ${command.slice(0, 3).join(' ')}):\n${output}`, { cause: error });
  }
}
