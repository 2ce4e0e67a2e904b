// Where the operator finds its cluster and credentials: a kubeconfig file (the current
// context's cluster and user) or the in-cluster service account. Only what a client needs
// is read; see ADR 7 for why this is ours and not client-node's KubeConfig.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse } from 'yaml';

/** An exec credential plugin (client.authentication.k8s.io), as kubectl runs it. */
export interface ExecPlugin {
  command: string;
  args: string[];
  env: Record<string, string>;
  /** The kubeconfig's folder: a relative command is resolved against it. */
  cwd: string;
}

export interface ClusterAccess {
  /** The API server's base URL, e.g. https://127.0.0.1:6443. */
  server: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  token?: string;
  /** Re-read on every use: projected service-account tokens rotate. */
  tokenFile?: string;
  exec?: ExecPlugin;
  insecureSkipTlsVerify?: boolean;
  /** The context's namespace, or the pod's own in a cluster. */
  namespace?: string;
  /** Where this came from, for error messages. */
  origin: string;
}

const SERVICE_ACCOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

interface Named<T> {
  name: string;
  [key: string]: unknown;
  cluster?: T;
  user?: T;
  context?: T;
}

interface RawConfig {
  'current-context'?: string;
  clusters?: Array<Named<Record<string, unknown>>>;
  users?: Array<Named<Record<string, unknown>>>;
  contexts?: Array<Named<Record<string, unknown>>>;
}

/** --kubeconfig, else $KUBECONFIG, else ~/.kube/config, else the in-cluster service account. */
export function loadClusterAccess(file?: string, env: NodeJS.ProcessEnv = process.env): ClusterAccess {
  if (file) return fromKubeconfigFiles([file]);
  const listed = env.KUBECONFIG?.split(':').filter(Boolean);
  if (listed?.length) return fromKubeconfigFiles(listed);
  const home = join(homedir(), '.kube', 'config');
  if (readable(home)) return fromKubeconfigFiles([home]);
  if (env.KUBERNETES_SERVICE_HOST) return inCluster(env);
  throw new Error('no Kubernetes cluster configured: pass --kubeconfig, set KUBECONFIG, or run inside a cluster');
}

/** The pod's service account, as client-go's rest.InClusterConfig reads it. */
export function inCluster(env: NodeJS.ProcessEnv = process.env, dir = SERVICE_ACCOUNT): ClusterAccess {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT ?? '443';
  if (!host) throw new Error('not in a cluster: KUBERNETES_SERVICE_HOST is not set');
  return {
    server: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
    ca: readFileSync(join(dir, 'ca.crt')),
    tokenFile: join(dir, 'token'),
    namespace: readable(join(dir, 'namespace')) ? readFileSync(join(dir, 'namespace'), 'utf8').trim() : undefined,
    origin: 'in-cluster service account',
  };
}

/**
 * Several files merge as kubectl merges them: the first to set a value wins, and each
 * file's relative paths resolve against its own folder.
 */
export function fromKubeconfigFiles(files: string[]): ClusterAccess {
  let currentContext: string | undefined;
  const clusters = new Map<string, { value: Record<string, unknown>; dir: string }>();
  const users = new Map<string, { value: Record<string, unknown>; dir: string }>();
  const contexts = new Map<string, Record<string, unknown>>();
  for (const file of files) {
    let raw: RawConfig;
    try {
      raw = (parse(readFileSync(file, 'utf8')) ?? {}) as RawConfig;
    } catch (error) {
      throw new Error(`cannot read kubeconfig ${file}: ${(error as Error).message}`, { cause: error });
    }
    const dir = dirname(resolve(file));
    currentContext ??= raw['current-context'] || undefined;
    for (const c of raw.clusters ?? []) if (!clusters.has(c.name) && c.cluster) clusters.set(c.name, { value: c.cluster, dir });
    for (const u of raw.users ?? []) if (!users.has(u.name) && u.user) users.set(u.name, { value: u.user, dir });
    for (const c of raw.contexts ?? []) if (!contexts.has(c.name) && c.context) contexts.set(c.name, c.context);
  }
  const origin = files.join(':');
  if (!currentContext) throw new Error(`kubeconfig ${origin} sets no current-context`);
  const context = contexts.get(currentContext);
  if (!context) throw new Error(`kubeconfig ${origin}: context "${currentContext}" is not defined`);
  const cluster = clusters.get(String(context.cluster));
  if (!cluster) throw new Error(`kubeconfig ${origin}: cluster "${String(context.cluster)}" of context "${currentContext}" is not defined`);
  const server = cluster.value.server;
  if (typeof server !== 'string' || !server) throw new Error(`kubeconfig ${origin}: cluster "${String(context.cluster)}" has no server`);
  const user = context.user === undefined ? undefined : users.get(String(context.user));
  if (context.user !== undefined && !user) throw new Error(`kubeconfig ${origin}: user "${String(context.user)}" of context "${currentContext}" is not defined`);
  const u = user?.value ?? {};
  return {
    server: server.replace(/\/+$/, ''),
    ca: material(cluster.value, 'certificate-authority', cluster.dir),
    cert: material(u, 'client-certificate', user?.dir ?? ''),
    key: material(u, 'client-key', user?.dir ?? ''),
    token: typeof u.token === 'string' ? u.token : undefined,
    tokenFile: typeof u.tokenFile === 'string' ? resolvePath(u.tokenFile, user?.dir ?? '') : undefined,
    exec: execPlugin(u.exec, user?.dir ?? ''),
    insecureSkipTlsVerify: cluster.value['insecure-skip-tls-verify'] === true,
    namespace: typeof context.namespace === 'string' ? context.namespace : undefined,
    origin,
  };
}

/** `<name>-data` (base64) or `<name>` (a file path). */
function material(section: Record<string, unknown>, name: string, dir: string): Buffer | undefined {
  const data = section[`${name}-data`];
  if (typeof data === 'string' && data) return Buffer.from(data, 'base64');
  const path = section[name];
  if (typeof path === 'string' && path) return readFileSync(resolvePath(path, dir));
  return undefined;
}

function execPlugin(raw: unknown, dir: string): ExecPlugin | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const exec = raw as { command?: unknown; args?: unknown; env?: unknown };
  if (typeof exec.command !== 'string') return undefined;
  const env: Record<string, string> = {};
  for (const item of Array.isArray(exec.env) ? exec.env : []) {
    const { name, value } = item as { name?: unknown; value?: unknown };
    if (typeof name === 'string') env[name] = String(value ?? '');
  }
  return { command: exec.command, args: Array.isArray(exec.args) ? exec.args.map(String) : [], env, cwd: dir };
}

function resolvePath(path: string, dir: string): string {
  return isAbsolute(path) ? path : join(dir, path);
}

function readable(path: string): boolean {
  try {
    readFileSync(path);
    return true;
  } catch {
    return false;
  }
}
