// Gitea's client is written against its documented API (1.26: routers/api/v1, structs);
// these tests pin the request building and answer mapping. The calls themselves are
// tested against a real Gitea in the sandbox (tier 3).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildUrl } from '../http-client.ts';
import { parseRepoUrl } from '../repo-url.ts';
import * as api from './requests.ts';
import { toPullRequest } from './gitea-forge.ts';
import { Contents, PullRequest } from './schema.ts';

const repo = parseRepoUrl('https://gitea.example/tester/demo.git');
const url = (request: { path: string; query?: Record<string, string | number | boolean | undefined> }) => buildUrl(repo.apiBaseUrl, request);

describe('Gitea requests', () => {
  it('lives under /api/v1 and keeps the slashes of branch names and paths as path separators', () => {
    assert.equal(url(api.getBranch(repo, 'gopherguard/default/web-1a2b')), 'https://gitea.example/api/v1/repos/tester/demo/branches/gopherguard/default/web-1a2b');
    assert.equal(url(api.getContents(repo, 'main', 'deploy/web app/a.yaml')), 'https://gitea.example/api/v1/repos/tester/demo/contents/deploy/web%20app/a.yaml?ref=main');
    assert.equal(url(api.getContents(repo, 'gopherguard/x', '')), 'https://gitea.example/api/v1/repos/tester/demo/contents?ref=gopherguard%2Fx');
  });

  it('lists pull requests newest first, a page at a time (no head filter exists)', () => {
    const request = api.listPulls(repo, 'all', 2);
    assert.equal(request.method, 'GET');
    assert.equal(url(request), 'https://gitea.example/api/v1/repos/tester/demo/pulls?state=all&sort=recentupdate&limit=50&page=2');
  });

  it('creates a pull request from a same-repo head, without labels (those are ids there)', () => {
    const request = api.createPull(repo, { branch: 'gopherguard/x', base: 'main', title: 'Fix', body: 'Why' });
    assert.deepEqual([request.method, request.path, request.body], ['POST', '/repos/tester/demo/pulls', { head: 'gopherguard/x', base: 'main', title: 'Fix', body: 'Why' }]);
  });

  it('commits several files in one ChangeFiles call: base64 content, sha for updates, new_branch to create', () => {
    const request = api.changeFiles(repo, {
      branch: 'main', newBranch: 'gopherguard/x', message: 'Raise memory',
      files: [{ path: 'deploy/a.yaml', content: 'a: 2\n', sha: 'abc' }, { path: 'deploy/b.yaml', content: 'b: 1\n', sha: undefined }],
    });
    assert.equal(request.method, 'POST');
    assert.equal(request.path, '/repos/tester/demo/contents');
    assert.deepEqual(request.body, {
      branch: 'main', new_branch: 'gopherguard/x', message: 'Raise memory',
      files: [
        { operation: 'update', path: 'deploy/a.yaml', content: Buffer.from('a: 2\n').toString('base64'), sha: 'abc' },
        { operation: 'create', path: 'deploy/b.yaml', content: Buffer.from('b: 1\n').toString('base64') },
      ],
    });
    const onBranch = api.changeFiles(repo, { branch: 'gopherguard/x', newBranch: undefined, message: 'm', files: [{ path: 'a', content: '', sha: 's' }] });
    assert.equal('new_branch' in (onBranch.body as object), false);
  });

  it('merges by POST with Do and pins the head commit', () => {
    const request = api.mergePull(repo, 7, 'squash', 'f'.repeat(40));
    assert.deepEqual([request.method, request.path, request.body], ['POST', '/repos/tester/demo/pulls/7/merge', { Do: 'squash', head_commit_id: 'f'.repeat(40) }]);
  });

  it('edits, closes, comments and labels through the pulls and issues routes', () => {
    assert.deepEqual(api.editPull(repo, 3, { state: 'closed' }, 'close').body, { state: 'closed' });
    assert.equal(api.editPull(repo, 3, { title: 't' }, 'update').method, 'PATCH');
    assert.equal(api.createComment(repo, 3, 'hi').path, '/repos/tester/demo/issues/3/comments');
    assert.deepEqual(api.addLabels(repo, 3, [4, 5]).body, { labels: [4, 5] });
    assert.deepEqual(api.createLabel(repo, 'gopherguard', '#0e8a16').body, { name: 'gopherguard', color: '#0e8a16' });
  });

  it('escapes owner and repository names', () => {
    const odd = parseRepoUrl('https://gitea.example/some%20one/my.repo', { kind: 'gitea' });
    assert.equal(api.getPull(odd, 1).path, '/repos/some%20one/my.repo/pulls/1');
  });
});

describe('Gitea answers', () => {
  const wire = {
    id: 11, number: 4, html_url: 'https://gitea.example/tester/demo/pulls/4', state: 'closed', title: 'Fix', body: null, merged: true, mergeable: false,
    merge_commit_sha: 'm'.repeat(40), labels: [{ id: 1, name: 'gopherguard', color: '0e8a16' }],
    head: { label: 'gopherguard/x', ref: 'gopherguard/x', sha: 'a'.repeat(40), repo_id: 2 }, base: { label: 'main', ref: 'main', sha: 'b'.repeat(40), repo_id: 2 },
  };

  it('map a pull request, merged shown as merged', () => {
    assert.deepEqual(toPullRequest(PullRequest.parse(wire)), {
      number: 4, url: 'https://gitea.example/tester/demo/pulls/4', state: 'merged', title: 'Fix', body: '',
      branch: 'gopherguard/x', headSha: 'a'.repeat(40), base: 'main', labels: ['gopherguard'], mergeCommitSha: 'm'.repeat(40),
    });
    const closed = toPullRequest(PullRequest.parse({ ...wire, merged: false }));
    assert.equal(closed.state, 'closed');
    assert.equal(closed.mergeCommitSha, undefined, 'only a merged PR has a merge commit');
  });

  it('tell a file from a directory in the contents API', () => {
    const fileAnswer = Contents.parse({ name: 'a.yaml', path: 'deploy/a.yaml', type: 'file', sha: 's', encoding: 'base64', content: 'YTogMQo=' });
    assert.equal(Array.isArray(fileAnswer), false);
    const dirAnswer = Contents.parse([{ name: 'a.yaml', path: 'deploy/a.yaml', type: 'file', sha: 's', encoding: null, content: null }]);
    assert.equal(Array.isArray(dirAnswer), true);
  });
});
