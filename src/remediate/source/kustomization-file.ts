// A kustomization file, read into what matters for tracing a field: what it includes,
// which patches it applies (from files or inline), its images, names and namespace, and
// the features whose effect on a field cannot be traced here.
import { parseDocument } from 'yaml';
import type { Step } from '../edit/path.ts';
import { isRecord } from '../edit/path.ts';
import { SourceError, type ImageOverride, type PatchTarget } from './git-source.ts';
import { joinPath, kustomizationFile, type RepoTree } from './repo-tree.ts';

export interface PatchRef {
  field: 'patchesStrategicMerge' | 'patches' | 'patchesJson6902';
  /** The patch's file, when it is read from one. */
  file?: string;
  /** Where the inline patch string sits in the kustomization document. */
  inline?: Step[];
  text: string;
  target?: PatchTarget;
}

export interface Kustomization {
  dir: string;
  file: string;
  text: string;
  component: boolean;
  /** `resources` and the older `bases`, as written. */
  resources: string[];
  components: string[];
  /** In the order kustomize applies them. */
  patches: PatchRef[];
  /** Strategic-merge and `patches` entries run before the names change; JSON 6902 ones after. */
  images: ImageOverride[];
  namePrefix?: string;
  nameSuffix?: string;
  namespace?: string;
  commonLabels: Record<string, string>;
  /** Fields that generate or transform resources in ways not traced here. */
  opaque: string[];
  replacements: unknown[];
}

const OPAQUE = ['transformers', 'generators', 'validators', 'helmCharts', 'helmChartInflationGenerator', 'vars', 'crds', 'openapi'];

export async function readKustomization(tree: RepoTree, dir: string): Promise<Kustomization | undefined> {
  const file = await kustomizationFile(tree, dir);
  if (!file) return undefined;
  const text = (await tree.read(file)) ?? '';
  const doc = parseDocument(text, { version: '1.1' });
  if (doc.errors.length > 0) throw new SourceError(`${file} does not parse: ${doc.errors[0]?.message}`);
  const data = doc.toJS() ?? {};
  if (!isRecord(data)) throw new SourceError(`${file} is not a map`);
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const patches: PatchRef[] = [];
  const sm = Array.isArray(data.patchesStrategicMerge) ? data.patchesStrategicMerge : [];
  for (const [i, entry] of sm.entries()) {
    if (typeof entry !== 'string') continue;
    // An entry is a path or, when it holds YAML, the patch itself.
    if (entry.includes('\n') || entry.includes(': ')) patches.push({ field: 'patchesStrategicMerge', inline: ['patchesStrategicMerge', i], text: entry });
    else patches.push(await fromFile(tree, dir, file, 'patchesStrategicMerge', entry));
  }
  const json: PatchRef[] = [];
  for (const field of ['patches', 'patchesJson6902'] as const) {
    const list = Array.isArray(data[field]) ? (data[field] as unknown[]) : [];
    for (const [i, entry] of list.entries()) {
      if (!isRecord(entry)) continue;
      const target = isRecord(entry.target) ? (entry.target as PatchTarget) : undefined;
      const ref: PatchRef = typeof entry.patch === 'string'
        ? { field, inline: [field, i, 'patch'], text: entry.patch }
        : typeof entry.path === 'string'
          ? await fromFile(tree, dir, file, field, entry.path)
          : { field, text: '' };
      if (target) ref.target = target;
      (field === 'patches' ? patches : json).push(ref);
    }
  }
  const images = (Array.isArray(data.images) ? data.images : []).filter(isRecord).map((e) => ({
    name: String(e.name ?? ''),
    ...(e.newName !== undefined ? { newName: String(e.newName) } : {}),
    ...(e.newTag !== undefined ? { newTag: String(e.newTag) } : {}),
    ...(e.digest !== undefined ? { digest: String(e.digest) } : {}),
  }));
  const labels = { ...(isRecord(data.commonLabels) ? data.commonLabels : {}) } as Record<string, string>;
  for (const entry of Array.isArray(data.labels) ? data.labels : []) {
    if (isRecord(entry) && isRecord(entry.pairs)) Object.assign(labels, entry.pairs);
  }
  return {
    dir,
    file,
    text,
    component: data.kind === 'Component',
    resources: [...strings(data.resources), ...strings(data.bases)],
    components: strings(data.components),
    patches: [...patches, ...json],
    images,
    ...(typeof data.namePrefix === 'string' ? { namePrefix: data.namePrefix } : {}),
    ...(typeof data.nameSuffix === 'string' ? { nameSuffix: data.nameSuffix } : {}),
    ...(typeof data.namespace === 'string' ? { namespace: data.namespace } : {}),
    commonLabels: labels,
    opaque: OPAQUE.filter((key) => data[key] !== undefined && !(Array.isArray(data[key]) && (data[key] as unknown[]).length === 0)),
    replacements: Array.isArray(data.replacements) ? data.replacements : [],
  };
}

async function fromFile(tree: RepoTree, dir: string, kfile: string, field: PatchRef['field'], path: string): Promise<PatchRef> {
  const file = joinPath(dir, path);
  const text = file === undefined ? undefined : await tree.read(file);
  if (file === undefined || text === undefined) throw new SourceError(`${kfile} names patch ${path}, which is not in the repository`);
  return { field, file, text };
}

/** Every path a kustomization refers to, resolved: for telling which files and bases are shared. */
export function referencedPaths(k: Kustomization): string[] {
  const out: string[] = [];
  for (const entry of [...k.resources, ...k.components]) {
    const p = joinPath(k.dir, entry);
    if (p !== undefined && !isRemote(entry)) out.push(p);
  }
  for (const patch of k.patches) if (patch.file) out.push(patch.file);
  return out;
}

/** A remote base (`github.com/org/repo//path?ref=v1`, `https://…`): not in this tree. */
export function isRemote(entry: string): boolean {
  return /^[a-z]+:\/\//i.test(entry) || /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(entry) || entry.includes('?ref=') || entry.startsWith('git@');
}
