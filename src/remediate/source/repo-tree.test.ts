import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cachedTree, joinPath, memoryTree, type RepoTree } from './repo-tree.ts';

test('joins relative paths inside the repository only', () => {
  assert.equal(joinPath('overlays/prod', '../../base'), 'base');
  assert.equal(joinPath('', './a/./b.yaml'), 'a/b.yaml');
  assert.equal(joinPath('a', '../../x'), undefined);
});

test('a cached tree asks once per file, and filters a folder out of a listing above it', async () => {
  const calls: string[] = [];
  const inner = memoryTree({ 'a/x.yaml': 'x', 'a/b/y.yaml': 'y', 'c.yaml': 'c' });
  const counted: RepoTree = {
    list: (dir) => (calls.push(`list ${dir}`), inner.list(dir)),
    read: (path) => (calls.push(`read ${path}`), inner.read(path)),
  };
  const tree = cachedTree(counted);
  assert.deepEqual(await tree.list(''), ['a/b/y.yaml', 'a/x.yaml', 'c.yaml']);
  assert.deepEqual(await tree.list('a'), ['a/b/y.yaml', 'a/x.yaml']);
  assert.equal(await tree.read('c.yaml'), 'c');
  assert.equal(await tree.read('c.yaml'), 'c');
  assert.equal(await tree.read('none.yaml'), undefined);
  assert.deepEqual(calls, ['list ', 'read c.yaml', 'read none.yaml']);
});
