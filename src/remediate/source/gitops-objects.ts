// The parts of GitOps objects that say where manifests come from. The status halves live
// in detect/gitops-signals.ts; these are the specs, as plain JSON from the cache.
import type { ArgoApplication, FluxKustomization } from '../../detect/gitops-signals.ts';
import type { PatchTarget } from './git-source.ts';

export interface FluxKustomizationObject extends FluxKustomization {
  spec?: {
    path?: string;
    sourceRef?: { kind?: string; name?: string; namespace?: string };
    targetNamespace?: string;
    namePrefix?: string;
    nameSuffix?: string;
    images?: Array<{ name: string; newName?: string; newTag?: string; digest?: string }>;
    patches?: Array<{ patch: string; target?: PatchTarget }>;
  };
}

export interface FluxGitRepositoryObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string };
  spec?: {
    url?: string;
    ref?: { branch?: string; tag?: string; semver?: string; name?: string; commit?: string };
  };
}

export interface ArgoSource {
  repoURL?: string;
  targetRevision?: string;
  path?: string;
  chart?: string;
  ref?: string;
  helm?: {
    valueFiles?: string[];
    values?: string;
    valuesObject?: unknown;
    parameters?: Array<{ name: string; value?: string }>;
    releaseName?: string;
    ignoreMissingValueFiles?: boolean;
  };
  kustomize?: {
    namePrefix?: string;
    nameSuffix?: string;
    namespace?: string;
    images?: string[];
    patches?: Array<{ patch?: string; path?: string; target?: PatchTarget }>;
  };
  directory?: { recurse?: boolean; include?: string; exclude?: string; jsonnet?: unknown };
  plugin?: unknown;
}

export interface ArgoApplicationObject extends ArgoApplication {
  spec?: {
    source?: ArgoSource;
    sources?: ArgoSource[];
    destination?: { namespace?: string };
  };
}
