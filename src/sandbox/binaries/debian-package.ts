import { execFile } from 'node:child_process';
import { access, constants, mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { binaryCacheRoot } from '../paths.ts';
import { MissingToolError } from '../preflight.ts';
import { withFileLock } from './file-lock.ts';
import { formatDuration, type Report } from './go-command.ts';
import { BinaryNotUsableError, assertExecutable, exists } from './resolve.ts';

const exec = promisify(execFile);

/**
 * Prometheus and Alertmanager come from Debian's packages, not from the Go module proxy
 * (ADR 16): Prometheus's module needs its web UI built with npm, and Go builds of both
 * would add a quarter of an hour to a cold CI run. Pinned to Debian bookworm's versions.
 */
export const DEBIAN_TOOLS = {
  prometheus: {
    package: 'prometheus', version: '2.42.0', envVar: 'GOPHERGUARD_PROMETHEUS_BIN',
    onPath: ['prometheus'], inPackage: 'usr/bin/prometheus',
  },
  alertmanager: {
    // Debian renames the binary; an upstream tarball on PATH is called alertmanager.
    package: 'prometheus-alertmanager', version: '0.25.0', envVar: 'GOPHERGUARD_ALERTMANAGER_BIN',
    onPath: ['prometheus-alertmanager', 'alertmanager'], inPackage: 'usr/bin/prometheus-alertmanager',
  },
} as const;

export type DebianTool = keyof typeof DEBIAN_TOOLS;

export interface ResolvedDebianTools {
  /** The cache folder's name: both pins. */
  version: string;
  binaries: Record<DebianTool, string>;
  sources: Record<DebianTool, 'env' | 'path' | 'cache' | 'downloaded'>;
  /** The cache folder, when a binary came from it. */
  dir?: string;
}

export interface ResolveDebianOptions {
  env?: NodeJS.ProcessEnv;
  report?: Report;
}

const TOOLS = Object.keys(DEBIAN_TOOLS) as DebianTool[];
const PURPOSE = 'for the tier-3 sandbox\'s metrics and alerts';

/** Both pins, which name the cache folder: changing either fetches the packages again. */
export const DEBIAN_TOOLS_VERSION = TOOLS.map((tool) => `${tool}-${DEBIAN_TOOLS[tool].version}`).join('_');

/** The folder under the binary cache, e.g. prometheus-deb/prometheus-2.42.0_alertmanager-0.25.0. */
export function debianCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(binaryCacheRoot(env), 'prometheus-deb', DEBIAN_TOOLS_VERSION);
}

/**
 * Finds Prometheus and Alertmanager: an env var per binary, else PATH (what CI installs
 * with apt-get), else the cache, else Debian's packages fetched with `apt-get download`
 * and unpacked with `dpkg-deb -x` into the cache (no root needed, only apt's lists).
 */
export async function resolveDebianTools(options: ResolveDebianOptions = {}): Promise<ResolvedDebianTools> {
  const env = options.env ?? process.env;
  const report = options.report ?? (() => undefined);
  const dir = debianCacheDir(env);
  const version = DEBIAN_TOOLS_VERSION;
  const binaries: Partial<Record<DebianTool, string>> = {};
  const sources: Partial<ResolvedDebianTools['sources']> = {};
  for (const tool of TOOLS) {
    const spec = DEBIAN_TOOLS[tool];
    const fromEnv = env[spec.envVar];
    if (fromEnv) {
      await assertExecutable(fromEnv, `${spec.envVar}=${fromEnv}`);
      binaries[tool] = fromEnv;
      sources[tool] = 'env';
      continue;
    }
    const onPath = await findOnPath(spec.onPath, env);
    if (onPath) {
      binaries[tool] = onPath;
      sources[tool] = 'path';
    }
  }
  const missing = TOOLS.filter((tool) => binaries[tool] === undefined);
  if (missing.length === 0) return { version, binaries: binaries as Record<DebianTool, string>, sources: sources as ResolvedDebianTools['sources'] };

  const source = await exists(dir) ? 'cache' : await downloadPackages(dir, env, report);
  for (const tool of missing) {
    binaries[tool] = join(dir, DEBIAN_TOOLS[tool].inPackage);
    sources[tool] = source;
  }
  return { version, dir, binaries: binaries as Record<DebianTool, string>, sources: sources as ResolvedDebianTools['sources'] };
}

/** Both packages into the cache folder, through a scratch folder renamed into place under a lock. */
async function downloadPackages(dir: string, env: NodeJS.ProcessEnv, report: Report): Promise<'cache' | 'downloaded'> {
  await mkdir(join(dir, '..'), { recursive: true });
  return withFileLock(`${dir}.lock`, async () => {
    if (await exists(dir)) return 'cache';
    const started = Date.now();
    const packages = TOOLS.map((tool) => DEBIAN_TOOLS[tool].package);
    report(`downloading Debian's ${packages.join(' and ')} with apt-get (cached in ${dir} afterwards)`);
    const staging = `${dir}.partial-${process.pid}`;
    const workDir = await mkdtemp(join(tmpdir(), 'gopherguard-deb-'));
    try {
      await rm(staging, { recursive: true, force: true });
      await mkdir(staging, { recursive: true });
      try {
        await run('apt-get', ['download', ...packages], workDir, env);
      } catch (error) {
        // A fresh machine (or container) often has no package lists yet; root can fetch them.
        if (!mayUpdateApt(env)) throw error;
        report('apt-get download found no packages; running apt-get update first');
        await run('apt-get', ['update', '-qq'], workDir, env);
        await run('apt-get', ['download', ...packages], workDir, env);
      }
      const debs = (await readdir(workDir)).filter((f) => f.endsWith('.deb'));
      for (const tool of TOOLS) {
        const spec = DEBIAN_TOOLS[tool];
        const deb = debs.find((f) => f.startsWith(`${spec.package}_`));
        if (!deb) throw new MissingToolError('prometheus', PURPOSE, { cause: new Error(`apt-get download left no ${spec.package} package`) });
        const offered = upstreamVersion(await run('dpkg-deb', ['--field', join(workDir, deb), 'Version'], workDir, env));
        if (offered !== spec.version) {
          throw new BinaryNotUsableError(`apt-get offers ${spec.package} ${offered}, but the sandbox is pinned to Debian bookworm's ${spec.version}: install a ${spec.version} package or set ${spec.envVar}.`);
        }
        await run('dpkg-deb', ['-x', join(workDir, deb), staging], workDir, env);
        await assertExecutable(join(staging, spec.inPackage), `${spec.inPackage} in ${deb}`);
      }
      await rename(staging, dir);
    } finally {
      await rm(staging, { recursive: true, force: true });
      await rm(workDir, { recursive: true, force: true });
    }
    report(`unpacked ${packages.join(' and ')} in ${formatDuration(Date.now() - started)}`);
    return 'downloaded';
  }, { onWait: (pid) => report(`waiting for process ${pid}, which is downloading Debian's prometheus packages`) });
}

/**
 * Prometheus's and Alertmanager's own checkers, which the same packages ship beside the
 * servers (promtool with prometheus, amtool with alertmanager): for tests of what the
 * sandbox writes.
 */
export function debianCheckers(tools: Pick<ResolvedDebianTools, 'binaries'>): { promtool: string; amtool: string } {
  return { promtool: join(dirname(tools.binaries.prometheus), 'promtool'), amtool: join(dirname(tools.binaries.alertmanager), 'amtool') };
}

/** apt-get update needs root; GOPHERGUARD_APT_UPDATE=false forbids it, =true asks for it (tests). */
function mayUpdateApt(env: NodeJS.ProcessEnv): boolean {
  if (env.GOPHERGUARD_APT_UPDATE === 'false') return false;
  return env.GOPHERGUARD_APT_UPDATE === 'true' || process.getuid?.() === 0;
}

/** "2.42.0+ds-5+deb12u1" (or with an epoch, "1:2.42.0-1") → "2.42.0". */
export function upstreamVersion(debianVersion: string): string {
  return debianVersion.trim().replace(/^\d+:/, '').split(/[+~-]/)[0] ?? '';
}

/** One command; a missing tool or a failure (no apt lists, no network) names what to install. */
async function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  try {
    const { stdout } = await exec(command, args, { cwd, env, timeout: 300_000, maxBuffer: 4 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const { stderr = '' } = error as { stderr?: string };
    const last = stderr.trim().split('\n').filter((line) => !line.startsWith('W: ')).at(-1) ?? String(error);
    throw new MissingToolError('prometheus', PURPOSE, { cause: new Error(`${command} ${args[0]} failed: ${last}`) });
  }
}

async function findOnPath(names: readonly string[], env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const name of names) {
    for (const dir of dirs) {
      const path = join(dir, name);
      try {
        await access(path, constants.X_OK);
        if ((await stat(path)).isFile()) return path;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}
