import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ForgeError } from './errors.ts';
import { openRepoTree } from './repo-tree.ts';
import { parseRepoUrl } from './repo-url.ts';
import type { Forge } from './types.ts';

const repo = parseRepoUrl('https://github.com/o/r');

function countingForge(): { forge: Forge; calls: string[] } {
  const calls: string[] = [];
  const unused = () => Promise.reject(new Error('not used'));
  const forge: Forge = {
    kind: 'github', maxBodyLength: 100,
    getBranch: async (_repo, name) => (calls.push(`branch ${name}`), name === 'main' ? 'c'.repeat(40) : undefined),
    listDirectory: async (_repo, ref, dir) => (calls.push(`list ${ref.slice(0, 1)} ${dir}`), [{ name: 'a.yaml', path: dir ? `${dir}/a.yaml` : 'a.yaml', type: 'file' }]),
    getFile: async (_repo, ref, path) => (calls.push(`read ${ref.slice(0, 1)} ${path}`), path === 'a.yaml' ? { content: 'a: 1\n', sha: 's' } : undefined),
    findPullRequest: unused, createPullRequest: unused, updatePullRequest: unused, closePullRequest: unused, comment: unused, addLabels: unused,
    getCommit: unused, commitFiles: unused, mergePullRequest: unused, isMergeable: unused, getDefaultBranch: unused,
  };
  return { forge, calls };
}

describe('RepoTree', () => {
  it('pins every read to the branch head it resolved once, and serves repeats from memory', async () => {
    const { forge, calls } = countingForge();
    const tree = await openRepoTree(forge, repo, 'main');
    assert.equal(tree.sha, 'c'.repeat(40));
    assert.deepEqual(await tree.list(''), [{ name: 'a.yaml', path: 'a.yaml', type: 'file' }]);
    assert.deepEqual(await tree.list('./'), [{ name: 'a.yaml', path: 'a.yaml', type: 'file' }]);
    assert.equal(await tree.read('a.yaml'), 'a: 1\n');
    assert.equal(await tree.read('a.yaml'), 'a: 1\n');
    assert.equal(await tree.read('missing.yaml'), undefined);
    assert.deepEqual(calls, ['branch main', 'list c ', 'read c a.yaml', 'read c missing.yaml']);
  });

  it('says which branch is missing', async () => {
    const { forge } = countingForge();
    await assert.rejects(openRepoTree(forge, repo, 'nope'), (e: unknown) => e instanceof ForgeError && e.code === 'not-found' && /nope/.test(e.message));
  });
});
