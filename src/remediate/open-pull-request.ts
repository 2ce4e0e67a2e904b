// The pull request of one incident, made idempotent step by step so that an operator
// killed anywhere (after the commit, after the PR) and restarted ends with exactly one PR.
// There is no separate branch step to be killed after: the forges create the branch and its
// commit in one API call (commitFiles with createFrom). The branch is named by the
// fingerprint, a commit of content the branch already has writes nothing, and an open PR
// on the branch is found before one is created ("already exists" answers count as found).
// A PR a person closed is never reopened for the same fix.
import type { Forge, PullRequest, RepoRef } from '../forge/index.ts';
import { PULL_REQUEST_LABELS, fixBranch } from './pull-request-body.ts';

export type PullRequestStep = 'commit' | 'pull-request';

export interface OpenPullRequestInput {
  forge: Forge;
  repo: RepoRef;
  fingerprint: string;
  base: string;
  files: Array<{ path: string; content: string }>;
  title: string;
  body: string;
  message: string;
  /** Fault injection for tests: called after each step, may throw to simulate a crash. */
  afterStep?: (step: PullRequestStep) => void;
}

export type PullRequestOutcome =
  | { kind: 'open'; pullRequest: PullRequest; created: boolean }
  | { kind: 'merged'; pullRequest: PullRequest }
  | { kind: 'rejected'; pullRequest: PullRequest };

export async function openPullRequest(input: OpenPullRequestInput): Promise<PullRequestOutcome> {
  const { forge, repo } = input;
  const branch = fixBranch(input.fingerprint);
  const earlier = await forge.findPullRequest(repo, { branch, state: 'all' });
  if (earlier?.state === 'merged') return { kind: 'merged', pullRequest: earlier };
  if (earlier?.state === 'closed') return { kind: 'rejected', pullRequest: earlier };
  await forge.commitFiles(repo, { branch, base: input.base, message: input.message, files: input.files });
  input.afterStep?.('commit');
  if (earlier) {
    // Still open: keep its description current (the evidence may have grown).
    if (earlier.body !== input.body || earlier.title !== input.title) await forge.updatePullRequest(repo, earlier.number, { title: input.title, body: input.body });
    return { kind: 'open', pullRequest: earlier, created: false };
  }
  const { pullRequest, created } = await forge.createPullRequest(repo, { branch, base: input.base, title: input.title, body: input.body, labels: PULL_REQUEST_LABELS });
  input.afterStep?.('pull-request');
  return { kind: 'open', pullRequest, created };
}
