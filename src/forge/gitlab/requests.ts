// GitLab API v4 calls as data. The project is addressed by its URL-encoded path
// (`group%2Fsub%2Fapp`), and so are file paths and branch names in a path segment.
import type { HttpRequest } from '../http-client.ts';
import type { FileChange, MergeMethod, RepoRef } from '../types.ts';

const project = (repo: RepoRef) => `/projects/${encodeURIComponent(repo.fullName)}`;

/** GitLab has no "closed or merged" filter; `all` is filtered afterwards. */
export function listMergeRequests(repo: RepoRef, branch: string, state: 'open' | 'closed' | 'all'): HttpRequest {
  return {
    method: 'GET',
    path: `${project(repo)}/merge_requests`,
    query: { source_branch: branch, state: state === 'open' ? 'opened' : 'all', order_by: 'created_at', sort: 'desc', per_page: 20 },
    operation: `find merge request for branch ${branch} on ${repo.fullName}`,
  };
}

export function getMergeRequest(repo: RepoRef, iid: number): HttpRequest {
  return { method: 'GET', path: `${project(repo)}/merge_requests/${iid}`, operation: `read merge request !${iid} on ${repo.fullName}` };
}

export function createMergeRequest(repo: RepoRef, input: { branch: string; base: string; title: string; body: string; labels?: string[] }): HttpRequest {
  return {
    method: 'POST',
    path: `${project(repo)}/merge_requests`,
    body: {
      source_branch: input.branch,
      target_branch: input.base,
      title: input.title,
      description: input.body,
      ...(input.labels?.length ? { labels: input.labels.join(',') } : {}),
    },
    operation: `create merge request from ${input.branch} on ${repo.fullName}`,
  };
}

export function updateMergeRequest(repo: RepoRef, iid: number, change: Record<string, string>, what: string): HttpRequest {
  return { method: 'PUT', path: `${project(repo)}/merge_requests/${iid}`, body: change, operation: `${what} merge request !${iid} on ${repo.fullName}` };
}

export function createNote(repo: RepoRef, iid: number, body: string): HttpRequest {
  return { method: 'POST', path: `${project(repo)}/merge_requests/${iid}/notes`, body: { body }, operation: `comment on merge request !${iid} on ${repo.fullName}` };
}

export function getFile(repo: RepoRef, ref: string, path: string): HttpRequest {
  return {
    method: 'GET',
    path: `${project(repo)}/repository/files/${encodeURIComponent(path)}`,
    query: { ref },
    operation: `read ${path} at ${ref} of ${repo.fullName}`,
  };
}

export function listTree(repo: RepoRef, ref: string, dir: string, page: number): HttpRequest {
  return {
    method: 'GET',
    path: `${project(repo)}/repository/tree`,
    query: { ...(dir ? { path: dir } : {}), ref, per_page: 100, page },
    operation: `list ${dir || '/'} at ${ref} of ${repo.fullName}`,
  };
}

export function getCommit(repo: RepoRef, sha: string): HttpRequest {
  return { method: 'GET', path: `${project(repo)}/repository/commits/${encodeURIComponent(sha)}`, operation: `read commit ${sha} of ${repo.fullName}` };
}

/** The first page of a commit's diff (100 files): a revert of more is refused anyway. */
export function getCommitDiff(repo: RepoRef, sha: string): HttpRequest {
  return { method: 'GET', path: `${project(repo)}/repository/commits/${encodeURIComponent(sha)}/diff`, query: { per_page: 100 }, operation: `read the diff of commit ${sha} of ${repo.fullName}` };
}

export function getProject(repo: RepoRef): HttpRequest {
  return { method: 'GET', path: project(repo), operation: `read project ${repo.fullName}` };
}

export function getBranch(repo: RepoRef, name: string): HttpRequest {
  return { method: 'GET', path: `${project(repo)}/repository/branches/${encodeURIComponent(name)}`, operation: `read branch ${name} of ${repo.fullName}` };
}

export interface CommitAction extends FileChange {
  exists: boolean;
  lastCommitId: string | undefined;
}

/**
 * One atomic multi-file commit. With `startSha` it creates the branch from exactly the
 * commit we compared against (GitLab refuses if the branch exists meanwhile); without, it
 * commits on the branch, and `last_commit_id` refuses files changed since we read them.
 */
export function createCommit(repo: RepoRef, input: { branch: string; message: string; startSha: string | undefined; actions: CommitAction[] }): HttpRequest {
  return {
    method: 'POST',
    path: `${project(repo)}/repository/commits`,
    body: {
      branch: input.branch,
      commit_message: input.message,
      ...(input.startSha === undefined ? {} : { start_sha: input.startSha }),
      actions: input.actions.map((action) => ({
        action: action.exists ? 'update' : 'create',
        file_path: action.path,
        content: action.content,
        encoding: 'text',
        ...(action.exists && action.lastCommitId ? { last_commit_id: action.lastCommitId } : {}),
      })),
    },
    operation: `commit to branch ${input.branch} of ${repo.fullName}`,
  };
}

/** GitLab's fast-forward or rebase behaviour is a project setting, so only merge and squash are asked for. */
export function mergeMergeRequest(repo: RepoRef, iid: number, method: Exclude<MergeMethod, 'rebase'>): HttpRequest {
  return {
    method: 'PUT',
    path: `${project(repo)}/merge_requests/${iid}/merge`,
    body: method === 'squash' ? { squash: true } : {},
    operation: `merge merge request !${iid} on ${repo.fullName}`,
  };
}
