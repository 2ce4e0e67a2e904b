// The Gitea forge, also for Forgejo (same API under /api/v1), through our small fetch
// client. GitHub-shaped but not compatible: merging is a POST with `Do`, labels on
// creation are ids, and mergeability is computed in the background.
import { absentOn404, conflictIf, isForgeError } from '../errors.ts';
import { commitFilesVia, type CommitBackend, type FileVersion, type PlannedCommit } from '../commit-files.ts';
import { createHttpClient, type HttpClient } from '../http-client.ts';
import { pollMergeability, type MergeabilityProbe } from '../mergeability.ts';
import { fitBody } from '../pr-body.ts';
import type { ForgeRuntime } from '../runtime.ts';
import type {
  CommitFilesInput, CommitInfo, CommitResult, CreatePullRequestInput, CreatePullRequestResult, FileContent, FindPullRequestInput, Forge,
  MergeMethod, Mergeability, MergeabilityOptions, MergeResult, PullRequest, RepoRef, TreeEntry, UpdatePullRequestInput,
} from '../types.ts';
import * as api from './requests.ts';
import { Blob, Branch, Commit, Repository, Contents, FilesResponse, Labels, PullRequest as GiteaPull, PullRequests, type ContentEntry } from './schema.ts';

// Gitea stores bodies as TEXT; keep to GitHub's figure so one body fits everywhere.
const MAX_BODY = 65_536;
const MAX_PULL_PAGES = 10;
const MAX_LABEL_PAGES = 10;
const NEW_LABEL_COLOR = '#0e8a16';

export function createGiteaForge(apiBaseUrl: string, runtime: ForgeRuntime): Forge {
  const http: HttpClient = createHttpClient({
    forge: 'gitea', baseUrl: apiBaseUrl,
    headers: { authorization: `token ${runtime.token}` },
    secrets: [runtime.token], retry: runtime.retry, timeoutMs: runtime.timeoutMs, userAgent: runtime.userAgent,
    ...(runtime.fetch ? { fetch: runtime.fetch } : {}), sleep: runtime.sleep, now: runtime.now, log: runtime.log,
  });

  async function findPullRequest(repo: RepoRef, input: FindPullRequestInput): Promise<PullRequest | undefined> {
    // Newest first (recentupdate), a bounded number of pages: our branch is usually recent.
    for (let page = 1; page <= MAX_PULL_PAGES; page++) {
      const pulls = await http.json(api.listPulls(repo, input.state, page), PullRequests);
      const found = pulls.find((pull) => pull.head.ref === input.branch && sameRepo(pull));
      if (found) return toPullRequest(found);
      if (pulls.length < api.PAGE_SIZE) return undefined;
    }
    return undefined;
  }

  async function createPullRequest(repo: RepoRef, input: CreatePullRequestInput): Promise<CreatePullRequestResult> {
    let pull: PullRequest;
    try {
      pull = toPullRequest(await http.json(api.createPull(repo, { ...input, body: fitBody(input.body, MAX_BODY) }), GiteaPull));
    } catch (error) {
      // 409 "pull request already exists for these targets [...]"
      if (isForgeError(error) && error.status === 409) {
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
    const change = {
      ...(input.title === undefined ? {} : { title: input.title }),
      ...(input.body === undefined ? {} : { body: fitBody(input.body, MAX_BODY) }),
    };
    return toPullRequest(await http.json(api.editPull(repo, number, change, 'update'), GiteaPull));
  }

  async function closePullRequest(repo: RepoRef, number: number): Promise<void> {
    await http.send(api.editPull(repo, number, { state: 'closed' }, 'close'));
  }

  async function comment(repo: RepoRef, number: number, body: string): Promise<void> {
    await http.send(api.createComment(repo, number, fitBody(body, MAX_BODY)));
  }

  /** Gitea ignores unknown label names, where GitHub and GitLab create them: create the missing ones. */
  async function labelIds(repo: RepoRef, names: string[]): Promise<number[]> {
    const known = new Map<string, number>();
    for (let page = 1; page <= MAX_LABEL_PAGES; page++) {
      const labels = await http.json(api.listLabels(repo, page), Labels);
      for (const label of labels) known.set(label.name, label.id);
      if (labels.length < api.PAGE_SIZE) break;
    }
    const ids: number[] = [];
    for (const name of new Set(names)) {
      const id = known.get(name) ?? (await http.json(api.createLabel(repo, name, NEW_LABEL_COLOR), Labels.element)).id;
      ids.push(id);
    }
    return ids;
  }

  async function addLabels(repo: RepoRef, number: number, labels: string[]): Promise<void> {
    if (labels.length === 0) return;
    await http.send(api.addLabels(repo, number, await labelIds(repo, labels)));
  }

  async function contents(repo: RepoRef, ref: string, path: string) {
    return absentOn404(http.json(api.getContents(repo, ref, path), Contents));
  }

  async function getFile(repo: RepoRef, ref: string, path: string): Promise<FileContent | undefined> {
    const entry = await contents(repo, ref, path);
    if (!entry || Array.isArray(entry) || entry.type !== 'file') return undefined;
    return { content: await fileText(repo, entry), sha: entry.sha };
  }

  /** Large files come without content; the blob API has it. */
  async function fileText(repo: RepoRef, entry: ContentEntry): Promise<string> {
    if (typeof entry.content === 'string' && entry.encoding === 'base64') return Buffer.from(entry.content, 'base64').toString('utf8');
    const blob = await http.json(api.getBlob(repo, entry.sha), Blob);
    return blob.encoding === 'base64' ? Buffer.from(blob.content, 'base64').toString('utf8') : blob.content;
  }

  async function listDirectory(repo: RepoRef, ref: string, dir: string): Promise<TreeEntry[]> {
    const entries = await contents(repo, ref, dir);
    if (!Array.isArray(entries)) return [];
    return entries.map((e) => ({ name: e.name, path: e.path, type: e.type === 'file' ? 'file' : e.type === 'dir' ? 'dir' : 'other' }));
  }

  async function getCommit(repo: RepoRef, sha: string): Promise<CommitInfo | undefined> {
    const commit = await absentOn404(http.json(api.getCommit(repo, sha), Commit));
    if (!commit) return undefined;
    return {
      sha: commit.sha,
      parents: (commit.parents ?? []).map((p) => p.sha),
      files: (commit.files ?? []).map((f) => ({ path: f.filename, status: fileStatus(f.status) })),
    };
  }

  async function getDefaultBranch(repo: RepoRef): Promise<string> {
    return (await http.json(api.getRepository(repo), Repository)).default_branch;
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
        const entry = await contents(repo, sha, path);
        if (!entry) return undefined;
        return Array.isArray(entry) || entry.type !== 'file' ? { blobSha: '' } : { blobSha: entry.sha };
      },
      async write(plan: PlannedCommit): Promise<string> {
        const request = api.changeFiles(repo, {
          branch: plan.createFrom ?? plan.branch,
          newBranch: plan.createFrom === undefined ? undefined : plan.branch,
          message: plan.message,
          files: plan.files.map((file) => ({ path: file.path, content: file.content, sha: file.existing?.blobSha })),
        });
        try {
          return (await http.json(request, FilesResponse)).commit.sha;
        } catch (error) {
          // 422 "branch already exists", "sha does not match", "repository file already exists".
          throw conflictIf(error, [404, 409, 422], /already exists|does not match|does not exist/i);
        }
      },
    };
  }

  function commitFiles(repo: RepoRef, input: CommitFilesInput): Promise<CommitResult> {
    return commitFilesVia('gitea', repo.fullName, commitBackend(repo), input);
  }

  async function mergePullRequest(repo: RepoRef, number: number, method: MergeMethod): Promise<MergeResult> {
    const before = await http.json(api.getPull(repo, number), GiteaPull);
    // 405 "Please try again later": Gitea is still checking mergeability (it re-checks after
    // any push, and even after it has once said mergeable). That passes in a moment, so wait
    // for it here, within the mergeability timeout; after that it is a retryable conflict.
    const deadline = runtime.now() + runtime.mergeability.timeoutMs;
    for (;;) {
      const refused = await http.send(api.mergePull(repo, number, method, before.head.sha || undefined)).then(() => undefined, (error: unknown) => conflictIf(error, [405], /try again later/i));
      if (refused === undefined) break;
      if (!isForgeError(refused, 'conflict') || runtime.now() >= deadline) throw refused;
      await runtime.sleep(runtime.mergeability.intervalMs);
    }
    // The merge answers with an empty 200; the pull request then names the merge commit.
    const after = await http.json(api.getPull(repo, number), GiteaPull);
    return { sha: after.merge_commit_sha ?? undefined };
  }

  async function isMergeable(repo: RepoRef, number: number, options: MergeabilityOptions = {}): Promise<Mergeability> {
    const probe = async (): Promise<MergeabilityProbe> => giteaMergeability(await http.json(api.getPull(repo, number), GiteaPull));
    return pollMergeability(probe, {
      timeoutMs: options.timeoutMs ?? runtime.mergeability.timeoutMs, intervalMs: runtime.mergeability.intervalMs, sleep: runtime.sleep, now: runtime.now,
    });
  }

  return {
    kind: 'gitea', maxBodyLength: MAX_BODY,
    findPullRequest, createPullRequest, updatePullRequest, closePullRequest, comment, addLabels,
    getFile, listDirectory, getBranch, getDefaultBranch, getCommit, commitFiles, mergePullRequest, isMergeable,
  };
}

function sameRepo(pull: GiteaPull): boolean {
  return pull.head.repo_id === undefined || pull.base.repo_id === undefined || pull.head.repo_id === pull.base.repo_id;
}

export function toPullRequest(pull: GiteaPull): PullRequest {
  return {
    number: pull.number,
    url: pull.html_url,
    state: pull.merged ? 'merged' : pull.state === 'open' ? 'open' : 'closed',
    title: pull.title,
    body: pull.body ?? '',
    branch: pull.head.ref,
    headSha: pull.head.sha,
    base: pull.base.ref,
    labels: (pull.labels ?? []).map((label) => label.name),
    ...(pull.merged && pull.merge_commit_sha ? { mergeCommitSha: pull.merge_commit_sha } : {}),
  };
}

/**
 * Gitea's `mergeable` is false both while its background check runs and when there is a
 * conflict, so false is "pending" until the wait ends (then `unknown`).
 */
export function giteaMergeability(pull: GiteaPull): MergeabilityProbe {
  if (pull.merged) return { pending: false, state: 'not-mergeable', reason: 'already merged' };
  if (pull.state !== 'open') return { pending: false, state: 'not-mergeable', reason: 'closed' };
  if (pull.draft) return { pending: false, state: 'not-mergeable', reason: 'a draft (work in progress)' };
  if (pull.mergeable) return { pending: false, state: 'mergeable', reason: 'mergeable' };
  return { pending: true, reason: 'Gitea reports it not mergeable (a conflict, or its check has not finished)' };
}

/** Gitea says added, modified, removed or renamed, as git does. */
function fileStatus(status: string): CommitInfo['files'][number]['status'] {
  if (status === 'added' || status === 'modified' || status === 'renamed') return status;
  return status === 'removed' || status === 'deleted' ? 'deleted' : 'other';
}
