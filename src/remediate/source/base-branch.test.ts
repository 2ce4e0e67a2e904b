import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRepoUrl } from '../../forge/repo-url.ts';
import type { Forge } from '../../forge/types.ts';
import { baseBranch } from './base-branch.ts';

const repo = parseRepoUrl('https://github.com/acme/fleet');
const branches = new Set(['main', 'release-1']);
const forge = {
  getDefaultBranch: async () => 'main',
  getBranch: async (_repo: unknown, name: string) => (branches.has(name) ? 'c'.repeat(40) : undefined),
} as unknown as Forge;

test('Argo CD\'s HEAD is the default branch; a named branch is itself', async () => {
  assert.equal(await baseBranch(forge, repo, { ref: 'HEAD', refKind: 'revision' }), 'main');
  assert.equal(await baseBranch(forge, repo, { ref: 'release-1', refKind: 'revision' }), 'release-1');
  assert.equal(await baseBranch(forge, repo, { ref: 'refs/heads/release-1', refKind: 'branch' }), 'release-1');
});

test('a tag, a commit, a semver range or a revision that is no branch is refused with the reason', async () => {
  await assert.rejects(baseBranch(forge, repo, { ref: 'v1.2.0', refKind: 'tag' }), /follows tag v1\.2\.0 of acme\/fleet, not a branch/);
  await assert.rejects(baseBranch(forge, repo, { ref: 'a'.repeat(40), refKind: 'commit' }), /follows commit a{40}/);
  await assert.rejects(baseBranch(forge, repo, { ref: '>=1.0.0', refKind: 'semver' }), /follows semver >=1\.0\.0/);
  await assert.rejects(baseBranch(forge, repo, { ref: 'v2.0.0', refKind: 'revision' }), /acme\/fleet has no branch v2\.0\.0 \(the Application's targetRevision may be a tag or a commit/);
});
