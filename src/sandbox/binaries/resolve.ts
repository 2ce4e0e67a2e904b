import { access, constants, mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binaryCacheRoot } from '../paths.ts';
import { requireTools } from '../preflight.ts';
import type { SandboxVersions } from '../versions.ts';
import { withFileLock } from './file-lock.ts';
import { formatDuration, type Report } from './go-command.ts';
import { COMPONENTS, componentVersion, type ComponentName, type ComponentSpec } from './recipes.ts';

export interface ResolveOptions {
  versions: SandboxVersions;
  env?: NodeJS.ProcessEnv;
  report?: Report;
}

export interface ResolvedComponent {
  name: ComponentName;
  version: string;
  /** Cache folder of this version (absent when every binary came from env vars). */
  dir?: string;
  /** Absolute path of each binary by file name, e.g. binaries['kube-apiserver']. */
  binaries: Record<string, string>;
  /** How this call got it, for timing reports. */
  source: 'env' | 'cache' | 'built';
  buildMs?: number;
}

export class BinaryNotUsableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'BinaryNotUsableError';
  }
}

/**
 * Finds a component's binaries: an env var path per binary first, else the cache folder
 * for its pinned version, else builds it from the Go module proxy into that folder.
 * Builds happen in a scratch folder renamed into place, under a lock, so concurrent test
 * runs and a killed build never leave a half-written cache entry behind.
 */
export async function resolveComponent(name: ComponentName, options: ResolveOptions): Promise<ResolvedComponent> {
  const env = options.env ?? process.env;
  const report = options.report ?? (() => undefined);
  const spec: ComponentSpec = COMPONENTS[name];
  const version = componentVersion(spec, options.versions);

  const fromEnv: Record<string, string> = {};
  for (const binary of spec.binaries) {
    const path = env[binary.envVar];
    if (!path) continue;
    await assertExecutable(path, `${binary.envVar}=${path}`);
    fromEnv[binary.file] = path;
  }
  if (spec.binaries.length > 0 && Object.keys(fromEnv).length === spec.binaries.length) {
    return { name, version, binaries: fromEnv, source: 'env' };
  }

  const dir = join(binaryCacheRoot(env), name, version);
  const result = (source: ResolvedComponent['source'], buildMs?: number): ResolvedComponent => ({
    name,
    version,
    dir,
    source,
    buildMs,
    binaries: { ...Object.fromEntries(spec.binaries.map((b) => [b.file, join(dir, b.file)])), ...fromEnv },
  });
  if (await exists(dir)) return result('cache');

  requireTools(['go', ...spec.tools ?? []], `to build ${name} ${version} for the sandbox`, env);
  await mkdir(join(binaryCacheRoot(env), name), { recursive: true });
  return withFileLock(
    `${dir}.lock`,
    async () => {
      // Another process may have finished the same build while we waited for the lock.
      if (await exists(dir)) return result('cache');
      const started = Date.now();
      report(`building ${name} ${version} from the Go module proxy (cached in ${dir} afterwards)`);
      const staging = `${dir}.partial-${process.pid}`;
      const workDir = await mkdtemp(join(tmpdir(), `gopherguard-build-${name}-`));
      try {
        await rm(staging, { recursive: true, force: true });
        await mkdir(staging, { recursive: true });
        await spec.recipe({ version, versions: options.versions, outDir: staging, workDir, env: goEnv(env), report });
        await rename(staging, dir);
      } finally {
        await rm(staging, { recursive: true, force: true });
        await rm(workDir, { recursive: true, force: true });
      }
      const buildMs = Date.now() - started;
      report(`built ${name} ${version} in ${formatDuration(buildMs)}`);
      return result('built', buildMs);
    },
    { onWait: (pid) => report(`waiting for process ${pid}, which is building ${name} ${version}`) },
  );
}

/** Build settings every recipe needs; the caller's GOPATH, GOCACHE and proxy are kept. */
function goEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, GOFLAGS: '-mod=mod', GOWORK: 'off', CGO_ENABLED: '0' };
}

export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

export async function assertExecutable(path: string, what: string): Promise<void> {
  try {
    await access(path, constants.X_OK);
  } catch (error) {
    throw new BinaryNotUsableError(`${what} is not an executable file`, { cause: error });
  }
}
