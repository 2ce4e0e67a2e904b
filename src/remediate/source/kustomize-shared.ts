// Which files of a build other deployments share. A base that another overlay also
// includes must not be edited for this one: the fix goes into this overlay instead.
// "Other" is any kustomization in the repository outside this build.
import type { Build, Level } from './kustomize-build.ts';
import { readKustomization, referencedPaths } from './kustomization-file.ts';
import { baseName, dirOf, KUSTOMIZATION_FILES, type RepoTree } from './repo-tree.ts';

// Past this many kustomization files the scan stops and everything outside the root
// level counts as shared: a patch in the overlay is always correct, an edit of a base
// only when nobody else uses it.
const MAX_KUSTOMIZATIONS = 400;

export interface Sharing {
  /** Whether editing this file (listed or applied by `level`) could change another deployment. */
  isShared(file: string, level: Level): boolean;
  /** Why, for messages. */
  why(file: string, level: Level): string;
}

export async function findSharing(tree: RepoTree, build: Build): Promise<Sharing> {
  const ours = new Set(build.levels.filter((l) => l.kustomization && !l.engine).map((l) => l.dir));
  const outside = new Map<string, string>();
  const files = (await tree.list('')).filter((f) => KUSTOMIZATION_FILES.includes(baseName(f)));
  const overflow = files.length > MAX_KUSTOMIZATIONS;
  if (!overflow) {
    for (const file of files) {
      const dir = dirOf(file);
      if (ours.has(dir)) continue;
      try {
        const k = await readKustomization(tree, dir);
        for (const path of k ? referencedPaths(k) : []) if (!outside.has(path)) outside.set(path, file);
      } catch {
        // A kustomization that cannot be read elsewhere says nothing about this one.
      }
    }
  }
  const levelShared = (level: Level): string | undefined => {
    if (level === build.root || level.engine) return undefined;
    if (overflow) return `the repository has more than ${MAX_KUSTOMIZATIONS} kustomizations, so ${level.dir} is treated as shared`;
    const by = outside.get(level.dir);
    if (by) return `${level.dir} is also included by ${by}`;
    return level.parent ? levelShared(level.parent) : undefined;
  };
  const reason = (file: string, level: Level): string | undefined => {
    const by = outside.get(file);
    if (by) return `${file} is also used by ${by}`;
    return levelShared(level);
  };
  return {
    isShared: (file, level) => reason(file, level) !== undefined,
    why: (file, level) => reason(file, level) ?? '',
  };
}
