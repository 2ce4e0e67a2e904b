// A read-only view of a repository at one commit, for the remediation step that finds and
// edits manifests without a clone. The branch is resolved once, so every read sees the
// same snapshot even if someone pushes meanwhile, and repeated reads are served from memory.
import { ForgeError, FORGE_LABELS } from './errors.ts';
import type { Forge, RepoRef, TreeEntry } from './types.ts';

export interface RepoTree {
  /** The commit every read is pinned to. */
  readonly sha: string;
  /** Entries of a directory (`''` is the root); empty when it does not exist. */
  list(dir: string): Promise<TreeEntry[]>;
  /** A file's text, or undefined when it does not exist. */
  read(path: string): Promise<string | undefined>;
}

export async function openRepoTree(forge: Forge, repo: RepoRef, branch: string): Promise<RepoTree> {
  const sha = await forge.getBranch(repo, branch);
  if (!sha) {
    throw new ForgeError({
      forge: forge.kind, code: 'not-found', status: 404, retryable: false, operation: `read branch ${branch} of ${repo.fullName}`,
      message: `${FORGE_LABELS[forge.kind]}: branch ${branch} of ${repo.fullName} does not exist; check spec.source.git.branch`,
    });
  }
  return repoTreeAt(forge, repo, sha);
}

export function repoTreeAt(forge: Forge, repo: RepoRef, sha: string): RepoTree {
  const lists = new Map<string, Promise<TreeEntry[]>>();
  const reads = new Map<string, Promise<string | undefined>>();
  // A failed read is not cached, so a retry asks the forge again.
  function remember<T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
    let hit = cache.get(key);
    if (!hit) {
      hit = load();
      cache.set(key, hit);
      hit.catch(() => cache.delete(key));
    }
    return hit;
  }
  return {
    sha,
    list: (dir) => remember(lists, normalizeDir(dir), () => forge.listDirectory(repo, sha, normalizeDir(dir))),
    read: (path) => remember(reads, path, async () => (await forge.getFile(repo, sha, path))?.content),
  };
}

function normalizeDir(dir: string): string {
  return dir.replace(/^\.?\/+/, '').replace(/\/+$/, '').replace(/^\.$/, '');
}
