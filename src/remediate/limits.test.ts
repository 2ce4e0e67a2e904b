import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HealingIncident, PullRequest } from '../api/healing-incident.ts';
import { pullRequestAllowance } from './limits.ts';
import { fixBranch, pullRequestBody, pullRequestTitle, readPullRequestMetadata } from './pull-request-body.ts';

const now = Date.parse('2026-11-26T10:00:00Z');
const minutesAgo = (m: number) => new Date(now - m * 60_000).toISOString();
const REPO = 'https://gitea.example/acme/apps';

function incident(name: string, workload: string, pr?: { state: 'open' | 'merged' | 'closed'; openedMinutesAgo: number; repo?: string }): HealingIncident {
  return {
    metadata: { name, namespace: 'shop' },
    spec: { watch: 'w', fingerprint: `${name}0000000000000000`.slice(0, 16), workload: { kind: 'Deployment', namespace: 'shop', name: workload }, container: 'app', signalClass: 'OOMKilled' },
    status: {
      phase: pr ? 'PullRequestOpen' : 'Diagnosed',
      ...(pr ? {
        phaseTimestamps: { PullRequestOpen: minutesAgo(pr.openedMinutesAgo) },
        pullRequest: { url: `${REPO}/pulls/1`, number: 1, branch: 'gopherguard/x', state: pr.state, repo: pr.repo ?? REPO } as PullRequest,
      } : {}),
    },
  };
}

const limits = { maxOpenPullRequests: 2, pullRequestsPerHour: 2, cooldownSeconds: 900 };

test('under every limit, a PR may be opened', () => {
  assert.deepEqual(pullRequestAllowance(incident('new', 'web'), [incident('old', 'api', { state: 'merged', openedMinutesAgo: 120 })], REPO, limits, now), { ok: true });
});

test('open PRs in the same repository are capped; other repositories do not count', () => {
  const all = [incident('a', 'api', { state: 'open', openedMinutesAgo: 120 }), incident('b', 'db', { state: 'open', openedMinutesAgo: 180 })];
  const verdict = pullRequestAllowance(incident('new', 'web'), all, REPO, limits, now);
  assert.equal(verdict.ok, false);
  assert.match(!verdict.ok ? verdict.reason : '', /2 GopherGuard pull requests are open/);
  assert.equal(pullRequestAllowance(incident('new', 'web'), all, 'https://gitea.example/acme/other', limits, now).ok, true);
});

test('PRs per rolling hour are capped, and the wait says when the oldest leaves the hour', () => {
  const all = [incident('a', 'api', { state: 'merged', openedMinutesAgo: 50 }), incident('b', 'db', { state: 'closed', openedMinutesAgo: 10 })];
  const verdict = pullRequestAllowance(incident('new', 'web'), all, REPO, limits, now);
  assert.equal(verdict.ok, false);
  assert.equal(!verdict.ok && verdict.retryAfterMs, 10 * 60_000);
});

test('a workload that just got a PR waits out its cooldown; the incident itself never counts against itself', () => {
  const verdict = pullRequestAllowance(incident('new', 'web'), [incident('earlier', 'web', { state: 'merged', openedMinutesAgo: 5 })], REPO, limits, now);
  assert.equal(verdict.ok, false);
  assert.match(!verdict.ok ? verdict.reason : '', /cooldown 900 s/);
  const self = incident('same', 'web', { state: 'open', openedMinutesAgo: 1 });
  assert.equal(pullRequestAllowance(self, [self], REPO, limits, now).ok, true);
});

test('the PR body carries the diagnosis, the diff, bounds, redacted evidence and metadata the operator reads back', () => {
  const i = incident('web-oomkilled-1234abcd', 'web');
  i.status = {
    phase: 'Proposed',
    diagnosis: { rootCause: 'uses more than its 128Mi limit', confidence: 0.9, engine: 'rules', action: { type: 'raiseResource' }, witty: 'Big thoughts, small limit.' },
    evidence: { summary: 'OOMKilled in container app', logExcerpt: 'token=ghp_secret\nkilled' },
  };
  const action = { type: 'raiseResource', container: 'app', resource: 'memory', field: 'limits', value: '256Mi' } as const;
  const body = pullRequestBody({
    incident: i, action, file: 'apps/web/deployment.yaml', diff: '-            memory: 128Mi\n+            memory: 256Mi\n',
    bounds: ['at most 2x the 128Mi in Git, under 4Gi'], redact: (t) => t.replace(/ghp_\w+/g, '[REDACTED:github-pat]'), personality: 'witty',
  });
  assert.match(body, /> Big thoughts, small limit\./);
  assert.match(body, /```diff\n- {12}memory: 128Mi\n\+ {12}memory: 256Mi\n```/);
  assert.match(body, /<details><summary>Logs/);
  assert.ok(!body.includes('ghp_secret'));
  assert.deepEqual(readPullRequestMetadata(body), { incident: 'web-oomkilled-1234abcd', namespace: 'shop', fingerprint: i.spec.fingerprint, action: 'raiseResource' });
  assert.equal(pullRequestTitle(i, action), 'fix(deployment/web): raise a resource limit (OOMKilled)');
  assert.equal(fixBranch('0123456789abcdef'), 'gopherguard/0123456789abcdef');
  const plain = pullRequestBody({ incident: i, action, file: 'f', diff: '', bounds: [], redact: (t) => t, personality: 'plain' });
  assert.ok(!plain.includes('Big thoughts'));
});

test('a metric incident\'s PR shows the rule, the recent samples and the rollouts, under its custom class', () => {
  const i = incident('web-queuebacklog-1234abcd', 'web');
  i.spec = { ...i.spec, signalClass: 'Custom', customClass: 'QueueBacklog' };
  i.status = {
    phase: 'Proposed',
    diagnosis: { rootCause: 'the backlog grew since revision 2', confidence: 0.8, engine: 'rules', action: { type: 'setImageTag' } },
    evidence: {
      summary: 'QueueBacklog: rule queue at 250 > 100 for 60 s',
      metric: { rule: 'queue', source: 'prometheus', query: 'max(jobs_waiting)', threshold: 100, comparison: 'above', value: 250, points: [{ t: 1_764_150_000, v: 90 }, { t: 1_764_150_030, v: 250 }] },
      rollouts: [{ revision: '2', at: '2026-11-26T09:40:10.000Z', image: 'ghcr.io/g/joke:1.3.0' }],
    },
  };
  const action = { type: 'setImageTag', container: 'app', tag: '1.0.0' } as const;
  const body = pullRequestBody({ incident: i, action, file: 'f', diff: '', bounds: [], redact: (t) => t, personality: 'plain' });
  assert.match(body, /## QueueBacklog in Deployment `shop\/web`/);
  assert.match(body, /<details><summary>The metric<\/summary>\n\n```\nRule queue, threshold > 100, value 250\nquery: max\(jobs_waiting\)\n09:40:00 UTC {2}90\n09:40:30 UTC {2}250\nrollout: revision 2 at 2026-11-26T09:40:10.000Z \(ghcr\.io\/g\/joke:1\.3\.0\)\n```/);
  assert.equal(pullRequestTitle(i, action), 'fix(deployment/web): set the image tag (QueueBacklog)');
});
