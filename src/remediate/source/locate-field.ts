// Where in Git each change of a plan is made: by the kind of source (told by the engine,
// or by the files: a Chart.yaml, a kustomization file, or plain manifests).
import type { ChangePlan } from '../edit/field-change.ts';
import type { Workload } from '../edit/workload.ts';
import { SourceError, type GitSource, type SourceKind } from './git-source.ts';
import { locateInHelm } from './locate-helm.ts';
import { locateInManifests } from './locate-manifest.ts';
import { notLocated, type Location } from './location.ts';
import { kustomizationFile, type RepoTree } from './repo-tree.ts';

export async function locateField(tree: RepoTree, source: GitSource, workload: Workload, plan: ChangePlan): Promise<Location> {
  try {
    const kind = source.kind ?? (await detectKind(tree, source.path));
    if (kind === 'helm') return await locateInHelm(tree, source, workload, plan);
    return await locateInManifests(tree, source, kind, workload, plan);
  } catch (error) {
    // A repository that cannot be read as its engine reads it: say so, do not guess.
    if (error instanceof SourceError) return notLocated(error.message);
    throw error;
  }
}

export async function detectKind(tree: RepoTree, dir: string): Promise<SourceKind> {
  if ((await tree.read(dir ? `${dir}/Chart.yaml` : 'Chart.yaml')) !== undefined) return 'helm';
  if (await kustomizationFile(tree, dir)) return 'kustomize';
  return 'plain';
}
