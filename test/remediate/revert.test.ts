// Reverting a commit through the real Gitea's API: the forge reports the commit's parent
// and files; the plan restores each file from the parent, and refuses whatever would not
// be exactly `git revert` of manifests on the branch as it is now.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forgeForRepo } from '../../src/forge/index.ts';
import { commitEdits, giteaApi, headOf } from '../../src/demo/gitea-repo.ts';
import { planRevert } from '../../src/remediate/revert/plan-revert.ts';
import { createRepo, testGitea } from '../support/gitea.ts';

const gitea = testGitea();
const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n';

async function repoWithHistory() {
  const { name, cloneUrl } = await createRepo(gitea, 'revert', { 'apps/web.yaml': deployment, 'NOTES.md': '# fleet\n' });
  const parent = await headOf(gitea, name);
  const bad = await commitEdits(gitea, name, 'scale to -1', [{ file: 'apps/web.yaml', find: 'replicas: 2', replace: 'replicas: -1' }]);
  return { name, parent, bad, ...forgeForRepo(cloneUrl, { kind: 'gitea', token: gitea.token }) };
}

test('the forge tells a commit\'s parent and files, and the revert restores the file from the parent', async () => {
  const { forge, repo, parent, bad } = await repoWithHistory();
  const commit = await forge.getCommit(repo, bad);
  assert.deepEqual(commit, { sha: bad, parents: [parent], files: [{ path: 'apps/web.yaml', status: 'modified' }] });
  assert.equal(await forge.getCommit(repo, 'f'.repeat(40)), undefined);

  const plan = await planRevert(forge, repo, bad, 'main');
  assert.ok(plan.ok, plan.ok ? '' : plan.reason);
  assert.equal(plan.parent, parent);
  assert.deepEqual(plan.edits.map((e) => [e.path, e.after]), [['apps/web.yaml', deployment]]);
  assert.deepEqual(plan.edits[0]?.diff.split('\n').filter((l) => /^[-+](?![-+])/.test(l)), ['-  replicas: -1', '+  replicas: 2']);
});

test('a file changed again after the commit is not reverted: that would undo more than the commit', async () => {
  const { name, forge, repo, bad } = await repoWithHistory();
  await commitEdits(gitea, name, 'rename', [{ file: 'apps/web.yaml', find: 'name: web', replace: 'name: webapp' }]);
  const plan = await planRevert(forge, repo, bad, 'main');
  assert.equal(plan.ok, false);
  assert.match(plan.ok ? '' : plan.reason, /apps\/web\.yaml changed on main after [0-9a-f]{7}; revert it by hand/);
});

test('a commit that adds a file, or touches more than manifests, is a person\'s call', async () => {
  const { name, forge, repo } = await repoWithHistory();
  const added = await giteaApi<{ commit: { sha: string } }>(gitea, 'POST', `/repos/${gitea.user}/${name}/contents`, {
    branch: 'main', message: 'a new app', files: [{ operation: 'create', path: 'apps/api.yaml', content: Buffer.from(deployment).toString('base64') }],
  });
  const plan = await planRevert(forge, repo, added.commit.sha, 'main');
  assert.equal(plan.ok, false);
  assert.match(plan.ok ? '' : plan.reason, /has added apps\/api\.yaml; only edits of YAML or JSON manifests/);
  const docs = await commitEdits(gitea, name, 'docs', [{ file: 'NOTES.md', find: '# fleet', replace: '# the fleet' }]);
  const readme = await planRevert(forge, repo, docs, 'main');
  assert.match(readme.ok ? '' : readme.reason, /changes NOTES\.md; only edits of YAML or JSON manifests/);
});
