// The GitHub forge, as production code, against a strict loopback GitHub: every call a
// test does not script fails it, and every scripted call must happen.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it, type TestContext } from 'node:test';
import { createForge, ForgeError, parseRepoUrl, type Forge } from '../../src/forge/index.ts';
import { branch, created, dirEntry, errors, file, gitObject, ok, pull, ref, reset, startFakeGitHub, type FakeGitHub } from '../support/fake-github.ts';

const repo = parseRepoUrl('https://github.com/o/r');
const BASE_SHA = '1'.repeat(40);
const BASE_TREE = '2'.repeat(40);
const HEAD_SHA = '3'.repeat(40);
const HEAD_TREE = '4'.repeat(40);
const NEW_TREE = '5'.repeat(40);
const NEW_COMMIT = '6'.repeat(40);
const BRANCH = 'gopherguard/default/deployment-web-1a2b3c4d';
const PATH = 'deploy/web/deployment.yaml';
const OLD = 'resources:\n  limits:\n    memory: 128Mi\n';
const NEW = 'resources:\n  limits:\n    memory: 256Mi\n';

interface Setup {
  fake: FakeGitHub;
  forge: Forge;
  token: string;
  logs: string[];
}

async function setup(t: TestContext, requestTimeoutMs?: number): Promise<Setup> {
  // Not shaped like a GitHub token, so only the exact-value scrubbing can hide it.
  const token = `test-token-${randomBytes(12).toString('hex')}`;
  const fake = await startFakeGitHub({ token });
  t.after(() => fake.close());
  const logs: string[] = [];
  const forge = createForge({
    kind: 'github',
    apiBaseUrl: fake.url,
    token,
    // Fast backoff for 5xx and resets; rate-limit waits stay real (asserted below).
    retry: { baseDelayMs: 20, maxDelayMs: 100 },
    mergeability: { intervalMs: 20 },
    ...(requestTimeoutMs ? { requestTimeoutMs } : {}),
    log: (level, message, fields) => logs.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`),
  });
  return { fake, forge, token, logs };
}

function gapMs(fake: FakeGitHub, from: number, to: number): number {
  return fake.calls[to]!.at - fake.calls[from]!.at;
}

describe('GitHub forge through a strict fake', { concurrency: true }, () => {
  it('reads a commit\'s parents and files (GET /commits/{ref}), and undefined for an unknown one', async (t) => {
    const { fake, forge } = await setup(t);
    const sha = HEAD_SHA;
    fake.expect(
      fake.on('GET', `/commits/${sha}`, ok({
        sha, url: `https://api.github.com/repos/o/r/commits/${sha}`, html_url: `https://github.com/o/r/commit/${sha}`,
        commit: { message: 'scale to -1', tree: { sha: HEAD_TREE } },
        parents: [{ sha: BASE_SHA, url: `https://api.github.com/repos/o/r/commits/${BASE_SHA}` }],
        stats: { total: 2, additions: 1, deletions: 1 },
        files: [
          { sha: '9'.repeat(40), filename: PATH, status: 'modified', additions: 1, deletions: 1, changes: 2, patch: '@@ -1 +1 @@' },
          { sha: '8'.repeat(40), filename: 'deploy/new.yaml', previous_filename: 'deploy/old.yaml', status: 'renamed', additions: 0, deletions: 0, changes: 0 },
        ],
      })),
      fake.on('GET', `/commits/${NEW_COMMIT}`, errors.notFound()),
    );
    assert.deepEqual(await forge.getCommit(repo, sha), {
      sha, parents: [BASE_SHA],
      files: [{ path: PATH, status: 'modified' }, { path: 'deploy/new.yaml', status: 'renamed', previousPath: 'deploy/old.yaml' }],
    });
    assert.equal(await forge.getCommit(repo, NEW_COMMIT), undefined);
    fake.assertDone();
  });

  it('reads the default branch (what Argo CD\'s HEAD means) from GET /repos/{owner}/{repo}', async (t) => {
    const { fake, forge } = await setup(t);
    fake.expect(fake.on('GET', '', ok({ name: 'r', full_name: 'o/r', default_branch: 'trunk' })));
    assert.equal(await forge.getDefaultBranch(repo), 'trunk');
    fake.assertDone();
  });

  it('creates a pull request and labels it', async (t) => {
    const { fake, forge } = await setup(t);
    fake.expect(
      fake.on('POST', '/pulls', created(pull({ number: 7, branch: BRANCH })), { body: { head: BRANCH, base: 'main', title: 'Raise memory', body: 'Because OOM.' } }),
      fake.on('POST', '/issues/7/labels', ok([{ id: 1, name: 'gopherguard', color: 'ededed' }]), { body: { labels: ['gopherguard'] } }),
    );
    const result = await forge.createPullRequest(repo, { branch: BRANCH, base: 'main', title: 'Raise memory', body: 'Because OOM.', labels: ['gopherguard'] });
    assert.equal(result.created, true);
    assert.equal(result.pullRequest.number, 7);
    assert.equal(result.pullRequest.url, 'https://github.com/o/r/pull/7');
    assert.equal(result.pullRequest.state, 'open');
    assert.deepEqual(result.pullRequest.labels, ['gopherguard']);
    fake.assertDone();
  });

  it('returns the existing pull request when GitHub answers 422 "A pull request already exists"', async (t) => {
    const { fake, forge } = await setup(t);
    fake.expect(
      fake.on('POST', '/pulls', errors.validation(`A pull request already exists for o:${BRANCH}.`)),
      fake.on('GET', '/pulls', ok([pull({ number: 5, branch: BRANCH, title: 'Earlier title' })]), { query: { head: `o:${BRANCH}`, state: 'open' } }),
    );
    const result = await forge.createPullRequest(repo, { branch: BRANCH, base: 'main', title: 'Raise memory', body: 'x', labels: ['gopherguard'] });
    assert.equal(result.created, false);
    assert.equal(result.pullRequest.number, 5);
    assert.equal(result.pullRequest.title, 'Earlier title');
    fake.assertDone();
  });

  it('does not retry other validation failures, and says what GitHub said', async (t) => {
    const { fake, forge } = await setup(t);
    fake.expect(fake.on('POST', '/pulls', errors.validation(`No commits between main and ${BRANCH}`)));
    const error = await forge.createPullRequest(repo, { branch: BRANCH, base: 'main', title: 't', body: 'b' }).catch((e: unknown) => e);
    assert.ok(error instanceof ForgeError);
    assert.equal(error.status, 422);
    assert.equal(error.code, 'invalid');
    assert.equal(error.retryable, false);
    assert.match(error.message, /No commits between main and/);
    fake.assertDone();
  });

  it('finds the open pull request of a branch, and nothing when there is none', async (t) => {
    const { fake, forge } = await setup(t);
    fake.expect(
      fake.on('GET', '/pulls', ok([pull({ number: 9, branch: BRANCH, sha: HEAD_SHA, body: null, labels: ['gopherguard'] })]), { query: { head: `o:${BRANCH}`, state: 'open' } }),
      fake.on('GET', '/pulls', ok([]), { query: { head: 'o:gopherguard/other', state: 'open' } }),
    );
    const found = await forge.findPullRequest(repo, { branch: BRANCH, state: 'open' });
    assert.deepEqual(found, {
      number: 9, url: 'https://github.com/o/r/pull/9', state: 'open', title: 'Raise memory limit of web', body: '',
      branch: BRANCH, headSha: HEAD_SHA, base: 'main', labels: ['gopherguard'],
    });
    assert.equal(await forge.findPullRequest(repo, { branch: 'gopherguard/other', state: 'open' }), undefined);
    fake.assertDone();
  });

  it('tells a closed pull request from a merged one when asked for all states', async (t) => {
    const { fake, forge } = await setup(t);
    fake.expect(
      fake.on('GET', '/pulls', ok([pull({ number: 3, branch: BRANCH, state: 'closed' })]), { query: { head: `o:${BRANCH}`, state: 'all' } }),
      fake.on('GET', '/pulls', ok([pull({ number: 4, branch: BRANCH, merged: true })]), { query: { head: `o:${BRANCH}`, state: 'closed' } }),
    );
    assert.equal((await forge.findPullRequest(repo, { branch: BRANCH, state: 'all' }))?.state, 'closed');
    assert.equal((await forge.findPullRequest(repo, { branch: BRANCH, state: 'closed' }))?.state, 'merged');
    fake.assertDone();
  });

  it('commits files on a new branch created from the base through the git data API', async (t) => {
    const { fake, forge } = await setup(t);
    fake.expect(
      fake.on('GET', `/branches/${BRANCH}`, errors.branchNotFound()),
      fake.on('GET', '/branches/main', ok(branch('main', BASE_SHA, BASE_TREE))),
      fake.on('GET', `/contents/${PATH}`, ok(file(PATH, OLD)), { query: { ref: BASE_SHA } }),
      fake.on('GET', '/contents/deploy/web/new.yaml', errors.notFound(), { query: { ref: BASE_SHA } }),
      fake.on('POST', '/git/trees', created(gitObject(NEW_TREE)), {
        body: { base_tree: BASE_TREE, tree: [{ path: PATH, mode: '100644', type: 'blob', content: NEW }, { path: 'deploy/web/new.yaml', mode: '100644', type: 'blob', content: 'a: 1\n' }] },
      }),
      fake.on('POST', '/git/commits', created(gitObject(NEW_COMMIT)), { body: { message: 'Raise memory', tree: NEW_TREE, parents: [BASE_SHA] } }),
      fake.on('POST', '/git/refs', created(ref(`refs/heads/${BRANCH}`, NEW_COMMIT)), { body: { ref: `refs/heads/${BRANCH}`, sha: NEW_COMMIT } }),
    );
    const result = await forge.commitFiles(repo, {
      branch: BRANCH, base: 'main', message: 'Raise memory',
      files: [{ path: PATH, content: NEW }, { path: 'deploy/web/new.yaml', content: 'a: 1\n' }],
    });
    assert.deepEqual(result, { outcome: 'created-branch', sha: NEW_COMMIT });
    fake.assertDone();
  });

  it('commits on top of an existing branch with a fast-forward-only ref update', async (t) => {
    const { fake, forge } = await setup(t);
    fake.expect(
      fake.on('GET', `/branches/${BRANCH}`, ok(branch(BRANCH, HEAD_SHA, HEAD_TREE))),
      fake.on('GET', `/contents/${PATH}`, ok(file(PATH, OLD)), { query: { ref: HEAD_SHA } }),
      fake.on('POST', '/git/trees', created(gitObject(NEW_TREE)), { body: { base_tree: HEAD_TREE, tree: [{ path: PATH, content: NEW }] } }),
      fake.on('POST', '/git/commits', created(gitObject(NEW_COMMIT)), { body: { tree: NEW_TREE, parents: [HEAD_SHA] } }),
      fake.on('PATCH', `/git/refs/heads/${BRANCH}`, ok(ref(`refs/heads/${BRANCH}`, NEW_COMMIT)), { body: { sha: NEW_COMMIT, force: false } }),
    );
    const result = await forge.commitFiles(repo, { branch: BRANCH, base: 'main', message: 'Raise memory', files: [{ path: PATH, content: NEW }] });
    assert.deepEqual(result, { outcome: 'committed', sha: NEW_COMMIT });
    fake.assertDone();
  });

  it('writes nothing when the branch already holds exactly that content', async (t) => {
    const { fake, forge } = await setup(t);
    fake.expect(
      fake.on('GET', `/branches/${BRANCH}`, ok(branch(BRANCH, HEAD_SHA, HEAD_TREE))),
      fake.on('GET', `/contents/${PATH}`, ok(file(PATH, NEW)), { query: { ref: HEAD_SHA } }),
    );
    const result = await forge.commitFiles(repo, { branch: BRANCH, base: 'main', message: 'Raise memory', files: [{ path: PATH, content: NEW }] });
    assert.deepEqual(result, { outcome: 'unchanged', sha: HEAD_SHA });
    fake.assertDone();
  });

  it('treats 422 "Reference already exists" as a lost race: re-reads and finds its content there', async (t) => {
    const { fake, forge } = await setup(t);
    fake.expect(
      fake.on('GET', `/branches/${BRANCH}`, errors.branchNotFound()),
      fake.on('GET', '/branches/main', ok(branch('main', BASE_SHA, BASE_TREE))),
      fake.on('GET', `/contents/${PATH}`, ok(file(PATH, OLD)), { query: { ref: BASE_SHA } }),
      fake.on('POST', '/git/trees', created(gitObject(NEW_TREE))),
      fake.on('POST', '/git/commits', created(gitObject(NEW_COMMIT))),
      fake.on('POST', '/git/refs', errors.referenceExists()),
      // Another replica made the same commit first.
      fake.on('GET', `/branches/${BRANCH}`, ok(branch(BRANCH, HEAD_SHA, HEAD_TREE))),
      fake.on('GET', `/contents/${PATH}`, ok(file(PATH, NEW)), { query: { ref: HEAD_SHA } }),
    );
    const result = await forge.commitFiles(repo, { branch: BRANCH, base: 'main', message: 'Raise memory', files: [{ path: PATH, content: NEW }] });
    assert.deepEqual(result, { outcome: 'unchanged', sha: HEAD_SHA });
    fake.assertDone();
  });

  it('waits out a secondary rate limit (403 with retry-after) and succeeds', async (t) => {
    const { fake, forge, logs } = await setup(t);
    fake.expect(
      fake.on('GET', `/branches/${BRANCH}`, errors.secondaryLimit(403, '1')),
      fake.on('GET', `/branches/${BRANCH}`, ok(branch(BRANCH, HEAD_SHA, HEAD_TREE))),
    );
    assert.equal(await forge.getBranch(repo, BRANCH), HEAD_SHA);
    assert.ok(gapMs(fake, 0, 1) >= 950, `waited ${gapMs(fake, 0, 1)} ms`);
    assert.ok(logs.some((line) => /secondary rate limit/.test(line)));
    fake.assertDone();
  });

  it('waits out a 429 secondary limit with retry-after, and a bare 429 with retry-after', async (t) => {
    const { fake, forge } = await setup(t);
    fake.expect(
      fake.on('GET', `/branches/${BRANCH}`, errors.secondaryLimit(429, '1')),
      fake.on('GET', `/branches/${BRANCH}`, ok(branch(BRANCH, HEAD_SHA, HEAD_TREE))),
      fake.on('GET', '/branches/main', errors.status(429, { message: 'Too Many Requests' }, { 'retry-after': '1' })),
      fake.on('GET', '/branches/main', ok(branch('main', BASE_SHA, BASE_TREE))),
    );
    assert.equal(await forge.getBranch(repo, BRANCH), HEAD_SHA);
    assert.equal(await forge.getBranch(repo, 'main'), BASE_SHA);
    assert.ok(gapMs(fake, 0, 1) >= 950, `secondary: waited ${gapMs(fake, 0, 1)} ms`);
    assert.ok(gapMs(fake, 2, 3) >= 950, `bare 429: waited ${gapMs(fake, 2, 3)} ms`);
    fake.assertDone();
  });

  it('waits for the reset of an exhausted primary limit (403, x-ratelimit-remaining 0)', async (t) => {
    const { fake, forge } = await setup(t);
    // Two seconds ahead at most, at least one: a client that did not wait would surely be early.
    const resetAt = Math.floor(Date.now() / 1000) + 2;
    fake.expect(
      fake.on('GET', `/branches/${BRANCH}`, errors.primaryLimit(resetAt)),
      fake.on('GET', `/branches/${BRANCH}`, ok(branch(BRANCH, HEAD_SHA, HEAD_TREE))),
    );
    assert.equal(await forge.getBranch(repo, BRANCH), HEAD_SHA);
    // The reset is in whole Unix seconds: the retry must not come before it.
    const retried = fake.calls[1]!.wallAt;
    assert.ok(retried >= resetAt * 1000, `retried ${resetAt * 1000 - retried} ms before the reset`);
    fake.assertDone();
  });

  it('does not sit through a long secondary limit: a retryable ForgeError with retryAfterMs', async (t) => {
    const { fake, forge } = await setup(t);
    fake.expect(fake.on('GET', `/branches/${BRANCH}`, errors.secondaryLimit(403, '3600')));
    const error = await forge.getBranch(repo, BRANCH).catch((e: unknown) => e);
    assert.ok(error instanceof ForgeError);
    assert.equal(error.code, 'rate-limited');
    assert.equal(error.retryable, true);
    assert.equal(error.retryAfterMs, 3_600_000);
    assert.match(error.message, /secondary rate limit/);
    fake.assertDone();
  });

  it('retries a 5xx and then succeeds', async (t) => {
    const { fake, forge } = await setup(t);
    fake.expect(
      fake.on('GET', `/branches/${BRANCH}`, errors.server(502)),
      fake.on('GET', `/branches/${BRANCH}`, errors.server(500)),
      fake.on('GET', `/branches/${BRANCH}`, ok(branch(BRANCH, HEAD_SHA, HEAD_TREE))),
    );
    assert.equal(await forge.getBranch(repo, BRANCH), HEAD_SHA);
    fake.assertDone();
  });

  it('gives up on a lasting 5xx after the bounded retries, as a retryable ForgeError', async (t) => {
    const { fake, forge } = await setup(t);
    for (let i = 0; i < 4; i++) fake.expect(fake.on('GET', `/branches/${BRANCH}`, errors.server(503)));
    const error = await forge.getBranch(repo, BRANCH).catch((e: unknown) => e);
    assert.ok(error instanceof ForgeError);
    assert.equal(error.code, 'server');
    assert.equal(error.status, 503);
    assert.equal(error.retryable, true);
    fake.assertDone();
  });

  it('retries after a connection reset and then succeeds', async (t) => {
    const { fake, forge } = await setup(t);
    fake.expect(
      fake.on('POST', '/issues/7/comments', reset(), { body: { body: 'Healed.' } }),
      fake.on('POST', '/issues/7/comments', created({ id: 1, body: 'Healed.' }), { body: { body: 'Healed.' } }),
    );
    await forge.comment(repo, 7, 'Healed.');
    fake.assertDone();
  });

  it('times out a hung request and retries it', async (t) => {
    const { fake, forge } = await setup(t, 200);
    fake.expect(
      fake.on('GET', `/branches/${BRANCH}`, { ...ok(branch(BRANCH, HEAD_SHA, HEAD_TREE)), delayMs: 2000 }),
      fake.on('GET', `/branches/${BRANCH}`, ok(branch(BRANCH, HEAD_SHA, HEAD_TREE))),
    );
    assert.equal(await forge.getBranch(repo, BRANCH), HEAD_SHA);
    // The delayed first answer would have done; only a timeout explains the second call.
    fake.assertDone();
  });

  it('reports lasting resets as a retryable network ForgeError', async (t) => {
    const { fake, forge } = await setup(t);
    for (let i = 0; i < 4; i++) fake.expect(fake.on('GET', `/branches/${BRANCH}`, reset()));
    const error = await forge.getBranch(repo, BRANCH).catch((e: unknown) => e);
    assert.ok(error instanceof ForgeError);
    assert.equal(error.code, 'network');
    assert.equal(error.status, 0);
    assert.equal(error.retryable, true);
    fake.assertDone();
  });

  it('turns 401 into an unauthorized ForgeError at once, without the token anywhere', async (t) => {
    const { fake, forge, token, logs } = await setup(t);
    // A hostile or careless proxy that quotes the credentials back.
    fake.expect(fake.on('GET', '/pulls', errors.status(401, { message: `Bad credentials: token ${token}`, documentation_url: 'https://docs.github.com/rest' })));
    const error = await forge.findPullRequest(repo, { branch: BRANCH, state: 'open' }).catch((e: unknown) => e);
    assert.ok(error instanceof ForgeError);
    assert.equal(error.code, 'unauthorized');
    assert.equal(error.status, 401);
    assert.equal(error.retryable, false);
    assert.match(error.message, /Bad credentials/);
    assert.match(error.message, /check that the Secret/);
    assert.ok(!error.message.includes(token), error.message);
    assert.ok(!JSON.stringify(error).includes(token));
    assert.ok(!String(error.stack).includes(token));
    assert.ok(!logs.join('\n').includes(token));
    fake.assertDone();
  });

  it('reads a file, a directory, and says undefined or empty for what is missing', async (t) => {
    const { fake, forge } = await setup(t);
    fake.expect(
      fake.on('GET', `/contents/${PATH}`, ok(file(PATH, OLD)), { query: { ref: 'main' } }),
      fake.on('GET', '/contents/deploy/missing.yaml', errors.notFound(), { query: { ref: 'main' } }),
      fake.on('GET', '/contents/deploy/web', ok([dirEntry('deploy/web/deployment.yaml', 'file'), dirEntry('deploy/web/base', 'dir')]), { query: { ref: 'main' } }),
      fake.on('GET', '/contents/nope', errors.notFound(), { query: { ref: 'main' } }),
    );
    assert.deepEqual(await forge.getFile(repo, 'main', PATH), { content: OLD, sha: file(PATH, OLD).sha });
    assert.equal(await forge.getFile(repo, 'main', 'deploy/missing.yaml'), undefined);
    assert.deepEqual(await forge.listDirectory(repo, 'main', 'deploy/web'), [
      { name: 'deployment.yaml', path: 'deploy/web/deployment.yaml', type: 'file' },
      { name: 'base', path: 'deploy/web/base', type: 'dir' },
    ]);
    assert.deepEqual(await forge.listDirectory(repo, 'main', 'nope'), []);
    fake.assertDone();
  });

  it('updates, comments on and closes a pull request', async (t) => {
    const { fake, forge } = await setup(t);
    fake.expect(
      fake.on('PATCH', '/pulls/7', ok(pull({ number: 7, branch: BRANCH, title: 'New title', body: 'New body' })), { body: { title: 'New title', body: 'New body' } }),
      fake.on('POST', '/issues/7/comments', created({ id: 1 }), { body: { body: 'Resolved by itself.' } }),
      fake.on('PATCH', '/pulls/7', ok(pull({ number: 7, branch: BRANCH, state: 'closed' })), { body: { state: 'closed' } }),
    );
    const updated = await forge.updatePullRequest(repo, 7, { title: 'New title', body: 'New body' });
    assert.equal(updated.title, 'New title');
    await forge.comment(repo, 7, 'Resolved by itself.');
    await forge.closePullRequest(repo, 7);
    fake.assertDone();
  });

  it('polls mergeability while GitHub computes it, then merges', async (t) => {
    const { fake, forge } = await setup(t);
    fake.expect(
      fake.on('GET', '/pulls/7', ok(pull({ number: 7, branch: BRANCH, mergeable: null }))),
      fake.on('GET', '/pulls/7', ok(pull({ number: 7, branch: BRANCH, mergeable: true, mergeableState: 'clean' }))),
      fake.on('PUT', '/pulls/7/merge', ok({ sha: NEW_COMMIT, merged: true, message: 'Pull Request successfully merged' }), { body: { merge_method: 'squash' } }),
    );
    assert.deepEqual(await forge.isMergeable(repo, 7), { state: 'mergeable', reason: 'mergeable (clean)' });
    assert.deepEqual(await forge.mergePullRequest(repo, 7, 'squash'), { sha: NEW_COMMIT });
    fake.assertDone();
  });
});
