import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAlive } from '../binaries/file-lock.ts';

export interface ManagedProcess {
  name: string;
  pid: number;
  logFile: string;
  /** How it was started, so that it can be restarted the same way. */
  command: string;
  args: string[];
  cwd?: string;
  extraEnv?: Record<string, string>;
}

export interface StartOptions {
  name: string;
  command: string;
  args: string[];
  logFile: string;
  /** Variables added to this process's environment. */
  extraEnv?: Record<string, string>;
  cwd?: string;
}

/**
 * Starts a component detached in its own process group, output appended to its log
 * file, so that `sandbox up` can return while the cluster keeps running and `sandbox
 * down` can stop the whole group (children included) by pid alone.
 */
export function startProcess(options: StartOptions): ManagedProcess {
  const fd = openSync(options.logFile, 'a');
  try {
    const child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.extraEnv },
      detached: true,
      stdio: ['ignore', fd, fd],
    });
    if (child.pid === undefined) throw new Error(`could not start ${options.name} (${options.command})`);
    child.unref();
    return { name: options.name, pid: child.pid, logFile: options.logFile, command: options.command, args: options.args, cwd: options.cwd, extraEnv: options.extraEnv };
  } finally {
    closeSync(fd);
  }
}

/** SIGTERM to the process group, then SIGKILL after the grace period. */
export async function stopProcess(proc: Pick<ManagedProcess, 'pid'>, graceMs = 5000): Promise<void> {
  if (!signalGroup(proc.pid, 'SIGTERM')) return;
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(proc.pid)) return;
    await sleep(50);
  }
  signalGroup(proc.pid, 'SIGKILL');
  for (let i = 0; i < 100 && isAlive(proc.pid); i += 1) await sleep(20);
}

function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    try {
      process.kill(pid, signal);
      return true;
    } catch {
      return false;
    }
  }
}

export function logTail(logFile: string, lines = 25): string {
  try {
    return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export class StartupError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StartupError';
  }
}

/**
 * Polls `check` until it returns true. Fails early, with the component's last log
 * lines, when the process has exited: a bad flag should say so, not time out.
 */
export async function waitUntil(proc: ManagedProcess, what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!isAlive(proc.pid)) {
      throw new StartupError(`${proc.name} exited before it was ${what}. Last lines of ${proc.logFile}:\n${logTail(proc.logFile)}`);
    }
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) {
      throw new StartupError(`${proc.name} was not ${what} after ${timeoutMs / 1000}s. Last lines of ${proc.logFile}:\n${logTail(proc.logFile)}`);
    }
    await sleep(200);
  }
}
