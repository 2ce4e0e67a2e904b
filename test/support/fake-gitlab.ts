// A strict loopback GitLab REST API (v4) for the forge tests: merge requests, notes,
// repository files, tree, branches and commits, with GitLab's bodies and error shapes.
// Paths are compared raw, because GitLab needs the project path and file paths
// percent-encoded (`group%2Fsub%2Fapp`); a client that sends slashes is wrong.
import { createHash } from 'node:crypto';
import { startScriptedServer, type Expectation, type FakeReply, type ScriptedServer } from './fake-forge-http.ts';

export interface FakeGitLab extends ScriptedServer {
  /** `http://127.0.0.1:PORT/api/v4` */
  apiBaseUrl: string;
  /** The raw API path of the project: `/api/v4/projects/group%2Fsub%2Fapp`. */
  project: string;
  /** Shorthand for an expectation on `{project}{suffix}` (suffix already encoded). */
  on(method: string, suffix: string, reply: FakeReply, extra?: Pick<Expectation, 'query' | 'body'>): Expectation;
}

/** The forge sends `authorization: Bearer <t>`. */
export async function startFakeGitLab(options: { token: string; projectPath?: string }): Promise<FakeGitLab> {
  const projectPath = options.projectPath ?? 'group/sub/app';
  const server = await startScriptedServer({ name: 'fake-gitlab', pathMode: 'raw', auth: { header: 'authorization', value: `Bearer ${options.token}` } });
  const project = `/api/v4/projects/${encodeURIComponent(projectPath)}`;
  return {
    ...server,
    apiBaseUrl: `${server.url}/api/v4`,
    project,
    on: (method, suffix, reply, extra = {}) => ({ method, path: `${project}${suffix}`, reply, ...extra }),
  };
}

const WEB = 'https://gitlab.example';

export function gitBlobShaOf(content: string): string {
  const bytes = Buffer.from(content);
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

export const ok = (body: unknown, headers?: Record<string, string>): FakeReply => ({ status: 200, body, ...(headers ? { headers } : {}) });
export const created = (body: unknown): FakeReply => ({ status: 201, body });
export const reset = (): FakeReply => ({ reset: true });

export interface MergeRequestShape {
  iid: number;
  branch: string;
  base?: string;
  state?: 'opened' | 'closed' | 'merged' | 'locked';
  title?: string;
  description?: string | null;
  sha?: string | null;
  labels?: string[];
  detailedMergeStatus?: string;
  fromFork?: boolean;
}

export function mergeRequest(shape: MergeRequestShape, projectPath = 'group/sub/app'): Record<string, unknown> {
  const state = shape.state ?? 'opened';
  return {
    id: 90000 + shape.iid,
    iid: shape.iid,
    project_id: 77,
    title: shape.title ?? 'Raise memory limit of web',
    description: shape.description === undefined ? 'GopherGuard found an OOM kill.' : shape.description,
    state,
    created_at: '2026-01-02T03:04:05.000Z',
    updated_at: '2026-01-02T03:04:05.000Z',
    merged_at: state === 'merged' ? '2026-01-03T03:04:05.000Z' : null,
    closed_at: state === 'closed' ? '2026-01-03T03:04:05.000Z' : null,
    target_branch: shape.base ?? 'main',
    source_branch: shape.branch,
    author: { id: 5, username: 'gopherguard-bot', name: 'GopherGuard' },
    source_project_id: shape.fromFork ? 78 : 77,
    target_project_id: 77,
    labels: shape.labels ?? [],
    draft: false,
    work_in_progress: false,
    merge_when_pipeline_succeeds: false,
    merge_status: shape.detailedMergeStatus === 'mergeable' ? 'can_be_merged' : 'checking',
    detailed_merge_status: shape.detailedMergeStatus ?? 'mergeable',
    sha: shape.sha === undefined ? 'a'.repeat(40) : shape.sha,
    merge_commit_sha: state === 'merged' ? 'm'.repeat(40) : null,
    squash_commit_sha: null,
    squash: false,
    has_conflicts: false,
    references: { short: `!${shape.iid}`, full: `${projectPath}!${shape.iid}` },
    web_url: `${WEB}/${projectPath}/-/merge_requests/${shape.iid}`,
  };
}

export function branch(name: string, sha: string): Record<string, unknown> {
  return {
    name,
    merged: false,
    protected: false,
    default: name === 'main',
    developers_can_push: false,
    developers_can_merge: false,
    can_push: true,
    web_url: `${WEB}/group/sub/app/-/tree/${name}`,
    commit: { id: sha, short_id: sha.slice(0, 8), title: 'previous commit', message: 'previous commit', parent_ids: [] },
  };
}

export function file(path: string, content: string, ref: string, lastCommitId = 'c'.repeat(40)): Record<string, unknown> {
  return {
    file_name: path.split('/').pop(),
    file_path: path,
    size: Buffer.byteLength(content),
    encoding: 'base64',
    content_sha256: createHash('sha256').update(content).digest('hex'),
    ref,
    blob_id: gitBlobShaOf(content),
    commit_id: ref,
    last_commit_id: lastCommitId,
    execute_filemode: false,
    content: Buffer.from(content).toString('base64'),
  };
}

export function treeItem(path: string, type: 'blob' | 'tree'): Record<string, unknown> {
  return { id: gitBlobShaOf(path), name: path.split('/').pop(), type, path, mode: type === 'tree' ? '040000' : '100644' };
}

export function commit(sha: string, parent: string): Record<string, unknown> {
  return { id: sha, short_id: sha.slice(0, 8), title: 'fix', message: 'fix', parent_ids: [parent], web_url: `${WEB}/group/sub/app/-/commit/${sha}` };
}

// Error bodies, as GitLab writes them.
export const errors = {
  mergeRequestExists: (iid: number): FakeReply => ({ status: 409, body: { message: [`Another open merge request already exists for this source branch: !${iid}`] } }),
  branchNotFound: (): FakeReply => ({ status: 404, body: { message: '404 Branch Not Found' } }),
  fileNotFound: (): FakeReply => ({ status: 404, body: { message: '404 File Not Found' } }),
  treeNotFound: (): FakeReply => ({ status: 404, body: { message: '404 Tree Not Found' } }),
  branchExists: (name: string): FakeReply => ({ status: 400, body: { message: `A branch called '${name}' already exists. Switch to that branch in order to make changes` } }),
  fileChanged: (): FakeReply => ({ status: 400, body: { message: 'You are attempting to update a file that has changed since you started editing it.' } }),
  unauthorized: (): FakeReply => ({ status: 401, body: { message: '401 Unauthorized' } }),
  tooManyRequests: (retryAfter: string, resetEpochSeconds: number): FakeReply => ({
    status: 429,
    headers: { 'retry-after': retryAfter, 'ratelimit-limit': '600', 'ratelimit-observed': '601', 'ratelimit-remaining': '0', 'ratelimit-reset': String(resetEpochSeconds), 'ratelimit-name': 'throttle_authenticated_api', 'content-type': 'text/plain' },
    body: 'Retry later\n',
  }),
  server: (status: 500 | 502 | 503): FakeReply =>
    status === 500 ? { status, body: { message: '500 Internal Server Error' } } : { status, body: '<html><body>GitLab is not responding</body></html>', headers: { 'content-type': 'text/html' } },
  status: (status: number, body: unknown, headers?: Record<string, string>): FakeReply => ({ status, body, ...(headers ? { headers } : {}) }),
};
