// The demo's (and the scenario tests') side of Git: a repository in the sandbox's Gitea
// seeded from a folder, and commits made through Gitea's REST API the way a person's
// push would land. GopherGuard itself talks to forges through src/forge.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

export interface GiteaAccess {
  url: string;
  user: string;
  token: string;
}

export interface Repository {
  name: string;
  /** What Flux (and a person) clones: the sandbox's Gitea serves plain HTTP on loopback. */
  cloneUrl: string;
  webUrl: string;
}

/** One hunk of a commit: replace the only occurrence of `find` in `file`. */
export interface TextEdit {
  file: string;
  find: string;
  replace: string;
}

export async function giteaApi<T>(gitea: GiteaAccess, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${gitea.url}/api/v1${path}`, {
    method,
    headers: { Authorization: `token ${gitea.token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`Gitea ${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A new private repository whose main branch holds `files` in one commit. */
export async function createRepository(gitea: GiteaAccess, name: string, files: Record<string, string>): Promise<Repository> {
  await giteaApi(gitea, 'POST', '/user/repos', { name, auto_init: true, default_branch: 'main', private: true });
  if (Object.keys(files).length > 0) {
    await giteaApi(gitea, 'POST', `/repos/${gitea.user}/${name}/contents`, {
      branch: 'main',
      message: 'the manifests',
      files: Object.entries(files).map(([path, content]) => ({ operation: 'create', path, content: Buffer.from(content).toString('base64') })),
    });
  }
  return { name, cloneUrl: `${gitea.url}/${gitea.user}/${name}.git`, webUrl: `${gitea.url}/${gitea.user}/${name}` };
}

/** Every file below `dir`, keyed by its path under `prefix` (forward slashes). */
export async function filesOf(dir: string, prefix = ''): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    files[[prefix, relative(dir, full)].filter(Boolean).join('/')] = await readFile(full, 'utf8');
  }
  return files;
}

export async function readRepoFile(gitea: GiteaAccess, repo: string, path: string, ref = 'main'): Promise<{ content: string; sha: string }> {
  const file = await giteaApi<{ content: string; sha: string }>(gitea, 'GET', `/repos/${gitea.user}/${repo}/contents/${path}?ref=${encodeURIComponent(ref)}`);
  return { content: Buffer.from(file.content, 'base64').toString('utf8'), sha: file.sha };
}

/**
 * One commit on main with every edit, as a person would push it. An edit whose `find`
 * text is not in its file exactly once is refused before anything is written.
 * Returns the new commit's sha.
 */
export async function commitEdits(gitea: GiteaAccess, repo: string, message: string, edits: TextEdit[]): Promise<string> {
  const changed = new Map<string, { content: string; sha: string }>();
  for (const edit of edits) {
    const file = changed.get(edit.file) ?? await readRepoFile(gitea, repo, edit.file);
    const occurrences = file.content.split(edit.find).length - 1;
    if (occurrences !== 1) throw new Error(`${edit.file} has ${occurrences} occurrences of ${JSON.stringify(edit.find)}; an edit needs exactly one`);
    changed.set(edit.file, { content: file.content.replace(edit.find, () => edit.replace), sha: file.sha });
  }
  const result = await giteaApi<{ commit: { sha: string } }>(gitea, 'POST', `/repos/${gitea.user}/${repo}/contents`, {
    branch: 'main',
    message,
    files: [...changed].map(([path, file]) => ({ operation: 'update', path, sha: file.sha, content: Buffer.from(file.content).toString('base64') })),
  });
  return result.commit.sha;
}

export async function headOf(gitea: GiteaAccess, repo: string, branch = 'main'): Promise<string> {
  const found = await giteaApi<{ commit: { id: string } }>(gitea, 'GET', `/repos/${gitea.user}/${repo}/branches/${branch}`);
  return found.commit.id;
}
