// A revert made through the forge's API, without a clone: the files a commit changed get
// back the content they had in its parent. It is refused, with the reason, whenever it
// would not be exactly `git revert` of that commit on the branch as it is now.
import { parseAllDocuments } from 'yaml';
import type { Forge, RepoRef } from '../../forge/index.ts';
import { unifiedDiff } from '../edit/unified-diff.ts';

/** A revert touches manifests only, and few of them: anything bigger is a person's call. */
export const MAX_REVERT_FILES = 10;
const MANIFEST = /\.(ya?ml|json)$/;

export interface RevertEdit {
  path: string;
  /** On the branch now (= what the commit wrote). */
  before: string;
  /** In the commit's parent. */
  after: string;
  diff: string;
}

export type RevertPlan =
  | { ok: true; commit: string; parent: string; edits: RevertEdit[]; summary: string }
  | { ok: false; reason: string };

export async function planRevert(forge: Forge, repo: RepoRef, commitSha: string, branch: string): Promise<RevertPlan> {
  const short = commitSha.slice(0, 7);
  const commit = await forge.getCommit(repo, commitSha);
  if (!commit) return refuse(`commit ${short} is not in ${repo.fullName}`);
  if (commit.parents.length !== 1) return refuse(`commit ${short} has ${commit.parents.length} parents; only an ordinary commit is reverted automatically`);
  const parent = commit.parents[0] ?? '';
  if (commit.files.length === 0) return refuse(`commit ${short} changes no file`);
  if (commit.files.length > MAX_REVERT_FILES) return refuse(`commit ${short} changes ${commit.files.length} files; at most ${MAX_REVERT_FILES} are reverted automatically`);
  const other = commit.files.find((f) => f.status !== 'modified' || !MANIFEST.test(f.path));
  if (other) return refuse(`commit ${short} ${other.status === 'modified' ? 'changes' : other.status === 'other' ? 'changes the type of' : `has ${other.status}`} ${other.path}; only edits of YAML or JSON manifests are reverted automatically`);

  const edits: RevertEdit[] = [];
  for (const file of commit.files) {
    const [wrote, previous, now] = await Promise.all([
      forge.getFile(repo, commit.sha, file.path),
      forge.getFile(repo, parent, file.path),
      forge.getFile(repo, branch, file.path),
    ]);
    if (!wrote || !previous) return refuse(`${file.path} cannot be read at ${short} and its parent`);
    if (!now) return refuse(`${file.path} is no longer on ${branch}`);
    // Anything committed to the file since would be undone too: that is not this revert.
    if (now.content !== wrote.content) return refuse(`${file.path} changed on ${branch} after ${short}; revert it by hand`);
    const broken = unparsable(previous.content);
    if (broken) return refuse(`${file.path} before ${short} does not parse: ${broken}`);
    edits.push({ path: file.path, before: now.content, after: previous.content, diff: unifiedDiff(file.path, now.content, previous.content) });
  }
  return { ok: true, commit: commit.sha, parent, edits, summary: `revert commit ${short}: ${edits.map((e) => e.path).join(', ')} as in ${parent.slice(0, 7)}` };
}

function refuse(reason: string): RevertPlan {
  return { ok: false, reason };
}

function unparsable(text: string): string | undefined {
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) return doc.errors[0]?.message;
  }
  return undefined;
}
