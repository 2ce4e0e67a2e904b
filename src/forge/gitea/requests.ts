// Gitea (and Forgejo) API v1 calls as data. Branch names and file paths go into the URL
// segment by segment: Gitea's routes take the rest of the path (`/branches/*`,
// `/contents/*`), so the slashes in `gopherguard/x` stay slashes.
import type { HttpRequest } from '../http-client.ts';
import type { MergeMethod, RepoRef } from '../types.ts';

export const PAGE_SIZE = 50;

const repoPath = (repo: RepoRef) => `/repos/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}`;
export const segments = (path: string) => path.split('/').filter(Boolean).map(encodeURIComponent).join('/');

/** Gitea cannot filter pull requests by head branch; the caller filters each page. */
export function listPulls(repo: RepoRef, state: 'open' | 'closed' | 'all', page: number): HttpRequest {
  return {
    method: 'GET',
    path: `${repoPath(repo)}/pulls`,
    query: { state, sort: 'recentupdate', limit: PAGE_SIZE, page },
    operation: `list ${state} pull requests on ${repo.fullName}`,
  };
}

export function getPull(repo: RepoRef, number: number): HttpRequest {
  return { method: 'GET', path: `${repoPath(repo)}/pulls/${number}`, operation: `read pull request #${number} on ${repo.fullName}` };
}

/** Labels are added afterwards by name: creation takes label ids only. */
export function createPull(repo: RepoRef, input: { branch: string; base: string; title: string; body: string }): HttpRequest {
  return {
    method: 'POST',
    path: `${repoPath(repo)}/pulls`,
    body: { head: input.branch, base: input.base, title: input.title, body: input.body },
    operation: `create pull request from ${input.branch} on ${repo.fullName}`,
  };
}

export function editPull(repo: RepoRef, number: number, change: { title?: string; body?: string; state?: 'closed' }, what: string): HttpRequest {
  return { method: 'PATCH', path: `${repoPath(repo)}/pulls/${number}`, body: change, operation: `${what} pull request #${number} on ${repo.fullName}` };
}

export function createComment(repo: RepoRef, number: number, body: string): HttpRequest {
  return { method: 'POST', path: `${repoPath(repo)}/issues/${number}/comments`, body: { body }, operation: `comment on pull request #${number} on ${repo.fullName}` };
}

export function listLabels(repo: RepoRef, page: number): HttpRequest {
  return { method: 'GET', path: `${repoPath(repo)}/labels`, query: { limit: PAGE_SIZE, page }, operation: `list labels of ${repo.fullName}` };
}

export function createLabel(repo: RepoRef, name: string, color: string): HttpRequest {
  return { method: 'POST', path: `${repoPath(repo)}/labels`, body: { name, color }, operation: `create label ${name} on ${repo.fullName}` };
}

export function addLabels(repo: RepoRef, number: number, labelIds: number[]): HttpRequest {
  return { method: 'POST', path: `${repoPath(repo)}/issues/${number}/labels`, body: { labels: labelIds }, operation: `label pull request #${number} on ${repo.fullName}` };
}

export function getContents(repo: RepoRef, ref: string, path: string): HttpRequest {
  const rest = segments(path);
  return { method: 'GET', path: `${repoPath(repo)}/contents${rest ? `/${rest}` : ''}`, query: { ref }, operation: `read ${path || '/'} at ${ref} of ${repo.fullName}` };
}

export function getCommit(repo: RepoRef, sha: string): HttpRequest {
  return { method: 'GET', path: `${repoPath(repo)}/git/commits/${encodeURIComponent(sha)}`, query: { files: true, stat: false, verification: false }, operation: `read commit ${sha} of ${repo.fullName}` };
}

export function getBlob(repo: RepoRef, sha: string): HttpRequest {
  return { method: 'GET', path: `${repoPath(repo)}/git/blobs/${encodeURIComponent(sha)}`, operation: `read blob ${sha} of ${repo.fullName}` };
}

export function getRepository(repo: RepoRef): HttpRequest {
  return { method: 'GET', path: repoPath(repo), operation: `read repository ${repo.fullName}` };
}

export function getBranch(repo: RepoRef, name: string): HttpRequest {
  return { method: 'GET', path: `${repoPath(repo)}/branches/${segments(name)}`, operation: `read branch ${name} of ${repo.fullName}` };
}

export interface ChangeFile {
  path: string;
  content: string;
  /** The blob sha of the file being replaced; undefined creates it. */
  sha: string | undefined;
}

/**
 * ChangeFiles (Gitea ≥ 1.20, go-gitea/gitea#24887): one commit for several files. With
 * `newBranch` the commit starts a new branch from `branch`, and Gitea refuses (422) if that
 * branch exists meanwhile; the per-file sha refuses files that changed since we read them.
 */
export function changeFiles(repo: RepoRef, input: { branch: string; newBranch: string | undefined; message: string; files: ChangeFile[] }): HttpRequest {
  return {
    method: 'POST',
    path: `${repoPath(repo)}/contents`,
    body: {
      branch: input.branch,
      ...(input.newBranch === undefined ? {} : { new_branch: input.newBranch }),
      message: input.message,
      files: input.files.map((file) => ({
        operation: file.sha === undefined ? 'create' : 'update',
        path: file.path,
        content: Buffer.from(file.content, 'utf8').toString('base64'),
        ...(file.sha === undefined ? {} : { sha: file.sha }),
      })),
    },
    operation: `commit to branch ${input.newBranch ?? input.branch} of ${repo.fullName}`,
  };
}

export function mergePull(repo: RepoRef, number: number, method: MergeMethod, headSha: string | undefined): HttpRequest {
  return {
    method: 'POST',
    path: `${repoPath(repo)}/pulls/${number}/merge`,
    // head_commit_id: refuse to merge if someone pushed after we decided to merge.
    body: { Do: method, ...(headSha ? { head_commit_id: headSha } : {}) },
    operation: `merge pull request #${number} on ${repo.fullName}`,
  };
}
