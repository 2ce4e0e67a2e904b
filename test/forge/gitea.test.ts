// The Gitea forge against the run's real Gitea: commits through the API without a clone,
// one PR per branch however often it is asked for, reads, comments, merges.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forgeForRepo, openRepoTree } from '../../src/forge/index.ts';
import { createRepo, giteaApi, pullsOf, testGitea } from '../support/gitea.ts';

const gitea = testGitea();
const manifest = (memory: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web # the shop\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          resources:\n            limits:\n              memory: ${memory}\n`;

test('commit, open one PR however often asked, read it back, comment, merge', async () => {
  const { name, cloneUrl } = await createRepo(gitea, 'forge', { 'apps/web/deployment.yaml': manifest('128Mi'), 'apps/web/kustomization.yaml': 'resources: [deployment.yaml]\n' });
  const { forge, repo } = forgeForRepo(cloneUrl, { kind: 'gitea', token: gitea.token });
  assert.equal(repo.fullName, `${gitea.user}/${name}`);

  assert.equal(await forge.getDefaultBranch(repo), 'main', 'what Argo CD\'s HEAD means');
  const tree = await openRepoTree(forge, repo, 'main');
  assert.deepEqual((await tree.list('apps/web')).map((e) => `${e.type}:${e.path}`).sort(), ['file:apps/web/deployment.yaml', 'file:apps/web/kustomization.yaml']);
  assert.equal(await tree.read('apps/web/deployment.yaml'), manifest('128Mi'));
  assert.equal(await tree.read('apps/web/missing.yaml'), undefined);

  const files = [{ path: 'apps/web/deployment.yaml', content: manifest('256Mi') }];
  const first = await forge.commitFiles(repo, { branch: 'gopherguard/0123456789abcdef', base: 'main', message: 'fix(web): raise the memory limit', files });
  assert.equal(first.outcome, 'created-branch');
  const again = await forge.commitFiles(repo, { branch: 'gopherguard/0123456789abcdef', base: 'main', message: 'fix(web): raise the memory limit', files });
  assert.equal(again.outcome, 'unchanged', 'the same content twice makes no second commit');

  const input = { branch: 'gopherguard/0123456789abcdef', base: 'main', title: 'fix(deployment/web): raise a resource limit', body: 'why', labels: ['gopherguard'] };
  const opened = await forge.createPullRequest(repo, input);
  assert.equal(opened.created, true);
  const twice = await forge.createPullRequest(repo, input);
  assert.deepEqual([twice.created, twice.pullRequest.number], [false, opened.pullRequest.number], 'asking again finds the open one');
  assert.equal((await pullsOf(gitea, name)).length, 1);
  const found = await forge.findPullRequest(repo, { branch: input.branch, state: 'open' });
  assert.equal(found?.number, opened.pullRequest.number);
  assert.deepEqual(found?.labels, ['gopherguard']);

  await forge.updatePullRequest(repo, opened.pullRequest.number, { body: 'why, updated' });
  await forge.comment(repo, opened.pullRequest.number, 'the incident is still open');
  const comments = await giteaApi<Array<{ body: string }>>(gitea, 'GET', `/repos/${gitea.user}/${name}/issues/${opened.pullRequest.number}/comments`);
  assert.deepEqual(comments.map((c) => c.body), ['the incident is still open']);

  assert.equal((await forge.isMergeable(repo, opened.pullRequest.number, { timeoutMs: 30_000 })).state, 'mergeable');
  await forge.mergePullRequest(repo, opened.pullRequest.number, 'squash');
  const merged = await forge.findPullRequest(repo, { branch: input.branch, state: 'all' });
  assert.equal(merged?.state, 'merged');
  assert.equal((await forge.getFile(repo, 'main', 'apps/web/deployment.yaml'))?.content, manifest('256Mi'));
});

test('a PR a person closed is found closed, not merged', async () => {
  const { cloneUrl } = await createRepo(gitea, 'closed', { 'deployment.yaml': manifest('128Mi') });
  const { forge, repo } = forgeForRepo(cloneUrl, { kind: 'gitea', token: gitea.token });
  await forge.commitFiles(repo, { branch: 'gopherguard/fedcba9876543210', base: 'main', message: 'fix', files: [{ path: 'deployment.yaml', content: manifest('192Mi') }] });
  const { pullRequest } = await forge.createPullRequest(repo, { branch: 'gopherguard/fedcba9876543210', base: 'main', title: 'fix', body: 'b' });
  await forge.closePullRequest(repo, pullRequest.number);
  assert.equal(await forge.findPullRequest(repo, { branch: 'gopherguard/fedcba9876543210', state: 'open' }), undefined);
  assert.equal((await forge.findPullRequest(repo, { branch: 'gopherguard/fedcba9876543210', state: 'all' }))?.state, 'closed');
});

test('a merge Gitea answers "Please try again later" (still checking) waits and then merges', async () => {
  const { cloneUrl } = await createRepo(gitea, 'busy', { 'deployment.yaml': manifest('128Mi') });
  // Gitea's answer while its mergeability check runs, injected on the first two merge calls;
  // everything else, and the third merge, goes to the real Gitea.
  let refused = 0;
  const flaky: typeof fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (init?.method === 'POST' && url.endsWith('/merge') && refused < 2) {
      refused += 1;
      return new Response(JSON.stringify({ message: 'Please try again later' }), { status: 405, headers: { 'content-type': 'application/json' } });
    }
    return fetch(input, init);
  };
  const { forge, repo } = forgeForRepo(cloneUrl, { kind: 'gitea', token: gitea.token, fetch: flaky, mergeability: { timeoutMs: 10_000, intervalMs: 100 } });
  await forge.commitFiles(repo, { branch: 'gopherguard/00000000000000aa', base: 'main', message: 'fix', files: [{ path: 'deployment.yaml', content: manifest('192Mi') }] });
  const { pullRequest } = await forge.createPullRequest(repo, { branch: 'gopherguard/00000000000000aa', base: 'main', title: 'fix', body: 'b' });
  assert.equal((await forge.isMergeable(repo, pullRequest.number, { timeoutMs: 30_000 })).state, 'mergeable');
  const merged = await forge.mergePullRequest(repo, pullRequest.number, 'squash');
  assert.equal(refused, 2);
  assert.match(merged.sha ?? '', /^[0-9a-f]{40}$/);
  assert.equal((await forge.findPullRequest(repo, { branch: 'gopherguard/00000000000000aa', state: 'all' }))?.state, 'merged');
});
