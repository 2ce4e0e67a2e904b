// The GitLab forge, as production code, against a strict loopback GitLab: every call a
// test does not script fails it, and every scripted call must happen. Paths are compared
// percent-encoded, as GitLab requires for project and file paths.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it, type TestContext } from 'node:test';
import { createForge, ForgeError, parseRepoUrl, type Forge } from '../../src/forge/index.ts';
import { branch, commit, created, errors, file, mergeRequest, ok, reset, startFakeGitLab, treeItem, type FakeGitLab } from '../support/fake-gitlab.ts';

const repo = parseRepoUrl('https://gitlab.example/group/sub/app.git');
const BASE_SHA = '1'.repeat(40);
const HEAD_SHA = '3'.repeat(40);
const NEW_COMMIT = '6'.repeat(40);
const LAST_COMMIT = '7'.repeat(40);
const BRANCH = 'gopherguard/default/deployment-web-1a2b3c4d';
const BRANCH_ENC = encodeURIComponent(BRANCH);
const PATH = 'deploy/web/deployment.yaml';
const PATH_ENC = encodeURIComponent(PATH);
const OLD = 'resources:\n  limits:\n    memory: 128Mi\n';
const NEW = 'resources:\n  limits:\n    memory: 256Mi\n';

interface Setup {
  fake: FakeGitLab;
  forge: Forge;
  token: string;
  logs: string[];
}

async function setup(t: TestContext, requestTimeoutMs?: number): Promise<Setup> {
  const token = `test-token-${randomBytes(12).toString('hex')}`;
  const fake = await startFakeGitLab({ token });
  t.after(() => fake.close());
  const logs: string[] = [];
  const forge = createForge({
    kind: 'gitlab',
    apiBaseUrl: fake.apiBaseUrl,
    token,
    retry: { baseDelayMs: 20, maxDelayMs: 100 },
    mergeability: { intervalMs: 20 },
    ...(requestTimeoutMs ? { requestTimeoutMs } : {}),
    log: (level, message, fields) => logs.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`),
  });
  return { fake, forge, token, logs };
}

function gapMs(fake: FakeGitLab, from: number, to: number): number {
  return fake.calls[to]!.at - fake.calls[from]!.at;
}

describe('GitLab forge through a strict fake', { concurrency: true }, () => {
  it('reads a commit\'s parents (GET /repository/commits/:sha) and files (its /diff)', async (t) => {
    const { fake, forge } = await setup(t);
    fake.expect(
      fake.on('GET', `/repository/commits/${HEAD_SHA}`, ok(commit(HEAD_SHA, BASE_SHA))),
      fake.on('GET', `/repository/commits/${HEAD_SHA}/diff`, ok([
        { old_path: PATH, new_path: PATH, a_mode: '100644', b_mode: '100644', new_file: false, renamed_file: false, deleted_file: false, diff: '@@ -1 +1 @@' },
        { old_path: 'deploy/gone.yaml', new_path: 'deploy/gone.yaml', a_mode: '100644', b_mode: '0', new_file: false, renamed_file: false, deleted_file: true, diff: '' },
      ]), { query: { per_page: '100' } }),
      fake.on('GET', `/repository/commits/${NEW_COMMIT}`, { status: 404, body: { message: '404 Commit Not Found' } }),
    );
    assert.deepEqual(await forge.getCommit(repo, HEAD_SHA), {
      sha: HEAD_SHA, parents: [BASE_SHA],
      files: [{ path: PATH, status: 'modified' }, { path: 'deploy/gone.yaml', status: 'deleted' }],
    });
    assert.equal(await forge.getCommit(repo, NEW_COMMIT), undefined);
    fake.assertDone();
  });

  it('reads the default branch (what Argo CD\'s HEAD means) from GET /projects/:id', async (t) => {
    const { fake, forge } = await setup(t);
    fake.expect(fake.on('GET', '', ok({ id: 7, path_with_namespace: 'group/sub/app', default_branch: 'develop' })));
    assert.equal(await forge.getDefaultBranch(repo), 'develop');
    fake.assertDone();
  });

  it('creates a merge request with labels, addressing the project by its encoded path', async (t) => {
    const { fake, forge } = await setup(t);
    fake.expect(
      fake.on('POST', '/merge_requests', created(mergeRequest({ iid: 7, branch: BRANCH, labels: ['gopherguard', 'oom'] })), {
        body: { source_branch: BRANCH, target_branch: 'main', title: 'Raise memory', description: 'Because OOM.', labels: 'gopherguard,oom' },
      }),
    );
    const result = await forge.createPullRequest(repo, { branch: BRANCH, base: 'main', title: 'Raise memory', body: 'Because OOM.', labels: ['gopherguard', 'oom'] });
    assert.equal(result.created, true);
    assert.equal(result.pullRequest.number, 7);
    assert.equal(result.pullRequest.url, 'https://gitlab.example/group/sub/app/-/merge_requests/7');
    assert.deepEqual(result.pullRequest.labels, ['gopherguard', 'oom']);
    assert.equal(fake.calls[0]!.rawPath, '/api/v4/projects/group%2Fsub%2Fapp/merge_requests');
    fake.assertDone();
  });

  it('returns the existing merge request when GitLab answers 409', async (t) => {
    const { fake, forge } = await setup(t);
    fake.expect(
      fake.on('POST', '/merge_requests', errors.mergeRequestExists(7)),
      fake.on('GET', '/merge_requests', ok([mergeRequest({ iid: 7, branch: BRANCH, title: 'Earlier title' })]), { query: { source_branch: BRANCH, state: 'opened' } }),
    );
    const result = await forge.createPullRequest(repo, { branch: BRANCH, base: 'main', title: 'Raise memory', body: 'x' });
    assert.equal(result.created, false);
    assert.equal(result.pullRequest.number, 7);
    assert.equal(result.pullRequest.title, 'Earlier title');
    fake.assertDone();
  });

  it('finds the open merge request of a branch, skipping one from a fork', async (t) => {
    const { fake, forge } = await setup(t);
    fake.expect(
      fake.on('GET', '/merge_requests', ok([
        mergeRequest({ iid: 12, branch: BRANCH, fromFork: true }),
        mergeRequest({ iid: 9, branch: BRANCH, sha: HEAD_SHA, description: null, labels: ['gopherguard'] }),
      ]), { query: { source_branch: BRANCH, state: 'opened' } }),
      fake.on('GET', '/merge_requests', ok([]), { query: { source_branch: 'gopherguard/other', state: 'opened' } }),
    );
    assert.deepEqual(await forge.findPullRequest(repo, { branch: BRANCH, state: 'open' }), {
      number: 9, url: 'https://gitlab.example/group/sub/app/-/merge_requests/9', state: 'open', title: 'Raise memory limit of web', body: '',
      branch: BRANCH, headSha: HEAD_SHA, base: 'main', labels: ['gopherguard'],
    });
    assert.equal(await forge.findPullRequest(repo, { branch: 'gopherguard/other', state: 'open' }), undefined);
    fake.assertDone();
  });

  it('finds a closed (not merged) merge request with state all, and a merged one with state closed', async (t) => {
    const { fake, forge } = await setup(t);
    fake.expect(
      fake.on('GET', '/merge_requests', ok([mergeRequest({ iid: 3, branch: BRANCH, state: 'closed' })]), { query: { source_branch: BRANCH, state: 'all' } }),
      fake.on('GET', '/merge_requests', ok([mergeRequest({ iid: 5, branch: BRANCH, state: 'opened' }), mergeRequest({ iid: 4, branch: BRANCH, state: 'merged' })]), { query: { source_branch: BRANCH, state: 'all' } }),
    );
    assert.equal((await forge.findPullRequest(repo, { branch: BRANCH, state: 'all' }))?.state, 'closed');
    const merged = await forge.findPullRequest(repo, { branch: BRANCH, state: 'closed' });
    assert.equal(merged?.number, 4);
    assert.equal(merged?.state, 'merged');
    fake.assertDone();
  });

  it('commits files on a new branch pinned to the base commit it compared against', async (t) => {
    const { fake, forge } = await setup(t);
    fake.expect(
      fake.on('GET', `/repository/branches/${BRANCH_ENC}`, errors.branchNotFound()),
      fake.on('GET', '/repository/branches/main', ok(branch('main', BASE_SHA))),
      fake.on('GET', `/repository/files/${PATH_ENC}`, ok(file(PATH, OLD, BASE_SHA, LAST_COMMIT)), { query: { ref: BASE_SHA } }),
      fake.on('GET', `/repository/files/${encodeURIComponent('deploy/web/new.yaml')}`, errors.fileNotFound(), { query: { ref: BASE_SHA } }),
      fake.on('POST', '/repository/commits', created(commit(NEW_COMMIT, BASE_SHA)), {
        body: {
          branch: BRANCH, commit_message: 'Raise memory', start_sha: BASE_SHA, start_branch: undefined,
          actions: [
            { action: 'update', file_path: PATH, content: NEW, encoding: 'text', last_commit_id: LAST_COMMIT },
            { action: 'create', file_path: 'deploy/web/new.yaml', content: 'a: 1\n', encoding: 'text', last_commit_id: undefined },
          ],
        },
      }),
    );
    const result = await forge.commitFiles(repo, {
      branch: BRANCH, base: 'main', message: 'Raise memory',
      files: [{ path: PATH, content: NEW }, { path: 'deploy/web/new.yaml', content: 'a: 1\n' }],
    });
    assert.deepEqual(result, { outcome: 'created-branch', sha: NEW_COMMIT });
    fake.assertDone();
  });

  it('commits on an existing branch, guarding each file with last_commit_id', async (t) => {
    const { fake, forge } = await setup(t);
    fake.expect(
      fake.on('GET', `/repository/branches/${BRANCH_ENC}`, ok(branch(BRANCH, HEAD_SHA))),
      fake.on('GET', `/repository/files/${PATH_ENC}`, ok(file(PATH, OLD, HEAD_SHA, LAST_COMMIT)), { query: { ref: HEAD_SHA } }),
      fake.on('POST', '/repository/commits', created(commit(NEW_COMMIT, HEAD_SHA)), {
        body: { branch: BRANCH, start_sha: undefined, actions: [{ action: 'update', file_path: PATH, content: NEW, last_commit_id: LAST_COMMIT }] },
      }),
    );
    const result = await forge.commitFiles(repo, { branch: BRANCH, base: 'main', message: 'Raise memory', files: [{ path: PATH, content: NEW }] });
    assert.deepEqual(result, { outcome: 'committed', sha: NEW_COMMIT });
    fake.assertDone();
  });

  it('writes nothing when the branch already holds exactly that content', async (t) => {
    const { fake, forge } = await setup(t);
    fake.expect(
      fake.on('GET', `/repository/branches/${BRANCH_ENC}`, ok(branch(BRANCH, HEAD_SHA))),
      fake.on('GET', `/repository/files/${PATH_ENC}`, ok(file(PATH, NEW, HEAD_SHA)), { query: { ref: HEAD_SHA } }),
    );
    const result = await forge.commitFiles(repo, { branch: BRANCH, base: 'main', message: 'Raise memory', files: [{ path: PATH, content: NEW }] });
    assert.deepEqual(result, { outcome: 'unchanged', sha: HEAD_SHA });
    fake.assertDone();
  });

  it('treats "A branch called … already exists" as a lost race: re-reads and finds its content there', async (t) => {
    const { fake, forge } = await setup(t);
    fake.expect(
      fake.on('GET', `/repository/branches/${BRANCH_ENC}`, errors.branchNotFound()),
      fake.on('GET', '/repository/branches/main', ok(branch('main', BASE_SHA))),
      fake.on('GET', `/repository/files/${PATH_ENC}`, ok(file(PATH, OLD, BASE_SHA)), { query: { ref: BASE_SHA } }),
      fake.on('POST', '/repository/commits', errors.branchExists(BRANCH)),
      fake.on('GET', `/repository/branches/${BRANCH_ENC}`, ok(branch(BRANCH, HEAD_SHA))),
      fake.on('GET', `/repository/files/${PATH_ENC}`, ok(file(PATH, NEW, HEAD_SHA)), { query: { ref: HEAD_SHA } }),
    );
    const result = await forge.commitFiles(repo, { branch: BRANCH, base: 'main', message: 'Raise memory', files: [{ path: PATH, content: NEW }] });
    assert.deepEqual(result, { outcome: 'unchanged', sha: HEAD_SHA });
    fake.assertDone();
  });

  it('commits again on top when a file changed under it (last_commit_id refused)', async (t) => {
    const { fake, forge } = await setup(t);
    const MOVED = '8'.repeat(40);
    fake.expect(
      fake.on('GET', `/repository/branches/${BRANCH_ENC}`, ok(branch(BRANCH, HEAD_SHA))),
      fake.on('GET', `/repository/files/${PATH_ENC}`, ok(file(PATH, OLD, HEAD_SHA, LAST_COMMIT)), { query: { ref: HEAD_SHA } }),
      fake.on('POST', '/repository/commits', errors.fileChanged()),
      fake.on('GET', `/repository/branches/${BRANCH_ENC}`, ok(branch(BRANCH, MOVED))),
      fake.on('GET', `/repository/files/${PATH_ENC}`, ok(file(PATH, 'someone else\n', MOVED, MOVED)), { query: { ref: MOVED } }),
      fake.on('POST', '/repository/commits', created(commit(NEW_COMMIT, MOVED)), { body: { actions: [{ action: 'update', last_commit_id: MOVED }] } }),
    );
    const result = await forge.commitFiles(repo, { branch: BRANCH, base: 'main', message: 'Raise memory', files: [{ path: PATH, content: NEW }] });
    assert.deepEqual(result, { outcome: 'committed', sha: NEW_COMMIT });
    fake.assertDone();
  });

  it('waits out a 429 with Retry-After and RateLimit-* headers, then succeeds', async (t) => {
    const { fake, forge, logs } = await setup(t);
    fake.expect(
      fake.on('GET', `/repository/branches/${BRANCH_ENC}`, errors.tooManyRequests('1', Math.floor(Date.now() / 1000) + 1)),
      fake.on('GET', `/repository/branches/${BRANCH_ENC}`, ok(branch(BRANCH, HEAD_SHA))),
    );
    assert.equal(await forge.getBranch(repo, BRANCH), HEAD_SHA);
    assert.ok(gapMs(fake, 0, 1) >= 950, `waited ${gapMs(fake, 0, 1)} ms`);
    assert.ok(logs.some((line) => /"status":429/.test(line)));
    fake.assertDone();
  });

  it('pauses before the next call when an answer says the window is used up (RateLimit-Remaining: 0)', async (t) => {
    const { fake, forge } = await setup(t);
    // Two seconds ahead at most, at least one: a client that did not wait would surely be early.
    const resetAt = Math.floor(Date.now() / 1000) + 2;
    fake.expect(
      fake.on('GET', '/repository/branches/main', ok(branch('main', BASE_SHA), { 'ratelimit-remaining': '0', 'ratelimit-reset': String(resetAt) })),
      fake.on('GET', `/repository/branches/${BRANCH_ENC}`, ok(branch(BRANCH, HEAD_SHA))),
    );
    assert.equal(await forge.getBranch(repo, 'main'), BASE_SHA);
    assert.equal(await forge.getBranch(repo, BRANCH), HEAD_SHA);
    // The reset is in whole Unix seconds, so how long that is from the first answer varies;
    // what must hold is that the next call waits until the window has rolled over.
    const secondCall = fake.calls[1]!.wallAt;
    assert.ok(secondCall >= resetAt * 1000, `the next call came ${resetAt * 1000 - secondCall} ms before the reset`);
    fake.assertDone();
  });

  it('does not sit through a long Retry-After: a retryable ForgeError with retryAfterMs', async (t) => {
    const { fake, forge } = await setup(t);
    fake.expect(fake.on('GET', `/repository/branches/${BRANCH_ENC}`, errors.tooManyRequests('600', Math.floor(Date.now() / 1000) + 600)));
    const error = await forge.getBranch(repo, BRANCH).catch((e: unknown) => e);
    assert.ok(error instanceof ForgeError);
    assert.equal(error.code, 'rate-limited');
    assert.equal(error.status, 429);
    assert.equal(error.retryable, true);
    assert.equal(error.retryAfterMs, 600_000);
    fake.assertDone();
  });

  it('retries 5xx and then succeeds', async (t) => {
    const { fake, forge } = await setup(t);
    fake.expect(
      fake.on('GET', '/merge_requests', errors.server(502)),
      fake.on('GET', '/merge_requests', errors.server(500)),
      fake.on('GET', '/merge_requests', ok([mergeRequest({ iid: 9, branch: BRANCH })]), { query: { source_branch: BRANCH } }),
    );
    assert.equal((await forge.findPullRequest(repo, { branch: BRANCH, state: 'open' }))?.number, 9);
    fake.assertDone();
  });

  it('gives up on a lasting 5xx after the bounded retries, as a retryable ForgeError', async (t) => {
    const { fake, forge } = await setup(t);
    for (let i = 0; i < 4; i++) fake.expect(fake.on('GET', '/merge_requests', errors.server(503)));
    const error = await forge.findPullRequest(repo, { branch: BRANCH, state: 'open' }).catch((e: unknown) => e);
    assert.ok(error instanceof ForgeError);
    assert.equal(error.code, 'server');
    assert.equal(error.retryable, true);
    assert.match(error.message, /GitLab is not responding/);
    fake.assertDone();
  });

  it('retries after a connection reset and then succeeds', async (t) => {
    const { fake, forge } = await setup(t);
    fake.expect(
      fake.on('POST', '/merge_requests/7/notes', reset(), { body: { body: 'Healed.' } }),
      fake.on('POST', '/merge_requests/7/notes', created({ id: 1, body: 'Healed.' }), { body: { body: 'Healed.' } }),
    );
    await forge.comment(repo, 7, 'Healed.');
    fake.assertDone();
  });

  it('times out a hung request and retries it', async (t) => {
    const { fake, forge } = await setup(t, 200);
    fake.expect(
      fake.on('GET', `/repository/branches/${BRANCH_ENC}`, { ...ok(branch(BRANCH, HEAD_SHA)), delayMs: 2000 }),
      fake.on('GET', `/repository/branches/${BRANCH_ENC}`, ok(branch(BRANCH, HEAD_SHA))),
    );
    assert.equal(await forge.getBranch(repo, BRANCH), HEAD_SHA);
    // The delayed first answer would have done; only a timeout explains the second call.
    fake.assertDone();
  });

  it('reports lasting resets as a retryable network ForgeError', async (t) => {
    const { fake, forge } = await setup(t);
    for (let i = 0; i < 4; i++) fake.expect(fake.on('GET', `/repository/branches/${BRANCH_ENC}`, reset()));
    const error = await forge.getBranch(repo, BRANCH).catch((e: unknown) => e);
    assert.ok(error instanceof ForgeError);
    assert.equal(error.code, 'network');
    assert.equal(error.status, 0);
    assert.equal(error.retryable, true);
    fake.assertDone();
  });

  it('turns 401 into an unauthorized ForgeError at once, without the token anywhere', async (t) => {
    const { fake, forge, token, logs } = await setup(t);
    fake.expect(fake.on('GET', '/merge_requests', errors.status(401, { message: `401 Unauthorized (Bearer ${token})` })));
    const error = await forge.findPullRequest(repo, { branch: BRANCH, state: 'open' }).catch((e: unknown) => e);
    assert.ok(error instanceof ForgeError);
    assert.equal(error.code, 'unauthorized');
    assert.equal(error.status, 401);
    assert.equal(error.retryable, false);
    assert.match(error.message, /401 Unauthorized/);
    assert.ok(!error.message.includes(token), error.message);
    assert.ok(!JSON.stringify(error).includes(token));
    assert.ok(!String(error.stack).includes(token));
    assert.ok(!logs.join('\n').includes(token));
    fake.assertDone();
  });

  it('reads a file and a paginated directory; missing ones are undefined or empty', async (t) => {
    const { fake, forge } = await setup(t);
    fake.expect(
      fake.on('GET', `/repository/files/${PATH_ENC}`, ok(file(PATH, OLD, 'main')), { query: { ref: 'main' } }),
      fake.on('GET', `/repository/files/${encodeURIComponent('deploy/missing.yaml')}`, errors.fileNotFound(), { query: { ref: 'main' } }),
      fake.on('GET', '/repository/tree', ok([treeItem('deploy/web/deployment.yaml', 'blob')], { 'x-next-page': '2', 'x-page': '1' }), { query: { path: 'deploy/web', ref: 'main', page: '1' } }),
      fake.on('GET', '/repository/tree', ok([treeItem('deploy/web/base', 'tree')], { 'x-next-page': '', 'x-page': '2' }), { query: { path: 'deploy/web', ref: 'main', page: '2' } }),
      fake.on('GET', '/repository/tree', errors.treeNotFound(), { query: { path: 'nope', ref: 'main' } }),
    );
    const got = await forge.getFile(repo, 'main', PATH);
    assert.equal(got?.content, OLD);
    assert.equal(await forge.getFile(repo, 'main', 'deploy/missing.yaml'), undefined);
    assert.deepEqual(await forge.listDirectory(repo, 'main', 'deploy/web'), [
      { name: 'deployment.yaml', path: 'deploy/web/deployment.yaml', type: 'file' },
      { name: 'base', path: 'deploy/web/base', type: 'dir' },
    ]);
    assert.deepEqual(await forge.listDirectory(repo, 'main', 'nope'), []);
    fake.assertDone();
  });

  it('updates, labels and closes a merge request', async (t) => {
    const { fake, forge } = await setup(t);
    fake.expect(
      fake.on('PUT', '/merge_requests/7', ok(mergeRequest({ iid: 7, branch: BRANCH, title: 'New title', description: 'New body' })), { body: { title: 'New title', description: 'New body' } }),
      fake.on('PUT', '/merge_requests/7', ok(mergeRequest({ iid: 7, branch: BRANCH, labels: ['healed'] })), { body: { add_labels: 'healed' } }),
      fake.on('PUT', '/merge_requests/7', ok(mergeRequest({ iid: 7, branch: BRANCH, state: 'closed' })), { body: { state_event: 'close' } }),
    );
    assert.equal((await forge.updatePullRequest(repo, 7, { title: 'New title', body: 'New body' })).body, 'New body');
    await forge.addLabels(repo, 7, ['healed']);
    await forge.closePullRequest(repo, 7);
    fake.assertDone();
  });

  it('polls mergeability while GitLab checks, merges with squash, and refuses rebase', async (t) => {
    const { fake, forge } = await setup(t);
    fake.expect(
      fake.on('GET', '/merge_requests/7', ok(mergeRequest({ iid: 7, branch: BRANCH, detailedMergeStatus: 'checking' }))),
      fake.on('GET', '/merge_requests/7', ok(mergeRequest({ iid: 7, branch: BRANCH, detailedMergeStatus: 'mergeable' }))),
      fake.on('PUT', '/merge_requests/7/merge', ok(mergeRequest({ iid: 7, branch: BRANCH, state: 'merged' })), { body: { squash: true } }),
    );
    assert.deepEqual(await forge.isMergeable(repo, 7), { state: 'mergeable', reason: 'mergeable' });
    assert.deepEqual(await forge.mergePullRequest(repo, 7, 'squash'), { sha: 'm'.repeat(40) });
    await assert.rejects(forge.mergePullRequest(repo, 7, 'rebase'), (e: unknown) => e instanceof ForgeError && e.code === 'unsupported');
    fake.assertDone();
  });
});
