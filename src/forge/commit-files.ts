// The one commit algorithm, shared by the forges, which differ only in how they write.
// Idempotent and race-tolerant without a lock: read the branch (or the base), skip files
// that already hold the wanted blob, write with the forge's own compare-and-swap (GitHub:
// create-ref / fast-forward update-ref; GitLab: start_sha and last_commit_id; Gitea: file
// shas and new_branch), and on a conflict read again, a bounded number of times.
import { ForgeError, FORGE_LABELS, isForgeError } from './errors.ts';
import { gitBlobSha } from './git-blob.ts';
import type { CommitFilesInput, CommitResult, FileChange, ForgeKind } from './types.ts';

export interface BranchHead {
  sha: string;
  /** The root tree of that commit, when the forge gives it for free (GitHub). */
  treeSha?: string;
}

/** What is at a path now: its blob id, and (GitLab) the last commit that touched it. */
export interface FileVersion {
  blobSha: string;
  lastCommitId?: string;
}

export interface PlannedFile extends FileChange {
  /** undefined: the file does not exist at `parent` and is created. */
  existing: FileVersion | undefined;
}

export interface PlannedCommit {
  branch: string;
  /** Set when the branch does not exist yet and is created from `parent`. */
  createFrom: string | undefined;
  message: string;
  parent: BranchHead;
  /** Only the files whose content differs from `parent`. */
  files: PlannedFile[];
}

export interface CommitBackend {
  head(branch: string): Promise<BranchHead | undefined>;
  fileVersion(commitSha: string, path: string): Promise<FileVersion | undefined>;
  /** The new head sha. Throws a `conflict` ForgeError when the branch or a file moved. */
  write(plan: PlannedCommit): Promise<string>;
}

export const COMMIT_ATTEMPTS = 3;

export async function commitFilesVia(forge: ForgeKind, repoName: string, backend: CommitBackend, input: CommitFilesInput): Promise<CommitResult> {
  const operation = `commit to branch ${input.branch} of ${repoName}`;
  validateFiles(forge, operation, input.files);
  for (let attempt = 1; ; attempt++) {
    const head = await backend.head(input.branch);
    const parent = head ?? (await backend.head(input.base));
    if (!parent) {
      throw new ForgeError({
        forge, code: 'not-found', status: 404, retryable: false, operation,
        message: `${FORGE_LABELS[forge]}: ${operation} failed: neither the branch nor its base ${input.base} exists; check spec.source.git.branch`,
      });
    }
    const changed: PlannedFile[] = [];
    // One file at a time: gentler on rate limits, and a fixed order for the strict fakes.
    for (const file of input.files) {
      const existing = await backend.fileVersion(parent.sha, file.path);
      if (existing?.blobSha !== gitBlobSha(file.content)) changed.push({ ...file, existing });
    }
    if (changed.length === 0) return { outcome: 'unchanged', sha: parent.sha };
    try {
      const sha = await backend.write({ branch: input.branch, createFrom: head ? undefined : input.base, message: input.message, parent, files: changed });
      return { outcome: head ? 'committed' : 'created-branch', sha };
    } catch (error) {
      if (isForgeError(error, 'conflict') && attempt < COMMIT_ATTEMPTS) continue;
      throw error;
    }
  }
}

function validateFiles(forge: ForgeKind, operation: string, files: FileChange[]): void {
  const problem = filesProblem(files);
  if (problem) {
    throw new ForgeError({ forge, code: 'invalid', status: 0, retryable: false, operation, message: `${FORGE_LABELS[forge]}: ${operation} not attempted: ${problem}` });
  }
}

export function filesProblem(files: FileChange[]): string | undefined {
  if (files.length === 0) return 'no files given';
  const seen = new Set<string>();
  for (const { path } of files) {
    if (path === '' || path.startsWith('/') || path.endsWith('/') || path.split('/').some((s) => s === '' || s === '.' || s === '..' || s === '.git')) {
      return `${JSON.stringify(path)} is not a plain relative file path`;
    }
    if (seen.has(path)) return `${path} is given twice`;
    seen.add(path);
  }
  return undefined;
}
