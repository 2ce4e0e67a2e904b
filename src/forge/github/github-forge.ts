// The GitHub forge (github.com and Enterprise Server) on Octokit. Commits go through the
// git data API (tree → commit → ref) so no clone is needed and GitHub signs them.
import { absentOn404, conflictIf, errorFromStatus, ForgeError, isForgeError, networkError, scrubSecrets, serverMessage } from '../errors.ts';
import { commitFilesVia, type BranchHead, type CommitBackend, type FileVersion, type PlannedCommit } from '../commit-files.ts';
import { pollMergeability, type MergeabilityProbe } from '../mergeability.ts';
import { fitBody } from '../pr-body.ts';
import { retryAfterMs } from '../retry-policy.ts';
import type { ForgeRuntime } from '../runtime.ts';
import type {
  CommitFilesInput, CommitInfo, CommitResult, CreatePullRequestInput, CreatePullRequestResult, FileContent, FindPullRequestInput, Forge,
  MergeMethod, Mergeability, MergeabilityOptions, MergeResult, PullRequest, RepoRef, TreeEntry, UpdatePullRequestInput,
} from '../types.ts';
import { toPullRequest, toTreeEntry } from './map.ts';
import { createOctokit, failureOf, headerLookup, isOctokitRequestError, type GitHubOctokit } from './octokit.ts';

const MAX_BODY = 65_536;

export function createGitHubForge(apiBaseUrl: string, runtime: ForgeRuntime): Forge {
  const octokit: GitHubOctokit = createOctokit(apiBaseUrl, runtime);
  const secrets = [runtime.token];

  /** Runs one Octokit call; any failure comes out as a ForgeError. */
  async function call<T>(operation: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw toForgeError(operation, error);
    }
  }

  function toForgeError(operation: string, error: unknown): unknown {
    if (error instanceof ForgeError || !isOctokitRequestError(error)) return error;
    // The RequestError itself is not kept as cause: it carries the request (headers, body).
    if (!error.response) return networkError('github', operation, error.cause ?? new Error(scrubSecrets(error.message, secrets)), secrets);
    const failure = failureOf(error);
    const rateLimited = failure.kind === 'status' && failure.rateLimited;
    return errorFromStatus({
      forge: 'github',
      operation,
      status: error.status,
      said: scrubSecrets(serverMessage(error.response.data) || error.message, secrets),
      rateLimited,
      retryAfterMs: rateLimited ? retryAfterMs(headerLookup(error.response.headers), runtime.now()) : undefined,
      secrets,
    });
  }

  const on = (repo: RepoRef) => ({ owner: repo.owner, repo: repo.name });

  async function findPullRequest(repo: RepoRef, input: FindPullRequestInput): Promise<PullRequest | undefined> {
    const { data } = await call(`find pull request for branch ${input.branch} on ${repo.fullName}`, () =>
      octokit.rest.pulls.list({ ...on(repo), head: `${repo.owner}:${input.branch}`, state: input.state, per_page: 10 }),
    );
    // The head filter already matches; checking again guards against a proxy that ignores it.
    const pull = data.find((p) => p.head.ref === input.branch);
    return pull && toPullRequest(pull);
  }

  async function createPullRequest(repo: RepoRef, input: CreatePullRequestInput): Promise<CreatePullRequestResult> {
    const operation = `create pull request from ${input.branch} on ${repo.fullName}`;
    let pull: PullRequest;
    try {
      const { data } = await call(operation, () =>
        octokit.rest.pulls.create({ ...on(repo), head: input.branch, base: input.base, title: input.title, body: fitBody(input.body, MAX_BODY) }),
      );
      pull = toPullRequest(data);
    } catch (error) {
      // 422 "A pull request already exists for o:branch.": another replica, or an earlier
      // attempt whose answer was lost, got there first; that one is ours.
      if (isForgeError(error) && error.status === 422 && /pull request already exists/i.test(error.message)) {
        const existing = await findPullRequest(repo, { branch: input.branch, state: 'open' });
        if (existing) return { pullRequest: existing, created: false };
      }
      throw error;
    }
    if (input.labels?.length) {
      await addLabels(repo, pull.number, input.labels);
      pull = { ...pull, labels: [...new Set([...pull.labels, ...input.labels])] };
    }
    return { pullRequest: pull, created: true };
  }

  async function updatePullRequest(repo: RepoRef, number: number, input: UpdatePullRequestInput): Promise<PullRequest> {
    const { data } = await call(`update pull request #${number} on ${repo.fullName}`, () =>
      octokit.rest.pulls.update({
        ...on(repo), pull_number: number,
        ...(input.title === undefined ? {} : { title: input.title }),
        ...(input.body === undefined ? {} : { body: fitBody(input.body, MAX_BODY) }),
      }),
    );
    return toPullRequest(data);
  }

  async function closePullRequest(repo: RepoRef, number: number): Promise<void> {
    await call(`close pull request #${number} on ${repo.fullName}`, () => octokit.rest.pulls.update({ ...on(repo), pull_number: number, state: 'closed' }));
  }

  async function comment(repo: RepoRef, number: number, body: string): Promise<void> {
    await call(`comment on pull request #${number} on ${repo.fullName}`, () =>
      octokit.rest.issues.createComment({ ...on(repo), issue_number: number, body: fitBody(body, MAX_BODY) }),
    );
  }

  async function addLabels(repo: RepoRef, number: number, labels: string[]): Promise<void> {
    if (labels.length === 0) return;
    // GitHub creates labels that do not exist yet.
    await call(`label pull request #${number} on ${repo.fullName}`, () => octokit.rest.issues.addLabels({ ...on(repo), issue_number: number, labels }));
  }

  async function contents(repo: RepoRef, ref: string, path: string) {
    const { data } = await call(`read ${path || '/'} at ${ref} of ${repo.fullName}`, () => octokit.rest.repos.getContent({ ...on(repo), path, ref }));
    return data;
  }

  async function getFile(repo: RepoRef, ref: string, path: string): Promise<FileContent | undefined> {
    const data = await absentOn404(contents(repo, ref, path));
    if (!data || Array.isArray(data) || data.type !== 'file') return undefined;
    let base64 = 'content' in data ? data.content : '';
    // Files over 1 MB come without content ("encoding": "none"); the blob API has it.
    if ('encoding' in data && data.encoding === 'none') {
      const blob = await call(`read blob of ${path} in ${repo.fullName}`, () => octokit.rest.git.getBlob({ ...on(repo), file_sha: data.sha }));
      base64 = blob.data.content;
    }
    return { content: Buffer.from(base64, 'base64').toString('utf8'), sha: data.sha };
  }

  async function getCommit(repo: RepoRef, sha: string): Promise<CommitInfo | undefined> {
    const found = await absentOn404(call(`read commit ${sha} of ${repo.fullName}`, () => octokit.rest.repos.getCommit({ ...on(repo), ref: sha })));
    if (!found) return undefined;
    const { data } = found;
    return {
      sha: data.sha,
      parents: data.parents.map((p) => p.sha),
      files: (data.files ?? []).map((f) => ({
        path: f.filename,
        status: f.status === 'removed' ? 'deleted' : f.status === 'added' || f.status === 'modified' || f.status === 'renamed' ? f.status : 'other',
        ...(f.previous_filename ? { previousPath: f.previous_filename } : {}),
      })),
    };
  }

  async function listDirectory(repo: RepoRef, ref: string, dir: string): Promise<TreeEntry[]> {
    const data = await absentOn404(contents(repo, ref, dir));
    return Array.isArray(data) ? data.map(toTreeEntry) : [];
  }

  async function branchHead(repo: RepoRef, name: string): Promise<BranchHead | undefined> {
    const found = await absentOn404(call(`read branch ${name} of ${repo.fullName}`, () => octokit.rest.repos.getBranch({ ...on(repo), branch: name })));
    return found && { sha: found.data.commit.sha, treeSha: found.data.commit.commit.tree.sha };
  }

  async function getDefaultBranch(repo: RepoRef): Promise<string> {
    return (await call(`read repository ${repo.fullName}`, () => octokit.rest.repos.get(on(repo)))).data.default_branch;
  }

  async function getBranch(repo: RepoRef, name: string): Promise<string | undefined> {
    return (await branchHead(repo, name))?.sha;
  }

  function commitBackend(repo: RepoRef): CommitBackend {
    return {
      head: (branch) => branchHead(repo, branch),
      async fileVersion(sha, path): Promise<FileVersion | undefined> {
        const data = await absentOn404(contents(repo, sha, path));
        if (!data) return undefined;
        // A directory or symlink in the way: never equal, so the write reports the problem.
        return Array.isArray(data) || data.type !== 'file' ? { blobSha: '' } : { blobSha: data.sha };
      },
      async write(plan: PlannedCommit): Promise<string> {
        const where = `commit to branch ${plan.branch} of ${repo.fullName}`;
        const treeSha = plan.parent.treeSha ?? (await call(where, () => octokit.rest.git.getCommit({ ...on(repo), commit_sha: plan.parent.sha }))).data.tree.sha;
        const tree = await call(where, () =>
          octokit.rest.git.createTree({
            ...on(repo), base_tree: treeSha,
            tree: plan.files.map((file) => ({ path: file.path, mode: '100644' as const, type: 'blob' as const, content: file.content })),
          }),
        );
        const commit = await call(where, () => octokit.rest.git.createCommit({ ...on(repo), message: plan.message, tree: tree.data.sha, parents: [plan.parent.sha] }));
        // Note the two ref formats: create takes `refs/heads/x`, update takes `heads/x`.
        if (plan.createFrom !== undefined) {
          await call(where, () => octokit.rest.git.createRef({ ...on(repo), ref: `refs/heads/${plan.branch}`, sha: commit.data.sha })).catch((error: unknown) => {
            throw conflictIf(error, [422], /reference already exists/i);
          });
        } else {
          // force: false makes the update a compare-and-swap: it fails if the branch moved.
          await call(where, () => octokit.rest.git.updateRef({ ...on(repo), ref: `heads/${plan.branch}`, sha: commit.data.sha, force: false })).catch((error: unknown) => {
            throw conflictIf(error, [422], /not a fast.forward/i);
          });
        }
        return commit.data.sha;
      },
    };
  }

  function commitFiles(repo: RepoRef, input: CommitFilesInput): Promise<CommitResult> {
    return commitFilesVia('github', repo.fullName, commitBackend(repo), input);
  }

  async function mergePullRequest(repo: RepoRef, number: number, method: MergeMethod): Promise<MergeResult> {
    const { data } = await call(`merge pull request #${number} on ${repo.fullName}`, () =>
      octokit.rest.pulls.merge({ ...on(repo), pull_number: number, merge_method: method }),
    );
    return { sha: data.sha || undefined };
  }

  async function isMergeable(repo: RepoRef, number: number, options: MergeabilityOptions = {}): Promise<Mergeability> {
    const probe = async (): Promise<MergeabilityProbe> => {
      const { data } = await call(`check pull request #${number} on ${repo.fullName}`, () => octokit.rest.pulls.get({ ...on(repo), pull_number: number }));
      return githubMergeability(data);
    };
    return pollMergeability(probe, {
      timeoutMs: options.timeoutMs ?? runtime.mergeability.timeoutMs, intervalMs: runtime.mergeability.intervalMs, sleep: runtime.sleep, now: runtime.now,
    });
  }

  return {
    kind: 'github', maxBodyLength: MAX_BODY,
    findPullRequest, createPullRequest, updatePullRequest, closePullRequest, comment, addLabels,
    getFile, listDirectory, getBranch, getDefaultBranch, getCommit, commitFiles, mergePullRequest, isMergeable,
  };
}

/** `mergeable` is null while GitHub computes it; `mergeable_state` says what blocks a merge. */
export function githubMergeability(pull: { state: string; merged?: boolean; mergeable?: boolean | null; mergeable_state?: string; draft?: boolean }): MergeabilityProbe {
  if (pull.merged) return { pending: false, state: 'not-mergeable', reason: 'already merged' };
  if (pull.state !== 'open') return { pending: false, state: 'not-mergeable', reason: 'closed' };
  if (pull.draft) return { pending: false, state: 'not-mergeable', reason: 'a draft' };
  if (pull.mergeable === null || pull.mergeable === undefined || pull.mergeable_state === 'unknown') {
    return { pending: true, reason: 'GitHub is still computing mergeability' };
  }
  if (!pull.mergeable || pull.mergeable_state === 'dirty') return { pending: false, state: 'not-mergeable', reason: 'conflicts with the base branch' };
  if (pull.mergeable_state === 'blocked') return { pending: false, state: 'not-mergeable', reason: 'blocked by branch protection (required reviews or checks)' };
  return { pending: false, state: 'mergeable', reason: pull.mergeable_state ? `mergeable (${pull.mergeable_state})` : 'mergeable' };
}
