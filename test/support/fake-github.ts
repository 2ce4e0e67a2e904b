// A strict loopback GitHub REST API for the forge tests: the wire format of the endpoints
// the GitHub forge uses (pulls, issues labels and comments, contents, branches, git data),
// with bodies shaped like GitHub's own answers, including its error bodies.
import { createHash } from 'node:crypto';
import { startScriptedServer, type Expectation, type FakeReply, type ScriptedServer } from './fake-forge-http.ts';

export interface FakeGitHub extends ScriptedServer {
  owner: string;
  repo: string;
  /** Shorthand for an expectation on `/repos/{owner}/{repo}{suffix}`. */
  on(method: string, suffix: string, reply: FakeReply, extra?: Pick<Expectation, 'query' | 'body'>): Expectation;
}

/** Octokit sends `authorization: token <t>`; any other header is an unexpected call. */
export async function startFakeGitHub(options: { token: string; owner?: string; repo?: string }): Promise<FakeGitHub> {
  const owner = options.owner ?? 'o';
  const repo = options.repo ?? 'r';
  const server = await startScriptedServer({ name: 'fake-github', pathMode: 'decoded', auth: { header: 'authorization', value: `token ${options.token}` } });
  return {
    ...server,
    // ScriptedServer's members are closures, so spreading keeps them working.
    owner,
    repo,
    on: (method, suffix, reply, extra = {}) => ({ method, path: `/repos/${owner}/${repo}${suffix}`, reply, ...extra }),
  };
}

const DOCS = 'https://docs.github.com/rest';
const WEB = 'https://github.com';

export function gitBlobShaOf(content: string): string {
  const bytes = Buffer.from(content);
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

export const ok = (body: unknown, headers?: Record<string, string>): FakeReply => ({ status: 200, body, ...(headers ? { headers } : {}) });
export const created = (body: unknown): FakeReply => ({ status: 201, body });
export const reset = (): FakeReply => ({ reset: true });

export interface PullShape {
  number: number;
  branch: string;
  base?: string;
  state?: 'open' | 'closed';
  merged?: boolean;
  title?: string;
  body?: string | null;
  sha?: string;
  labels?: string[];
  mergeable?: boolean | null;
  mergeableState?: string;
}

export function pull(shape: PullShape, owner = 'o', repo = 'r'): Record<string, unknown> {
  const full = `${owner}/${repo}`;
  const merged = shape.merged ?? false;
  const repoObject = { id: 1296269, name: repo, full_name: full, private: false, html_url: `${WEB}/${full}` };
  return {
    url: `https://api.github.com/repos/${full}/pulls/${shape.number}`,
    id: 1000 + shape.number,
    node_id: `PR_${shape.number}`,
    html_url: `${WEB}/${full}/pull/${shape.number}`,
    number: shape.number,
    state: shape.state ?? (merged ? 'closed' : 'open'),
    locked: false,
    title: shape.title ?? 'Raise memory limit of web',
    user: { login: 'gopherguard-bot', id: 42, type: 'Bot' },
    body: shape.body === undefined ? 'GopherGuard found an OOM kill.' : shape.body,
    labels: (shape.labels ?? []).map((name, i) => ({ id: 200 + i, name, color: 'ededed', default: false })),
    created_at: '2026-01-02T03:04:05Z',
    updated_at: '2026-01-02T03:04:05Z',
    closed_at: shape.state === 'closed' || merged ? '2026-01-03T03:04:05Z' : null,
    merged_at: merged ? '2026-01-03T03:04:05Z' : null,
    merge_commit_sha: merged ? 'm'.repeat(40) : null,
    draft: false,
    head: { label: `${owner}:${shape.branch}`, ref: shape.branch, sha: shape.sha ?? 'a'.repeat(40), repo: repoObject },
    base: { label: `${owner}:${shape.base ?? 'main'}`, ref: shape.base ?? 'main', sha: 'b'.repeat(40), repo: repoObject },
    ...(shape.mergeable === undefined ? {} : { mergeable: shape.mergeable, mergeable_state: shape.mergeableState ?? (shape.mergeable ? 'clean' : 'unknown') }),
    merged,
  };
}

export function branch(name: string, sha: string, treeSha: string): Record<string, unknown> {
  return {
    name,
    commit: {
      sha,
      node_id: `C_${sha.slice(0, 8)}`,
      commit: { message: 'previous commit', tree: { sha: treeSha, url: `https://api.github.com/repos/o/r/git/trees/${treeSha}` } },
      parents: [],
    },
    protected: false,
  };
}

/** GitHub wraps base64 at 60 characters with newlines. */
export function file(path: string, content: string): Record<string, unknown> {
  const base64 = Buffer.from(content).toString('base64').replace(/(.{60})/g, '$1\n');
  return { type: 'file', encoding: 'base64', size: Buffer.byteLength(content), name: path.split('/').pop(), path, content: base64, sha: gitBlobShaOf(content) };
}

export function dirEntry(path: string, type: 'file' | 'dir'): Record<string, unknown> {
  return { type, size: 0, name: path.split('/').pop(), path, sha: gitBlobShaOf(path) };
}

export function gitObject(sha: string): Record<string, unknown> {
  return { sha, url: `https://api.github.com/repos/o/r/git/x/${sha}` };
}

export function ref(name: string, sha: string): Record<string, unknown> {
  return { ref: name, node_id: 'REF_1', object: { type: 'commit', sha } };
}

// Error bodies, as GitHub writes them.
export const errors = {
  validation: (message: string, resource = 'PullRequest'): FakeReply => ({
    status: 422,
    body: { message: 'Validation Failed', errors: [{ resource, code: 'custom', message }], documentation_url: `${DOCS}/pulls/pulls#create-a-pull-request`, status: '422' },
  }),
  referenceExists: (): FakeReply => ({ status: 422, body: { message: 'Reference already exists', documentation_url: `${DOCS}/git/refs#create-a-reference`, status: '422' } }),
  notFastForward: (): FakeReply => ({ status: 422, body: { message: 'Update is not a fast forward', documentation_url: `${DOCS}/git/refs#update-a-reference`, status: '422' } }),
  notFound: (): FakeReply => ({ status: 404, body: { message: 'Not Found', documentation_url: DOCS, status: '404' } }),
  branchNotFound: (): FakeReply => ({ status: 404, body: { message: 'Branch not found', documentation_url: `${DOCS}/branches/branches#get-a-branch`, status: '404' } }),
  badCredentials: (): FakeReply => ({ status: 401, body: { message: 'Bad credentials', documentation_url: DOCS, status: '401' } }),
  secondaryLimit: (status: 403 | 429, retryAfter: string | undefined): FakeReply => ({
    status,
    headers: retryAfter === undefined ? {} : { 'retry-after': retryAfter },
    body: {
      message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0000:1111:2222.',
      documentation_url: `${DOCS}/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits`,
      status: String(status),
    },
  }),
  primaryLimit: (resetEpochSeconds: number): FakeReply => ({
    status: 403,
    headers: { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '0', 'x-ratelimit-used': '5000', 'x-ratelimit-reset': String(resetEpochSeconds), 'x-ratelimit-resource': 'core' },
    body: { message: 'API rate limit exceeded for user ID 42.', documentation_url: `${DOCS}/overview/rate-limits-for-the-rest-api`, status: '403' },
  }),
  server: (status: 500 | 502 | 503): FakeReply =>
    status === 502 ? { status, body: '<html><body><h1>502 Bad Gateway</h1></body></html>', headers: { 'content-type': 'text/html' } } : { status, body: { message: 'Server Error' } },
  status: (status: number, body: unknown, headers?: Record<string, string>): FakeReply => ({ status, body, ...(headers ? { headers } : {}) }),
};
