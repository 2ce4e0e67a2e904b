// The AegisWatch's own word on where its workloads live, for workloads that no GitOps
// engine tracks (or that one applies from a path it cannot see).
import type { AegisWatch } from '../../api/aegis-watch.ts';
import { cleanDir, type GitSource } from './git-source.ts';

export function watchGitSource(watch: Pick<AegisWatch, 'metadata' | 'spec'>): GitSource | undefined {
  const git = watch.spec.source.git;
  if (!git) return undefined;
  return {
    repoURL: git.repo,
    ref: git.branch,
    refKind: 'branch',
    path: cleanDir(git.path),
    // A plain directory with its subdirectories, unless a Chart.yaml or kustomization says otherwise.
    recurse: true,
    origin: `AegisWatch ${watch.metadata.namespace}/${watch.metadata.name} spec.source.git`,
  };
}
