// GitHub's wire objects → ours. Structural types list only what we read, so Octokit's
// generated response types are assignable to them.
import type { PullRequest, TreeEntry } from '../types.ts';

export interface GitHubPull {
  number: number;
  html_url: string;
  state: string;
  title: string;
  body?: string | null;
  merged_at?: string | null;
  merged?: boolean;
  merge_commit_sha?: string | null;
  head: { ref: string; sha: string };
  base: { ref: string };
  labels?: Array<{ name?: string } | string>;
}

export function toPullRequest(pull: GitHubPull): PullRequest {
  const merged = Boolean(pull.merged_at) || pull.merged === true;
  return {
    number: pull.number,
    url: pull.html_url,
    state: merged ? 'merged' : pull.state === 'open' ? 'open' : 'closed',
    title: pull.title,
    body: pull.body ?? '',
    branch: pull.head.ref,
    headSha: pull.head.sha,
    base: pull.base.ref,
    labels: (pull.labels ?? []).map((label) => (typeof label === 'string' ? label : (label.name ?? ''))).filter(Boolean),
    ...(merged && pull.merge_commit_sha ? { mergeCommitSha: pull.merge_commit_sha } : {}),
  };
}

export interface GitHubContentEntry {
  name: string;
  path: string;
  type: string;
}

export function toTreeEntry(entry: GitHubContentEntry): TreeEntry {
  return { name: entry.name, path: entry.path, type: entry.type === 'file' ? 'file' : entry.type === 'dir' ? 'dir' : 'other' };
}
