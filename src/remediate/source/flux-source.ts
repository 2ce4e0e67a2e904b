// A workload applied by Flux carries the labels of its Kustomization; the Kustomization
// names a directory (spec.path) in a GitRepository (spec.sourceRef).
import type { Workload } from '../edit/workload.ts';
import { describeWorkload } from '../edit/workload.ts';
import { cleanDir, SourceError, type GitSource } from './git-source.ts';
import type { FluxGitRepositoryObject, FluxKustomizationObject } from './gitops-objects.ts';

export const FLUX_NAME = 'kustomize.toolkit.fluxcd.io/name';
export const FLUX_NAMESPACE = 'kustomize.toolkit.fluxcd.io/namespace';
export const FLUX_HELM_NAME = 'helm.toolkit.fluxcd.io/name';

/** The Kustomization a workload's labels name, or undefined without the labels. */
export function fluxReference(workload: Workload): { name: string; namespace: string } | undefined {
  const labels = workload.metadata.labels ?? {};
  const name = labels[FLUX_NAME];
  const namespace = labels[FLUX_NAMESPACE];
  return name && namespace ? { name, namespace } : undefined;
}

export function fluxSource(
  ref: { name: string; namespace: string },
  kustomizations: readonly FluxKustomizationObject[],
  repositories: readonly FluxGitRepositoryObject[],
  workload?: Workload,
): GitSource {
  const ks = kustomizations.find((k) => k.metadata?.name === ref.name && k.metadata?.namespace === ref.namespace);
  const who = `Flux Kustomization ${ref.namespace}/${ref.name}`;
  const of = workload ? ` (which applied ${describeWorkload(workload)})` : '';
  if (!ks) throw new SourceError(`${who}${of} is not in the cache`);
  const sourceRef = ks.spec?.sourceRef;
  if (!sourceRef?.name) throw new SourceError(`${who} has no spec.sourceRef`);
  if ((sourceRef.kind ?? 'GitRepository') !== 'GitRepository') {
    throw new SourceError(`${who} reads from a ${sourceRef.kind} ${sourceRef.name}, not a GitRepository; a fix cannot be proposed in Git`);
  }
  const repoNamespace = sourceRef.namespace ?? ref.namespace;
  const repo = repositories.find((r) => r.metadata?.name === sourceRef.name && r.metadata?.namespace === repoNamespace);
  if (!repo) throw new SourceError(`GitRepository ${repoNamespace}/${sourceRef.name} (the source of ${who}) is not in the cache`);
  const url = repo.spec?.url;
  if (!url) throw new SourceError(`GitRepository ${repoNamespace}/${sourceRef.name} has no spec.url`);
  const spec = ks.spec ?? {};
  const overrides = {
    ...(spec.targetNamespace ? { namespace: spec.targetNamespace } : {}),
    ...(spec.namePrefix ? { namePrefix: spec.namePrefix } : {}),
    ...(spec.nameSuffix ? { nameSuffix: spec.nameSuffix } : {}),
    ...(spec.images?.length ? { images: spec.images } : {}),
    ...(spec.patches?.length ? { patches: spec.patches } : {}),
  };
  return {
    repoURL: url,
    ...gitRef(repo.spec?.ref),
    path: cleanDir(spec.path),
    kind: 'kustomize',
    generatesKustomization: true,
    ...(Object.keys(overrides).length > 0 ? { overrides } : {}),
    origin: who,
  };
}

// GitRepository refs, most specific first, as source-controller reads them; no ref at
// all means the `master` branch.
function gitRef(ref: NonNullable<FluxGitRepositoryObject['spec']>['ref']): Pick<GitSource, 'ref' | 'refKind'> {
  if (ref?.commit) return { ref: ref.commit, refKind: 'commit' };
  if (ref?.name) return { ref: ref.name, refKind: 'name' };
  if (ref?.semver) return { ref: ref.semver, refKind: 'semver' };
  if (ref?.tag) return { ref: ref.tag, refKind: 'tag' };
  return { ref: ref?.branch ?? 'master', refKind: 'branch' };
}
