import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface LockOptions {
  /** How often to look again while another process holds the lock. */
  pollMs?: number;
  /** Called once when we start waiting, so a person knows why nothing happens. */
  onWait?: (holderPid: number) => void;
}

/**
 * Runs `work` while holding an exclusive lock named by a directory. mkdir is atomic on
 * every local filesystem, and the holder's pid lets a later process break a lock left
 * behind by one that was killed (a CI timeout, a Ctrl-C during a 20-minute build).
 */
export async function withFileLock<T>(lockDir: string, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const pollMs = options.pollMs ?? 1000;
  let announced = false;
  for (;;) {
    try {
      await mkdir(lockDir);
      await writeFile(join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = await readHolder(lockDir);
      const abandoned = holder === undefined ? await olderThan(lockDir, 60_000) : !isAlive(holder);
      if (abandoned) {
        await rm(lockDir, { recursive: true, force: true });
        continue;
      }
      if (!announced && holder !== undefined) {
        options.onWait?.(holder);
        announced = true;
      }
      await sleep(pollMs);
    }
  }
  try {
    return await work();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}

async function readHolder(lockDir: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt(await readFile(join(lockDir, 'pid'), 'utf8'), 10);
    return Number.isFinite(pid) ? pid : undefined;
  } catch {
    // The holder has created the directory but not yet written its pid (or died in
    // between): the caller decides by the directory's age.
    return undefined;
  }
}

async function olderThan(path: string, ms: number): Promise<boolean> {
  try {
    return Date.now() - (await stat(path)).mtimeMs > ms;
  } catch {
    return true;
  }
}

/**
 * True while a process exists and is not a zombie. A stopped component whose parent has
 * gone waits as a zombie until PID 1 reaps it, and some container inits never do; signal
 * 0 still succeeds on it, so /proc decides where there is one.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch (error) {
    // Gone in between, or no procfs at all (then trust the signal).
    return (error as NodeJS.ErrnoException).code !== 'ENOENT' || !existsSync('/proc/self/stat');
  }
}
