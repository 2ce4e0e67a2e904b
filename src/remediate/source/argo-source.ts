// A workload synced by Argo CD is tracked by annotation (`<app>:<group>/<kind>:<ns>/<name>`)
// or by the `app.kubernetes.io/instance` label; the Application names the repository,
// revision, path, and how to render it (Helm values, kustomize settings).
import { parse } from 'yaml';
import type { Workload } from '../edit/workload.ts';
import { describeWorkload, groupOf } from '../edit/workload.ts';
import { cleanDir, parseImageOverride, SourceError, type EngineOverrides, type GitSource } from './git-source.ts';
import type { ArgoApplicationObject, ArgoSource } from './gitops-objects.ts';

export const ARGO_TRACKING_ID = 'argocd.argoproj.io/tracking-id';
export const ARGO_INSTANCE = 'app.kubernetes.io/instance';

export interface ArgoReference {
  name: string;
  /** Set when the tracking id says (apps in any namespace: `<ns>_<name>`). */
  namespace?: string;
  via: 'annotation' | 'label';
}

/** The Application a workload's tracking names, or undefined without tracking. */
export function argoReference(workload: Workload): ArgoReference | undefined {
  const id = workload.metadata.annotations?.[ARGO_TRACKING_ID];
  if (id) {
    const m = /^([^:]+):([^/:]*)\/([^:]+):([^/]*)\/(.+)$/.exec(id);
    if (!m) throw new SourceError(`${describeWorkload(workload)} has a malformed ${ARGO_TRACKING_ID}: ${id}`);
    const [, app = '', group, kind, namespace, name] = m;
    // A copied manifest keeps the annotation of the object it was copied from.
    if (kind !== workload.kind || name !== workload.metadata.name || group !== (groupOf(workload.apiVersion) ?? group) ||
      (namespace && workload.metadata.namespace && namespace !== workload.metadata.namespace)) {
      throw new SourceError(`${ARGO_TRACKING_ID} on ${describeWorkload(workload)} names another object (${id})`);
    }
    const underscore = app.indexOf('_');
    return underscore === -1 ? { name: app, via: 'annotation' } : { namespace: app.slice(0, underscore), name: app.slice(underscore + 1), via: 'annotation' };
  }
  const label = workload.metadata.labels?.[ARGO_INSTANCE];
  return label ? { name: label, via: 'label' } : undefined;
}

export function argoSource(ref: ArgoReference, applications: readonly ArgoApplicationObject[], workload?: Workload): GitSource {
  const matches = applications.filter((a) => a.metadata?.name === ref.name && (!ref.namespace || a.metadata?.namespace === ref.namespace));
  const named = `Argo CD Application ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
  if (matches.length === 0) {
    // The instance label is also what Helm charts set to their release name.
    const hint = ref.via === 'label' ? ` (from the ${ARGO_INSTANCE} label, which Helm charts also set)` : '';
    throw new SourceError(`${named}${hint} is not in the cache`);
  }
  if (matches.length > 1) {
    throw new SourceError(`${matches.length} Argo CD Applications are named ${ref.name} (${matches.map((a) => a.metadata?.namespace).join(', ')}); cannot tell which one deploys ${workload ? describeWorkload(workload) : 'the workload'}`);
  }
  const app = matches[0] as ArgoApplicationObject;
  const who = `Argo CD Application ${app.metadata?.namespace}/${app.metadata?.name}`;
  const sources = app.spec?.sources ?? (app.spec?.source ? [app.spec.source] : []);
  // Sources with only `ref` lend their repository to `$ref/...` value files; they render nothing.
  const rendering = sources.filter((s) => s.path !== undefined || s.chart !== undefined);
  if (rendering.length === 0) throw new SourceError(`${who} has no source with a path`);
  if (rendering.length > 1) {
    throw new SourceError(`${who} has ${rendering.length} sources that render manifests; cannot tell which one defines ${workload ? describeWorkload(workload) : 'the workload'}`);
  }
  const source = rendering[0] as ArgoSource;
  if (source.chart !== undefined) {
    throw new SourceError(`${who} installs chart ${source.chart} from a Helm repository; its templates are not in Git, so the field cannot be located with certainty`);
  }
  if (!source.repoURL) throw new SourceError(`${who} has a source without repoURL`);
  if (source.plugin) throw new SourceError(`${who} renders with a config management plugin; its output cannot be traced to files`);
  const path = cleanDir(source.path);
  const base: GitSource = {
    repoURL: source.repoURL,
    ref: source.targetRevision || 'HEAD',
    refKind: 'revision',
    path,
    origin: who,
  };
  if (source.helm) {
    base.kind = 'helm';
    base.helm = {
      valueFiles: (source.helm.valueFiles ?? []).map((file) => valueFilePath(file, path, source.repoURL as string, sources, who)),
      ...helmValues(source.helm, who),
      ...(source.helm.parameters?.length ? { parameters: source.helm.parameters } : {}),
      ...(source.helm.releaseName ? { releaseName: source.helm.releaseName } : {}),
      ...(source.helm.ignoreMissingValueFiles ? { ignoreMissingValueFiles: true } : {}),
    };
  }
  if (source.kustomize) {
    base.kind = 'kustomize';
    const overrides = kustomizeOverrides(source.kustomize, who);
    if (overrides) base.overrides = overrides;
  }
  if (source.directory) {
    if (source.directory.jsonnet && Object.keys(source.directory.jsonnet).length > 0) {
      throw new SourceError(`${who} renders Jsonnet; its output cannot be traced to YAML files`);
    }
    base.kind = 'plain';
    base.recurse = source.directory.recurse === true;
    if (source.directory.include) base.include = source.directory.include;
    if (source.directory.exclude) base.exclude = source.directory.exclude;
  }
  return base;
}

// Value files are relative to the chart's path, or `$ref/...` from another source of the
// same Application. A file in another repository cannot be part of one pull request.
function valueFilePath(file: string, path: string, repoURL: string, sources: ArgoSource[], who: string): string {
  if (/^[a-z]+:\/\//i.test(file)) throw new SourceError(`${who} reads values from ${file}, outside Git`);
  const m = /^\$([^/]+)\/(.*)$/.exec(file);
  if (!m) return cleanDir(path ? `${path}/${file}` : file);
  const [, name, rest = ''] = m;
  const ref = sources.find((s) => s.ref === name);
  if (!ref) throw new SourceError(`${who} reads ${file}, but no source has ref ${name}`);
  if (sameRepo(ref.repoURL, repoURL)) return cleanDir(rest);
  throw new SourceError(`${who} reads ${file} from another repository (${ref.repoURL}); one pull request cannot change both`);
}

function sameRepo(a: string | undefined, b: string): boolean {
  const norm = (u: string) => u.replace(/\.git$/, '').replace(/\/$/, '').toLowerCase();
  return a !== undefined && norm(a) === norm(b);
}

function helmValues(helm: NonNullable<ArgoSource['helm']>, who: string): { values?: unknown } {
  if (helm.valuesObject !== undefined) return { values: helm.valuesObject };
  if (!helm.values) return {};
  try {
    return { values: parse(helm.values, { version: '1.1' }) };
  } catch (error) {
    throw new SourceError(`${who} has helm.values that do not parse`, { cause: error });
  }
}

function kustomizeOverrides(k: NonNullable<ArgoSource['kustomize']>, who: string): EngineOverrides | undefined {
  const patches = (k.patches ?? []).map((p) => {
    if (p.patch === undefined) throw new SourceError(`${who} has a kustomize patch read from ${p.path}; only inline patches are understood`);
    return { patch: p.patch, ...(p.target ? { target: p.target } : {}) };
  });
  const overrides: EngineOverrides = {
    ...(k.namePrefix ? { namePrefix: k.namePrefix } : {}),
    ...(k.nameSuffix ? { nameSuffix: k.nameSuffix } : {}),
    ...(k.namespace ? { namespace: k.namespace } : {}),
    ...(k.images?.length ? { images: k.images.map(parseImageOverride) } : {}),
    ...(patches.length ? { patches } : {}),
  };
  return Object.keys(overrides).length > 0 ? overrides : undefined;
}
