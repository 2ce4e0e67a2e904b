// Trees for tests: a folder of test/fixtures/remediate read into memory.
import { fileURLToPath } from 'node:url';
import { folderFiles, memoryTree, type RepoTree } from './repo-tree.ts';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/remediate/', import.meta.url));

export async function fixtureFiles(name: string): Promise<Record<string, string>> {
  return folderFiles(`${FIXTURES}${name}`);
}

export async function fixtureTree(name: string): Promise<RepoTree> {
  return memoryTree(await fixtureFiles(name));
}
