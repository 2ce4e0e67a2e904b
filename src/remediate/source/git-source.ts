// Where a workload's truth lives in Git, as the GitOps engine (or the AegisWatch) says.
// Settings that the engine applies on top of Git (an Application's kustomize images, a
// Kustomization's patches) are kept too: a value they set cannot be fixed in Git.

export type SourceKind = 'helm' | 'kustomize' | 'plain';

export interface GitSource {
  repoURL: string;
  /** The branch, tag or commit the engine follows ('HEAD' when it names none). */
  ref: string;
  refKind?: 'branch' | 'tag' | 'commit' | 'semver' | 'name' | 'revision';
  /** A directory in the repository: no leading `./`, no trailing `/`; '' is the root. */
  path: string;
  /** When the engine says; otherwise told from the files (Chart.yaml, kustomization.yaml). */
  kind?: SourceKind;
  helm?: HelmSettings;
  /** What the engine does on top of the files. */
  overrides?: EngineOverrides;
  /** Plain directories: whether files in subdirectories count. */
  recurse?: boolean;
  /** Argo CD directory globs, matched against paths relative to `path`. */
  include?: string;
  exclude?: string;
  /** Flux builds a kustomization for a directory without one, taking subdirectories too. */
  generatesKustomization?: boolean;
  /** Who said so: `Flux Kustomization flux-system/apps`, `Argo CD Application argocd/shop`. */
  origin: string;
}

export interface HelmSettings {
  /** Values files as repository paths, in the order Helm reads them (the last wins). */
  valueFiles: string[];
  /** Values written in the Application itself (valuesObject over values). */
  values?: unknown;
  parameters?: Array<{ name: string; value?: string }>;
  releaseName?: string;
  ignoreMissingValueFiles?: boolean;
}

export interface ImageOverride {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

export interface PatchTarget {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

export interface EngineOverrides {
  namePrefix?: string;
  nameSuffix?: string;
  namespace?: string;
  images?: ImageOverride[];
  patches?: Array<{ patch: string; target?: PatchTarget }>;
}

export class SourceError extends Error {
  override name = 'SourceError';
}

/** `./apps/prod/` → `apps/prod`; `.` and `` → ``. */
export function cleanDir(path: string | undefined): string {
  const parts: string[] = [];
  for (const part of (path ?? '').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) throw new SourceError(`path ${path} leaves the repository`);
      parts.pop();
    } else parts.push(part);
  }
  return parts.join('/');
}

/** Argo CD's `images` strings (`nginx=registry/nginx:1.2`, `nginx:1.2`, `nginx@sha256:…`) as kustomize entries. */
export function parseImageOverride(spec: string): ImageOverride {
  const eq = spec.indexOf('=');
  const name = eq === -1 ? undefined : spec.slice(0, eq);
  const image = eq === -1 ? spec : spec.slice(eq + 1);
  const at = image.indexOf('@');
  const base = at === -1 ? image : image.slice(0, at);
  const digest = at === -1 ? undefined : image.slice(at + 1);
  const colon = base.lastIndexOf(':');
  const hasTag = colon > base.lastIndexOf('/');
  const repository = hasTag ? base.slice(0, colon) : base;
  const tag = hasTag ? base.slice(colon + 1) : undefined;
  return {
    name: name ?? repository,
    ...(name && name !== repository ? { newName: repository } : {}),
    ...(tag ? { newTag: tag } : {}),
    ...(digest ? { digest } : {}),
  };
}
