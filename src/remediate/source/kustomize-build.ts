// A trace of `kustomize build`: not the rendered objects, but for each resource the file
// it is written in and every layer that may change it afterwards (patches, images), in
// the order kustomize applies them. Levels are kustomization directories; the engine's
// own settings (Flux spec.patches, an Application's kustomize images) are the last level.
import { matchesGlob } from 'node:path';
import { parseAllDocuments, type Document } from 'yaml';
import { isRecord } from '../edit/path.ts';
import { groupOf } from '../edit/workload.ts';
import { SourceError, type GitSource, type ImageOverride } from './git-source.ts';
import { isRemote, readKustomization, type Kustomization, type PatchRef } from './kustomization-file.ts';
import { matchesTarget, readPatch, smpMatches, type Identity, type JsonOp, type Match } from './patch-layer.ts';
import { baseName, dirOf, joinPath, KUSTOMIZATION_FILES, YAML_FILE, type RepoTree } from './repo-tree.ts';

export interface Level {
  dir: string;
  /** Undefined for a directory read as plain files (Flux generates a kustomization for it). */
  kustomization?: Kustomization;
  /** The level that included this one; undefined for the root. */
  parent?: Level;
  /** Set on the last level: settings in the cluster object, which a pull request cannot change. */
  engine?: string;
}

export type Layer =
  | { type: 'smp'; level: Level; ref: PatchRef; docIndex: number; data: Record<string, unknown>; match: Match }
  | { type: 'json6902'; level: Level; ref: PatchRef; ops: JsonOp[]; match: Match }
  | { type: 'images'; level: Level; index: number; entry: ImageOverride };

export interface Resource {
  id: Identity;
  file: string;
  docIndex: number;
  doc: Record<string, unknown>;
  /** The levels it passes through, innermost (the one listing its file) first. */
  chain: Level[];
  /** Its name as each level's patches first see it (before that level's prefix and suffix). */
  nameAt: Map<Level, string>;
  layers: Layer[];
}

export interface Build {
  root: Level;
  levels: Level[];
  resources: Resource[];
  /** What could not be read: remote bases, generators. A workload that is not found may come from there. */
  unread: string[];
}

interface Context {
  tree: RepoTree;
  levels: Level[];
  unread: string[];
  stack: string[];
}

/** Traces the kustomization (or plain directory) at a source's path. */
export async function buildSource(tree: RepoTree, source: GitSource, kind: 'kustomize' | 'plain'): Promise<Build> {
  const ctx: Context = { tree, levels: [], unread: [], stack: [] };
  let root: Level;
  let resources: Resource[];
  if (kind === 'plain') {
    root = { dir: source.path };
    ctx.levels.push(root);
    resources = await plainFiles(ctx, root, source.recurse === true, false, selected(source));
  } else {
    ({ level: root, resources } = await buildDir(ctx, source.path, undefined, source.generatesKustomization === true));
  }
  const engine = source.overrides;
  if (engine && (engine.patches?.length || engine.images?.length || engine.namePrefix || engine.nameSuffix || engine.namespace)) {
    const level: Level = { dir: source.path, engine: source.origin };
    const k: Kustomization = {
      dir: source.path, file: source.origin, text: '', component: false, resources: [], components: [],
      patches: (engine.patches ?? []).map((p) => ({ field: 'patches' as const, text: p.patch, ...(p.target ? { target: p.target } : {}) })),
      images: engine.images ?? [], commonLabels: {}, opaque: [], replacements: [],
      ...(engine.namePrefix ? { namePrefix: engine.namePrefix } : {}),
      ...(engine.nameSuffix ? { nameSuffix: engine.nameSuffix } : {}),
      ...(engine.namespace ? { namespace: engine.namespace } : {}),
    };
    level.kustomization = k;
    ctx.levels.push(level);
    applyLevel(level, resources);
  }
  return { root, levels: ctx.levels, resources, unread: ctx.unread };
}

async function buildDir(ctx: Context, dir: string, parent: Level | undefined, generated: boolean): Promise<{ level: Level; resources: Resource[] }> {
  if (ctx.stack.includes(dir)) throw new SourceError(`kustomizations include each other in a cycle: ${[...ctx.stack, dir].join(' → ')}`);
  const k = await readKustomization(ctx.tree, dir);
  const level: Level = { dir, ...(k ? { kustomization: k } : {}), ...(parent ? { parent } : {}) };
  ctx.levels.push(level);
  if (!k) {
    if (!generated) throw new SourceError(`${dir || 'the repository root'} has no kustomization file`);
    return { level, resources: await plainFiles(ctx, level, true, true) };
  }
  ctx.stack.push(dir);
  try {
    for (const what of k.opaque) ctx.unread.push(`${k.file} uses ${what}`);
    let resources: Resource[] = [];
    for (const entry of k.resources) resources.push(...(await include(ctx, level, entry)));
    for (const entry of k.components) {
      const path = joinPath(dir, entry);
      if (path === undefined) throw new SourceError(`${k.file} names component ${entry} outside the repository`);
      resources = await component(ctx, path, level, resources);
    }
    applyLevel(level, resources);
    return { level, resources };
  } finally {
    ctx.stack.pop();
  }
}

// A component adds its resources and applies its patches to everything its parent has
// accumulated so far.
async function component(ctx: Context, dir: string, parent: Level, accumulated: Resource[]): Promise<Resource[]> {
  const k = await readKustomization(ctx.tree, dir);
  if (!k) throw new SourceError(`component ${dir} has no kustomization file`);
  const level: Level = { dir, kustomization: k, parent };
  ctx.levels.push(level);
  for (const what of k.opaque) ctx.unread.push(`${k.file} uses ${what}`);
  let resources = [...accumulated];
  for (const entry of k.resources) resources.push(...(await include(ctx, level, entry)));
  for (const entry of k.components) {
    const path = joinPath(dir, entry);
    if (path !== undefined) resources = await component(ctx, path, level, resources);
  }
  applyLevel(level, resources);
  return resources;
}

async function include(ctx: Context, level: Level, entry: string): Promise<Resource[]> {
  const k = level.kustomization as Kustomization;
  if (isRemote(entry)) {
    ctx.unread.push(`${k.file} includes remote ${entry}`);
    return [];
  }
  const path = joinPath(level.dir, entry);
  if (path === undefined) throw new SourceError(`${k.file} includes ${entry}, outside the repository`);
  const text = await ctx.tree.read(path);
  if (text !== undefined) return documents(path, text);
  return (await buildDir(ctx, path, level, false)).resources;
}

// Flux's generated kustomization takes every manifest below the directory, except that a
// subdirectory with its own kustomization file is included as one unit.
// Argo CD reads only the files its include glob matches and its exclude glob does not.
function selected(source: GitSource): (file: string) => boolean {
  const relative = (file: string) => (source.path ? file.slice(source.path.length + 1) : file);
  return (file) => (!source.include || matchesGlob(relative(file), source.include)) && (!source.exclude || !matchesGlob(relative(file), source.exclude));
}

async function plainFiles(ctx: Context, level: Level, recurse: boolean, nested: boolean, keep: (file: string) => boolean = () => true): Promise<Resource[]> {
  const dir = level.dir;
  const files = await ctx.tree.list(dir);
  const inDir = (f: string) => dirOf(f) === dir;
  const kdirs = nested ? files.filter((f) => KUSTOMIZATION_FILES.includes(baseName(f))).map(dirOf).filter((d) => d !== dir) : [];
  const top = kdirs.filter((d) => !kdirs.some((o) => o !== d && d.startsWith(`${o}/`)));
  const under = (f: string, d: string) => f.startsWith(`${d}/`);
  const resources: Resource[] = [];
  for (const file of files) {
    if (!YAML_FILE.test(file) || KUSTOMIZATION_FILES.includes(baseName(file))) continue;
    if ((!recurse && !inDir(file)) || !keep(file)) continue;
    if (top.some((d) => under(file, d))) continue;
    resources.push(...documents(file, (await ctx.tree.read(file)) ?? ''));
  }
  for (const d of top) resources.push(...(await buildDir(ctx, d, level, false)).resources);
  applyLevel(level, resources);
  return resources;
}

function documents(file: string, text: string): Resource[] {
  const docs = parseAllDocuments(text, { version: '1.1' }) as Document[];
  if (!Array.isArray(docs)) return [];
  const out: Resource[] = [];
  for (const [docIndex, d] of docs.entries()) {
    if (d.errors.length > 0) throw new SourceError(`${file} does not parse: ${d.errors[0]?.message}`);
    const doc = d.toJS();
    if (!isRecord(doc) || typeof doc.kind !== 'string' || !isRecord(doc.metadata) || typeof doc.metadata.name !== 'string') continue;
    const meta = doc.metadata;
    const apiVersion = typeof doc.apiVersion === 'string' ? doc.apiVersion : '';
    out.push({
      id: {
        kind: doc.kind,
        group: groupOf(apiVersion) ?? '',
        version: apiVersion.slice(apiVersion.indexOf('/') + 1),
        names: [meta.name as string],
        namespaces: [typeof meta.namespace === 'string' ? meta.namespace : ''],
        labels: { ...(isRecord(meta.labels) ? (meta.labels as Record<string, string>) : {}) },
        annotations: { ...(isRecord(meta.annotations) ? (meta.annotations as Record<string, string>) : {}) },
      },
      file,
      docIndex,
      doc,
      chain: [],
      nameAt: new Map(),
      layers: [],
    });
  }
  return out;
}

const parsed = new WeakMap<PatchRef, ReturnType<typeof readPatch>>();

function applyLevel(level: Level, resources: Resource[]): void {
  const k = level.kustomization;
  for (const r of resources) {
    r.chain.push(level);
    r.nameAt.set(level, r.id.names[r.id.names.length - 1] as string);
    if (!k) continue;
    for (const ref of k.patches) {
      const where = ref.file ?? `${k.file} ${ref.field}`;
      if (!ref.text.trim()) continue;
      const body = parsed.get(ref) ?? readPatch(ref, where);
      parsed.set(ref, body);
      if (body.type === 'json6902') {
        // kustomize refuses a JSON 6902 patch without a target; treat one as a possible match.
        const match = ref.target ? matchesTarget(ref.target, r.id) : 'maybe';
        if (match !== 'no') r.layers.push({ type: 'json6902', level, ref, ops: body.ops, match });
        continue;
      }
      for (const { docIndex, data } of body.docs) {
        const match = ref.target ? matchesTarget(ref.target, r.id) : smpMatches(data, r.id) ? 'yes' : 'no';
        if (match !== 'no') r.layers.push({ type: 'smp', level, ref, docIndex, data, match });
      }
    }
    const last = r.id.names[r.id.names.length - 1] as string;
    if (k.namePrefix || k.nameSuffix) r.id.names.push(`${k.namePrefix ?? ''}${last}${k.nameSuffix ?? ''}`);
    if (k.namespace) r.id.namespaces.push(k.namespace);
    Object.assign(r.id.labels, k.commonLabels);
    for (const [index, entry] of k.images.entries()) r.layers.push({ type: 'images', level, index, entry });
  }
}
