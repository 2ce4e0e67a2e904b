// The GitLab forge (gitlab.com and self-managed) on its REST API v4, through our small
// fetch client. Merge requests are "pull requests" here; their number is the `iid`.
import { absentOn404, conflictIf, ForgeError, isForgeError } from '../errors.ts';
import { commitFilesVia, type CommitBackend, type FileVersion, type PlannedCommit } from '../commit-files.ts';
import { createHttpClient } from '../http-client.ts';
import { pollMergeability, type MergeabilityProbe } from '../mergeability.ts';
import { fitBody } from '../pr-body.ts';
import type { ForgeRuntime } from '../runtime.ts';
import type {
  CommitFilesInput, CommitInfo, CommitResult, CreatePullRequestInput, CreatePullRequestResult, FileContent, FindPullRequestInput, Forge,
  MergeMethod, Mergeability, MergeabilityOptions, MergeResult, PullRequest, RepoRef, TreeEntry, UpdatePullRequestInput,
} from '../types.ts';
import * as api from './requests.ts';
import { Branch, Commit, CommitDiff, MergeRequest, MergeRequests, Project, RepositoryFile, TreeItems } from './schema.ts';

// GitLab's description limit is 1,048,576 characters.
const MAX_BODY = 1_000_000;
const MAX_TREE_PAGES = 20;

export function createGitLabForge(apiBaseUrl: string, runtime: ForgeRuntime): Forge {
  const http = createHttpClient({
    forge: 'gitlab', baseUrl: apiBaseUrl,
    // Bearer works for personal, project and group access tokens and OAuth tokens alike.
    headers: { authorization: `Bearer ${runtime.token}` },
    secrets: [runtime.token], retry: runtime.retry, timeoutMs: runtime.timeoutMs, userAgent: runtime.userAgent,
    ...(runtime.fetch ? { fetch: runtime.fetch } : {}), sleep: runtime.sleep, now: runtime.now, log: runtime.log,
  });

  async function findPullRequest(repo: RepoRef, input: FindPullRequestInput): Promise<PullRequest | undefined> {
    const list = await http.json(api.listMergeRequests(repo, input.branch, input.state), MergeRequests);
    const found = list.find((mr) => mr.source_branch === input.branch && sameProject(mr) && wanted(input.state, mr.state));
    return found && toPullRequest(found);
  }

  async function createPullRequest(repo: RepoRef, input: CreatePullRequestInput): Promise<CreatePullRequestResult> {
    try {
      const mr = await http.json(api.createMergeRequest(repo, { ...input, body: fitBody(input.body, MAX_BODY) }), MergeRequest);
      return { pullRequest: toPullRequest(mr), created: true };
    } catch (error) {
      // 409 {"message":["Another open merge request already exists for this source branch: !7"]}
      if (!isForgeError(error) || error.status !== 409) throw error;
      const existing = await findPullRequest(repo, { branch: input.branch, state: 'open' });
      if (existing) return { pullRequest: existing, created: false };
      const iid = /!(\d+)/.exec(error.message)?.[1];
      if (iid) return { pullRequest: toPullRequest(await http.json(api.getMergeRequest(repo, Number(iid)), MergeRequest)), created: false };
      throw error;
    }
  }

  async function updatePullRequest(repo: RepoRef, number: number, input: UpdatePullRequestInput): Promise<PullRequest> {
    const change: Record<string, string> = {};
    if (input.title !== undefined) change.title = input.title;
    if (input.body !== undefined) change.description = fitBody(input.body, MAX_BODY);
    return toPullRequest(await http.json(api.updateMergeRequest(repo, number, change, 'update'), MergeRequest));
  }

  async function closePullRequest(repo: RepoRef, number: number): Promise<void> {
    await http.send(api.updateMergeRequest(repo, number, { state_event: 'close' }, 'close'));
  }

  async function comment(repo: RepoRef, number: number, body: string): Promise<void> {
    await http.send(api.createNote(repo, number, fitBody(body, MAX_BODY)));
  }

  async function addLabels(repo: RepoRef, number: number, labels: string[]): Promise<void> {
    // GitLab creates project labels that do not exist yet.
    if (labels.length) await http.send(api.updateMergeRequest(repo, number, { add_labels: labels.join(',') }, 'label'));
  }

  async function readFile(repo: RepoRef, ref: string, path: string) {
    return absentOn404(http.json(api.getFile(repo, ref, path), RepositoryFile));
  }

  async function getCommit(repo: RepoRef, sha: string): Promise<CommitInfo | undefined> {
    const commit = await absentOn404(http.json(api.getCommit(repo, sha), Commit));
    if (!commit) return undefined;
    const diff = await http.json(api.getCommitDiff(repo, sha), CommitDiff);
    return {
      sha: commit.id,
      parents: commit.parent_ids ?? [],
      files: diff.map((d) => ({
        path: d.new_path,
        status: d.new_file ? 'added' : d.deleted_file ? 'deleted' : d.renamed_file ? 'renamed' : 'modified',
        ...(d.renamed_file ? { previousPath: d.old_path } : {}),
      })),
    };
  }

  async function getFile(repo: RepoRef, ref: string, path: string): Promise<FileContent | undefined> {
    const file = await readFile(repo, ref, path);
    if (!file) return undefined;
    const content = file.encoding === 'base64' ? Buffer.from(file.content, 'base64').toString('utf8') : file.content;
    return { content, sha: file.blob_id };
  }

  async function listDirectory(repo: RepoRef, ref: string, dir: string): Promise<TreeEntry[]> {
    const entries: TreeEntry[] = [];
    for (let page = 1; page <= MAX_TREE_PAGES; page++) {
      let response;
      try {
        response = await http.send(api.listTree(repo, ref, dir, page));
      } catch (error) {
        // "404 Tree Not Found": no such directory (or ref).
        if (isForgeError(error, 'not-found')) return entries;
        throw error;
      }
      const items = TreeItems.safeParse(response.body);
      if (!items.success) return entries;
      for (const item of items.data) entries.push({ name: item.name, path: item.path, type: item.type === 'blob' ? 'file' : item.type === 'tree' ? 'dir' : 'other' });
      if (!response.headers.get('x-next-page')) break;
    }
    return entries;
  }

  async function getDefaultBranch(repo: RepoRef): Promise<string> {
    return (await http.json(api.getProject(repo), Project)).default_branch;
  }

  async function getBranch(repo: RepoRef, name: string): Promise<string | undefined> {
    return (await absentOn404(http.json(api.getBranch(repo, name), Branch)))?.commit.id;
  }

  function commitBackend(repo: RepoRef): CommitBackend {
    return {
      head: async (branch) => {
        const sha = await getBranch(repo, branch);
        return sha === undefined ? undefined : { sha };
      },
      async fileVersion(sha, path): Promise<FileVersion | undefined> {
        const file = await readFile(repo, sha, path);
        return file && { blobSha: file.blob_id, ...(file.last_commit_id ? { lastCommitId: file.last_commit_id } : {}) };
      },
      async write(plan: PlannedCommit): Promise<string> {
        const request = api.createCommit(repo, {
          branch: plan.branch,
          message: plan.message,
          startSha: plan.createFrom === undefined ? undefined : plan.parent.sha,
          actions: plan.files.map((file) => ({ path: file.path, content: file.content, exists: file.existing !== undefined, lastCommitId: file.existing?.lastCommitId })),
        });
        try {
          return (await http.json(request, Commit)).id;
        } catch (error) {
          // GitLab answers a lost race with 400 and words: the branch appeared, a file
          // appeared or vanished, or a file changed since we read it (last_commit_id).
          throw conflictIf(error, [400, 409], /already exists|doesn't exist|does not exist|changed since you started editing/i);
        }
      },
    };
  }

  function commitFiles(repo: RepoRef, input: CommitFilesInput): Promise<CommitResult> {
    return commitFilesVia('gitlab', repo.fullName, commitBackend(repo), input);
  }

  async function mergePullRequest(repo: RepoRef, number: number, method: MergeMethod): Promise<MergeResult> {
    if (method === 'rebase') {
      throw new ForgeError({
        forge: 'gitlab', code: 'unsupported', status: 0, retryable: false, operation: `merge merge request !${number} on ${repo.fullName}`,
        message: 'GitLab: rebase merging is a project setting (Settings → Merge requests → Fast-forward merge), not a per-request choice; ask for merge or squash',
      });
    }
    const mr = await http.json(api.mergeMergeRequest(repo, number, method), MergeRequest);
    return { sha: mr.merge_commit_sha ?? mr.squash_commit_sha ?? undefined };
  }

  async function isMergeable(repo: RepoRef, number: number, options: MergeabilityOptions = {}): Promise<Mergeability> {
    const probe = async (): Promise<MergeabilityProbe> => gitlabMergeability(await http.json(api.getMergeRequest(repo, number), MergeRequest));
    return pollMergeability(probe, {
      timeoutMs: options.timeoutMs ?? runtime.mergeability.timeoutMs, intervalMs: runtime.mergeability.intervalMs, sleep: runtime.sleep, now: runtime.now,
    });
  }

  return {
    kind: 'gitlab', maxBodyLength: MAX_BODY,
    findPullRequest, createPullRequest, updatePullRequest, closePullRequest, comment, addLabels,
    getFile, listDirectory, getBranch, getDefaultBranch, getCommit, commitFiles, mergePullRequest, isMergeable,
  };
}

/** A merge request from a fork has the same source branch name but is not ours. */
function sameProject(mr: MergeRequest): boolean {
  return mr.source_project_id === undefined || mr.target_project_id === undefined || mr.source_project_id === mr.target_project_id;
}

function wanted(state: FindPullRequestInput['state'], mrState: string): boolean {
  if (state === 'all') return true;
  const open = mrState === 'opened' || mrState === 'locked';
  return state === 'open' ? open : !open;
}

export function toPullRequest(mr: MergeRequest): PullRequest {
  return {
    number: mr.iid,
    url: mr.web_url,
    state: mr.state === 'merged' ? 'merged' : mr.state === 'opened' || mr.state === 'locked' ? 'open' : 'closed',
    title: mr.title,
    body: mr.description ?? '',
    branch: mr.source_branch,
    headSha: mr.sha ?? '',
    base: mr.target_branch,
    labels: mr.labels,
    ...(mr.state === 'merged' && (mr.squash_commit_sha ?? mr.merge_commit_sha) ? { mergeCommitSha: mr.squash_commit_sha ?? mr.merge_commit_sha ?? undefined } : {}),
  };
}

const GITLAB_PENDING = new Set(['unchecked', 'checking', 'preparing', 'approvals_syncing', 'ci_still_running', 'cannot_be_merged_recheck']);

/** `detailed_merge_status` (GitLab ≥ 15.6), else the older `merge_status`. */
export function gitlabMergeability(mr: MergeRequest): MergeabilityProbe {
  if (mr.state === 'merged') return { pending: false, state: 'not-mergeable', reason: 'already merged' };
  if (mr.state !== 'opened') return { pending: false, state: 'not-mergeable', reason: mr.state };
  const status = mr.detailed_merge_status ?? mr.merge_status ?? 'unchecked';
  if (GITLAB_PENDING.has(status)) return { pending: true, reason: `GitLab reports ${status.replaceAll('_', ' ')}` };
  if (status === 'mergeable' || status === 'can_be_merged') return { pending: false, state: 'mergeable', reason: 'mergeable' };
  return { pending: false, state: 'not-mergeable', reason: status === 'cannot_be_merged' ? 'conflicts with the target branch' : status.replaceAll('_', ' ') };
}
