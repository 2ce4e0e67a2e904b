import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pollMergeability, type MergeabilityProbe } from './mergeability.ts';
import { githubMergeability } from './github/github-forge.ts';
import { gitlabMergeability } from './gitlab/gitlab-forge.ts';
import { giteaMergeability } from './gitea/gitea-forge.ts';
import { MergeRequest } from './gitlab/schema.ts';
import { PullRequest as GiteaPull } from './gitea/schema.ts';

function steppedTime() {
  let now = 0;
  return { now: () => now, sleep: async (ms: number) => void (now += ms) };
}

describe('pollMergeability', () => {
  it('polls while pending and returns the first answer', async () => {
    const answers: MergeabilityProbe[] = [{ pending: true, reason: 'checking' }, { pending: true, reason: 'checking' }, { pending: false, state: 'mergeable', reason: 'ok' }];
    const time = steppedTime();
    assert.deepEqual(await pollMergeability(async () => answers.shift()!, { timeoutMs: 10_000, intervalMs: 1000, ...time }), { state: 'mergeable', reason: 'ok' });
    assert.equal(time.now(), 2000);
  });

  it('gives up as unknown when the bounded wait ends', async () => {
    const time = steppedTime();
    const result = await pollMergeability(async () => ({ pending: true, reason: 'Gitea reports it not mergeable' }), { timeoutMs: 5000, intervalMs: 2000, ...time });
    assert.equal(result.state, 'unknown');
    assert.match(result.reason, /still after 5 s/);
    assert.equal(time.now(), 5000);
  });
});

describe('mergeability per forge', () => {
  it('GitHub: null is pending, dirty conflicts, blocked is protection', () => {
    assert.equal(githubMergeability({ state: 'open', mergeable: null }).pending, true);
    assert.deepEqual(githubMergeability({ state: 'open', mergeable: false, mergeable_state: 'dirty' }), { pending: false, state: 'not-mergeable', reason: 'conflicts with the base branch' });
    assert.match((githubMergeability({ state: 'open', mergeable: true, mergeable_state: 'blocked' }) as { reason: string }).reason, /branch protection/);
    assert.equal((githubMergeability({ state: 'closed', merged: true }) as { state: string }).state, 'not-mergeable');
  });

  it('GitLab: checking is pending, conflict is not mergeable', () => {
    const mr = (extra: object) => MergeRequest.parse({ iid: 1, web_url: 'u', state: 'opened', title: 't', source_branch: 'b', target_branch: 'main', ...extra });
    assert.equal(gitlabMergeability(mr({ detailed_merge_status: 'checking' })).pending, true);
    assert.deepEqual(gitlabMergeability(mr({ detailed_merge_status: 'conflict' })), { pending: false, state: 'not-mergeable', reason: 'conflict' });
    assert.equal((gitlabMergeability(mr({ merge_status: 'can_be_merged' })) as { state: string }).state, 'mergeable');
  });

  it('Gitea: false is pending (it cannot tell checking from a conflict), drafts are not mergeable', () => {
    const pull = (extra: object) => GiteaPull.parse({ number: 1, html_url: 'u', state: 'open', title: 't', head: { ref: 'b' }, base: { ref: 'main' }, ...extra });
    assert.equal(giteaMergeability(pull({ mergeable: false })).pending, true);
    assert.equal((giteaMergeability(pull({ mergeable: true })) as { state: string }).state, 'mergeable');
    assert.equal((giteaMergeability(pull({ mergeable: true, draft: true })) as { state: string }).state, 'not-mergeable');
    assert.equal((giteaMergeability(pull({ merged: true, state: 'closed' })) as { reason: string }).reason, 'already merged');
  });
});
