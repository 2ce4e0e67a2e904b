// The forge abstraction: Renovate's `Platform` verbs (getBranchPr, createPr, updatePr,
// ensureComment, commitFiles, mergePr), as explicit instances instead of a module singleton,
// so one operator can talk to several forges and tokens at once. Every verb is safe to
// repeat: leader election does not fence, so two replicas may run the same step.

export type ForgeKind = 'github' | 'gitlab' | 'gitea';

/** Where a repository lives and how its API is reached (see repo-url.ts). */
export interface RepoRef {
  kind: ForgeKind;
  /** e.g. `https://github.com/o/r`, without `.git`. */
  webUrl: string;
  /** The REST root: `https://api.github.com`, `https://ghe.example/api/v3`, `…/api/v4`, `…/api/v1`. */
  apiBaseUrl: string;
  /** The namespace: a user or organisation; on GitLab possibly nested (`group/sub`). */
  owner: string;
  name: string;
  /** `owner/name`: GitLab's project path, the others' full name. */
  fullName: string;
}

/** `merged` is a closed request whose changes were merged. */
export type PullRequestState = 'open' | 'closed' | 'merged';

export interface PullRequest {
  number: number;
  url: string;
  state: PullRequestState;
  title: string;
  body: string;
  /** The head (source) branch. */
  branch: string;
  /** The head commit; empty when the forge has not computed it yet. */
  headSha: string;
  /** The base (target) branch. */
  base: string;
  labels: string[];
  /** Once merged: the commit the merge (or squash) made on the base branch. */
  mergeCommitSha?: string;
}

export interface FindPullRequestInput {
  branch: string;
  /** `closed` includes merged ones. The newest match wins. */
  state: 'open' | 'closed' | 'all';
}

export interface CreatePullRequestInput {
  branch: string;
  base: string;
  title: string;
  body: string;
  labels?: string[];
}

export interface CreatePullRequestResult {
  pullRequest: PullRequest;
  /** False when the forge answered "already exists" and the open one was returned. */
  created: boolean;
}

export interface UpdatePullRequestInput {
  title?: string;
  body?: string;
}

export interface FileContent {
  content: string;
  /** The git blob id. */
  sha: string;
}

export interface TreeEntry {
  name: string;
  /** From the repository root, without a leading slash. */
  path: string;
  /** `other`: a symlink or a submodule. */
  type: 'file' | 'dir' | 'other';
}

/** How a commit changed one file, against its first parent. */
export interface CommitFile {
  path: string;
  status: 'added' | 'modified' | 'deleted' | 'renamed' | 'other';
  /** The path before a rename. */
  previousPath?: string;
}

export interface CommitInfo {
  sha: string;
  /** Parent commit shas; one for an ordinary (or squash-merged) commit. */
  parents: string[];
  files: CommitFile[];
}

export interface FileChange {
  /** Relative to the repository root; no leading slash, no `..`. */
  path: string;
  content: string;
}

export interface CommitFilesInput {
  branch: string;
  /** The branch to start from when `branch` does not exist yet. */
  base: string;
  message: string;
  files: FileChange[];
}

/**
 * `unchanged`: the branch (or, when it does not exist, the base) already holds exactly
 * these contents, so nothing was written and no empty commit was made; a branch that did
 * not exist is then not created either.
 */
export interface CommitResult {
  outcome: 'created-branch' | 'committed' | 'unchanged';
  /** The head commit of the branch afterwards (of the base, when unchanged and absent). */
  sha: string;
}

export type MergeMethod = 'merge' | 'squash' | 'rebase';

export interface MergeResult {
  /** The merge (or squash) commit, when the forge says which. */
  sha: string | undefined;
}

/**
 * `unknown`: the forge was still computing when the bounded wait ended (Gitea and GitLab
 * check mergeability asynchronously; GitHub too, for a moment after a push).
 */
export interface Mergeability {
  state: 'mergeable' | 'not-mergeable' | 'unknown';
  reason: string;
}

export interface MergeabilityOptions {
  /** How long to poll while the forge is still computing; 0 asks once. */
  timeoutMs?: number;
}

export interface Forge {
  readonly kind: ForgeKind;
  /** Longer bodies are cut (with a note) on create and update. */
  readonly maxBodyLength: number;

  findPullRequest(repo: RepoRef, input: FindPullRequestInput): Promise<PullRequest | undefined>;
  createPullRequest(repo: RepoRef, input: CreatePullRequestInput): Promise<CreatePullRequestResult>;
  updatePullRequest(repo: RepoRef, number: number, input: UpdatePullRequestInput): Promise<PullRequest>;
  closePullRequest(repo: RepoRef, number: number): Promise<void>;
  comment(repo: RepoRef, number: number, body: string): Promise<void>;
  addLabels(repo: RepoRef, number: number, labels: string[]): Promise<void>;

  /** undefined when the path (or the ref) does not exist, or is not a regular file. */
  getFile(repo: RepoRef, ref: string, path: string): Promise<FileContent | undefined>;
  /** `''` is the root. Empty when the directory does not exist (git has no empty directories). */
  listDirectory(repo: RepoRef, ref: string, dir: string): Promise<TreeEntry[]>;
  /** The head commit sha, or undefined when there is no such branch. */
  getBranch(repo: RepoRef, name: string): Promise<string | undefined>;
  /** The repository's default branch (what Argo CD's `HEAD` means). */
  getDefaultBranch(repo: RepoRef): Promise<string>;
  /** A commit's parents and changed files; undefined when there is no such commit. */
  getCommit(repo: RepoRef, sha: string): Promise<CommitInfo | undefined>;
  /** Commits through the forge's API (no clone); see CommitResult for idempotency. */
  commitFiles(repo: RepoRef, input: CommitFilesInput): Promise<CommitResult>;

  mergePullRequest(repo: RepoRef, number: number, method: MergeMethod): Promise<MergeResult>;
  isMergeable(repo: RepoRef, number: number, options?: MergeabilityOptions): Promise<Mergeability>;
}

/** Same shape as the operator's Log, declared here so the forge layer does not import it. */
export type ForgeLog = (level: 'debug' | 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
