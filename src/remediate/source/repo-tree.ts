// Read access to one revision of a repository. A forge implements it through its API
// (one recursive tree listing, then file contents); tests use files in memory or a
// folder on disk.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

export interface RepoTree {
  /** Every file below `dir`, recursively, as repository paths (`apps/web/deploy.yaml`); `` is the root. */
  list(dir: string): Promise<string[]>;
  /** A file's text, or undefined when there is no such file. */
  read(path: string): Promise<string | undefined>;
}

export function memoryTree(files: Readonly<Record<string, string>>): RepoTree {
  const paths = Object.keys(files).sort();
  return {
    async list(dir) {
      const prefix = dir === '' ? '' : `${dir}/`;
      return paths.filter((p) => p.startsWith(prefix));
    },
    async read(path) {
      return Object.hasOwn(files, path) ? files[path] : undefined;
    },
  };
}

/** A local checkout (or a fixture folder) as a tree. */
export async function folderFiles(root: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    files[relative(root, full).split(sep).join('/')] = await readFile(full, 'utf8');
  }
  return files;
}

/** Remembers what was read, so that a walk over many kustomizations asks a forge once per file. */
export function cachedTree(tree: RepoTree): RepoTree {
  const lists = new Map<string, Promise<string[]>>();
  const reads = new Map<string, Promise<string | undefined>>();
  return {
    list(dir) {
      let hit = lists.get(dir);
      if (hit) return hit;
      // A listing of a folder above holds this one: filter it rather than ask again.
      const above = [...lists.keys()].find((d) => d === '' || dir.startsWith(`${d}/`));
      const prefix = dir === '' ? '' : `${dir}/`;
      hit = above !== undefined ? (lists.get(above) as Promise<string[]>).then((all) => all.filter((p) => p.startsWith(prefix))) : tree.list(dir);
      lists.set(dir, hit);
      return hit;
    },
    read(path) {
      let hit = reads.get(path);
      if (!hit) reads.set(path, (hit = tree.read(path)));
      return hit;
    },
  };
}

/** `dir` joined with a relative path, `..` resolved; undefined when it leaves the repository. */
export function joinPath(dir: string, path: string): string | undefined {
  const parts = dir === '' ? [] : dir.split('/');
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join('/');
}

export function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export const YAML_FILE = /\.ya?ml$/i;
export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** The kustomization file of a directory, if it has one. */
export async function kustomizationFile(tree: RepoTree, dir: string): Promise<string | undefined> {
  for (const name of KUSTOMIZATION_FILES) {
    const path = dir === '' ? name : `${dir}/${name}`;
    if ((await tree.read(path)) !== undefined) return path;
  }
  return undefined;
}
