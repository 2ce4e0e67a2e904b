// The branch a pull request goes to: the one the GitOps engine follows. A pull request
// needs a branch, so a source pinned to a tag, a commit or a semver range gets a clear
// refusal instead of a 404, and Argo CD's `HEAD` (its default) is the repository's
// default branch.
import type { Forge, RepoRef } from '../../forge/types.ts';
import { SourceError, type GitSource } from './git-source.ts';

export async function baseBranch(forge: Forge, repo: RepoRef, source: Pick<GitSource, 'ref' | 'refKind'>): Promise<string> {
  if (source.refKind === 'tag' || source.refKind === 'commit' || source.refKind === 'semver') {
    throw new SourceError(`the source follows ${source.refKind} ${source.ref} of ${repo.fullName}, not a branch: a pull request needs a branch to merge into (point the source at the branch the ${source.refKind} is cut from)`);
  }
  const branch = source.ref === 'HEAD' || source.ref === '' ? await forge.getDefaultBranch(repo) : source.ref.replace(/^refs\/heads\//, '');
  if (await forge.getBranch(repo, branch) === undefined) {
    throw new SourceError(`${repo.fullName} has no branch ${branch}${source.refKind === 'revision' ? ' (the Application\'s targetRevision may be a tag or a commit: a pull request needs a branch)' : ''}`);
  }
  return branch;
}
