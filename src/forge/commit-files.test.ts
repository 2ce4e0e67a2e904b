import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commitFilesVia, filesProblem, type CommitBackend, type PlannedCommit } from './commit-files.ts';
import { ForgeError } from './errors.ts';
import { gitBlobSha } from './git-blob.ts';

/** A repository in memory: branches point at snapshots (path → content). */
function memoryRepo(branches: Record<string, Record<string, string>>) {
  const commits = new Map<string, Record<string, string>>();
  const heads = new Map<string, string>();
  let next = 1;
  const add = (files: Record<string, string>) => {
    const sha = String(next++).padStart(40, '0');
    commits.set(sha, files);
    return sha;
  };
  for (const [name, files] of Object.entries(branches)) heads.set(name, add(files));
  const writes: PlannedCommit[] = [];
  let beforeWrite: (() => void) | undefined;
  const backend: CommitBackend = {
    head: async (branch) => (heads.has(branch) ? { sha: heads.get(branch)! } : undefined),
    fileVersion: async (sha, path) => {
      const content = commits.get(sha)?.[path];
      return content === undefined ? undefined : { blobSha: gitBlobSha(content) };
    },
    write: async (plan) => {
      writes.push(plan);
      beforeWrite?.();
      beforeWrite = undefined;
      const current = heads.get(plan.branch);
      if (plan.createFrom !== undefined ? current !== undefined : current !== plan.parent.sha) {
        throw new ForgeError({ forge: 'github', code: 'conflict', status: 422, retryable: true, operation: 'write', message: 'moved' });
      }
      const files = { ...commits.get(plan.parent.sha) };
      for (const file of plan.files) files[file.path] = file.content;
      const sha = add(files);
      heads.set(plan.branch, sha);
      return sha;
    },
  };
  return {
    backend, writes, heads,
    /** Simulates another writer landing just before our next write. */
    race(branch: string, files: Record<string, string>) {
      beforeWrite = () => heads.set(branch, add({ ...commits.get(heads.get(branch) ?? heads.get('main')!), ...files }));
    },
  };
}

const input = (files: Record<string, string>) => ({ branch: 'fix', base: 'main', message: 'm', files: Object.entries(files).map(([path, content]) => ({ path, content })) });

describe('commitFilesVia', () => {
  it('creates the branch from the base, sending only the files that change', async () => {
    const repo = memoryRepo({ main: { 'a.yaml': 'a: 1\n', 'b.yaml': 'b: 1\n' } });
    const result = await commitFilesVia('github', 'o/r', repo.backend, input({ 'a.yaml': 'a: 2\n', 'b.yaml': 'b: 1\n' }));
    assert.equal(result.outcome, 'created-branch');
    assert.equal(repo.heads.get('fix'), result.sha);
    assert.deepEqual(repo.writes[0]!.files.map((f) => f.path), ['a.yaml']);
    assert.equal(repo.writes[0]!.createFrom, 'main');
  });

  it('is idempotent: the same call again writes nothing', async () => {
    const repo = memoryRepo({ main: { 'a.yaml': 'a: 1\n' } });
    const first = await commitFilesVia('github', 'o/r', repo.backend, input({ 'a.yaml': 'a: 2\n' }));
    const again = await commitFilesVia('github', 'o/r', repo.backend, input({ 'a.yaml': 'a: 2\n' }));
    assert.deepEqual(again, { outcome: 'unchanged', sha: first.sha });
    assert.equal(repo.writes.length, 1);
  });

  it('does not create a branch when the base already holds the content', async () => {
    const repo = memoryRepo({ main: { 'a.yaml': 'a: 1\n' } });
    const result = await commitFilesVia('github', 'o/r', repo.backend, input({ 'a.yaml': 'a: 1\n' }));
    assert.equal(result.outcome, 'unchanged');
    assert.equal(repo.heads.has('fix'), false);
  });

  it('re-reads and commits on top when the branch moved under it', async () => {
    const repo = memoryRepo({ main: { 'a.yaml': 'a: 1\n' }, fix: { 'a.yaml': 'a: 1\n' } });
    repo.race('fix', { 'c.yaml': 'c: 1\n' });
    const result = await commitFilesVia('github', 'o/r', repo.backend, input({ 'a.yaml': 'a: 2\n' }));
    assert.equal(result.outcome, 'committed');
    assert.equal(repo.writes.length, 2);
  });

  it('gives up after a bounded number of conflicts', async () => {
    const repo = memoryRepo({ main: { 'a.yaml': 'a: 1\n' } });
    const backend: CommitBackend = {
      ...repo.backend,
      write: async () => { throw new ForgeError({ forge: 'gitea', code: 'conflict', status: 422, retryable: true, operation: 'w', message: 'branch already exists' }); },
    };
    await assert.rejects(commitFilesVia('gitea', 'o/r', backend, input({ 'a.yaml': 'a: 2\n' })), (e: unknown) => e instanceof ForgeError && e.code === 'conflict');
  });

  it('says so when neither the branch nor the base exists', async () => {
    const repo = memoryRepo({});
    await assert.rejects(commitFilesVia('gitlab', 'g/r', repo.backend, input({ 'a.yaml': 'x' })), (e: unknown) => e instanceof ForgeError && e.code === 'not-found' && /main/.test(e.message));
  });

  it('refuses paths that are not plain relative file paths, before any call', () => {
    assert.equal(filesProblem([{ path: 'deploy/a.yaml', content: '' }]), undefined);
    for (const path of ['', '/etc/passwd', '../x', 'a/../b', 'a//b', 'dir/', '.git/config', './a']) {
      assert.ok(filesProblem([{ path, content: '' }]), path);
    }
    assert.match(filesProblem([{ path: 'a', content: '1' }, { path: 'a', content: '2' }])!, /twice/);
    assert.match(filesProblem([])!, /no files/);
  });
});

describe('gitBlobSha', () => {
  it('matches git hash-object', () => {
    // printf 'hello\n' | git hash-object --stdin
    assert.equal(gitBlobSha('hello\n'), 'ce013625030ba8dba906f756967f9e9ca394464a');
    assert.equal(gitBlobSha(''), 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391');
  });
});
