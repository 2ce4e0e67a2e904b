// A repository URL (as written in an AegisWatch, an Argo CD Application or a Flux
// GitRepository) → which forge, which API root, which repository. Credentials embedded in
// the URL are dropped: they must never travel on into PR bodies, logs or status.
import type { ForgeKind, RepoRef } from './types.ts';

export class RepoUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RepoUrlError';
  }
}

/**
 * The forge a host probably runs, from its name alone; undefined when it cannot tell (the
 * AegisWatch's `spec.source.git.forge` must then say). github.com, gitlab.com, codeberg.org
 * and hosts named like `github.*`, `*.gitlab.*`, `gitea.*`, `forgejo.*`.
 */
export function guessForgeKind(host: string): ForgeKind | undefined {
  const name = host.toLowerCase().replace(/:\d+$/, '');
  const labels = name.split('.');
  if (name === 'github.com' || name === 'www.github.com' || labels.includes('github') || labels.includes('ghe')) return 'github';
  if (labels.includes('gitlab')) return 'gitlab';
  if (name === 'codeberg.org' || labels.includes('gitea') || labels.includes('forgejo')) return 'gitea';
  return undefined;
}

export interface ParseRepoUrlOptions {
  /** The forge, when known (an AegisWatch's `spec.source.git.forge`); otherwise guessed from the host. */
  kind?: ForgeKind;
  /** Overrides the derived API root (a forge served under a sub-path, a proxy). */
  apiBaseUrl?: string;
}

/**
 * Accepts `https://host/owner/repo(.git)`, `http://` (a loopback sandbox), `ssh://git@host/owner/repo.git`
 * and `git@host:owner/repo.git`. GitLab namespaces may nest (`group/sub/repo`, and a `/-/…`
 * tail is ignored); GitHub and Gitea want exactly owner and repository.
 */
export function parseRepoUrl(url: string, options: ParseRepoUrlOptions = {}): RepoRef {
  const { scheme, host, path } = splitUrl(url.trim());
  const kind = options.kind ?? guessForgeKind(host);
  if (!kind) throw new RepoUrlError(`cannot tell which forge serves ${host}: set spec.source.git.forge to github, gitlab or gitea`);
  let segments = path.split('/').filter(Boolean);
  if (kind === 'gitlab') {
    const dash = segments.indexOf('-');
    if (dash !== -1) segments = segments.slice(0, dash);
  }
  const last = segments.length - 1;
  if (last >= 0) segments[last] = segments[last]!.replace(/\.git$/, '');
  const wanted = kind === 'gitlab' ? segments.length >= 2 : segments.length === 2;
  if (!wanted || segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw new RepoUrlError(`${redactUrl(url)} is not a repository URL: expected ${scheme}://${host}/${kind === 'gitlab' ? 'group[/subgroup]/project' : 'owner/repository'}`);
  }
  const name = segments[last]!;
  const owner = segments.slice(0, last).join('/');
  const origin = `${scheme}://${host}`;
  return {
    kind,
    webUrl: `${origin}/${owner}/${name}`,
    apiBaseUrl: (options.apiBaseUrl ?? defaultApiBase(kind, scheme, host)).replace(/\/+$/, ''),
    owner,
    name,
    fullName: `${owner}/${name}`,
  };
}

export function defaultApiBase(kind: ForgeKind, scheme: string, host: string): string {
  const origin = `${scheme}://${host}`;
  switch (kind) {
    case 'github':
      return host === 'github.com' || host === 'www.github.com' ? 'https://api.github.com' : `${origin}/api/v3`;
    case 'gitlab':
      return `${origin}/api/v4`;
    case 'gitea':
      return `${origin}/api/v1`;
  }
}

function splitUrl(url: string): { scheme: string; host: string; path: string } {
  // scp-like: git@host:owner/repo.git (no scheme, a colon before the path)
  const scp = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/\/)(.+)$/.exec(url);
  if (scp && !/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return { scheme: 'https', host: scp[1]!.toLowerCase(), path: scp[2]! };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RepoUrlError(`${redactUrl(url)} is not a URL`);
  }
  const protocol = parsed.protocol.replace(/:$/, '');
  if (protocol === 'ssh' || protocol === 'git+ssh') {
    // An SSH port says nothing about the HTTPS port of the API.
    return { scheme: 'https', host: parsed.hostname.toLowerCase(), path: decodeURIComponent(parsed.pathname) };
  }
  if (protocol !== 'https' && protocol !== 'http') throw new RepoUrlError(`${redactUrl(url)}: unsupported scheme ${protocol}; use https`);
  return { scheme: protocol, host: parsed.host.toLowerCase(), path: decodeURIComponent(parsed.pathname) };
}

/** The URL without userinfo, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/\s]*@/i, '$1');
}
