// The edit stage reads a repository as "every file below a folder"; a forge lists one
// folder at a time. This walks the folders, through the forge's snapshot of one commit.
import type { RepoTree as ForgeTree } from '../forge/index.ts';
import type { RepoTree } from './source/index.ts';

export function recursiveTree(forgeTree: ForgeTree): RepoTree {
  const walk = async (dir: string): Promise<string[]> => {
    const files: string[] = [];
    for (const entry of await forgeTree.list(dir)) {
      if (entry.type === 'file') files.push(entry.path);
      else if (entry.type === 'dir') files.push(...await walk(entry.path));
    }
    return files;
  };
  return { list: (dir) => walk(dir), read: (path) => forgeTree.read(path) };
}
