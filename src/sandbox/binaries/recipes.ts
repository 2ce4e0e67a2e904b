import { cp, chmod, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { SandboxVersions, VersionKey } from '../versions.ts';
import { runGo, type Report } from './go-command.ts';

export interface BuildContext {
  /** The component's version (its cache key; see componentVersion). */
  version: string;
  /** Every pin, for recipes that combine several modules. */
  versions: SandboxVersions;
  /** Empty folder that receives the binaries (and assets) of this component. */
  outDir: string;
  /** Scratch folder, deleted afterwards. */
  workDir: string;
  env: NodeJS.ProcessEnv;
  report: Report;
}

type Recipe = (ctx: BuildContext) => Promise<void>;

function go(ctx: BuildContext, label: string, cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  return runGo(args, { cwd, env: { ...ctx.env, ...env }, label, report: ctx.report });
}

/** Where the Go module proxy's copy of a module lands in the module cache. */
async function moduleDir(ctx: BuildContext, label: string, module: string): Promise<string> {
  const json = await go(ctx, label, ctx.workDir, ['mod', 'download', '-json', module]);
  const info = JSON.parse(json) as { Dir?: string; Error?: string };
  if (!info.Dir) throw new Error(`go mod download ${module} failed: ${info.Error ?? 'no Dir in its answer'}`);
  return info.Dir;
}

/**
 * etcd's server module has local replace directives, so `go install` refuses it; a
 * wrapper module that requires it builds it from the published siblings. Its version
 * string is a constant in the api module, so no stamping is needed.
 */
const buildEtcd: Recipe = async (ctx) => {
  const label = `etcd ${ctx.version}`;
  await go(ctx, label, ctx.workDir, ['mod', 'init', 'gopherguard.dev/sandbox/etcd']);
  await go(ctx, label, ctx.workDir, ['get', `go.etcd.io/etcd/server/v3@v${ctx.version}`]);
  await go(ctx, label, ctx.workDir, ['build', '-v', '-trimpath', '-ldflags', '-s -w', '-o', join(ctx.outDir, 'etcd'), 'go.etcd.io/etcd/server/v3']);
};

/**
 * k8s.io/kubernetes requires its staging modules at v0.0.0 through ./staging replaces,
 * which module zips leave out. Each staging module is also published as v0.<minor>.<patch>,
 * so a copy of the module with those replaces pinned builds. The version must be stamped:
 * an unstamped build reports v0.0.0-master and clients that read /version misbehave.
 */
const buildKubernetes: Recipe = async (ctx) => {
  const label = `kubernetes ${ctx.version}`;
  const [, minor] = ctx.version.split('.');
  const staging = `v0.${ctx.version.split('.').slice(1).join('.')}`;
  const source = await moduleDir(ctx, label, `k8s.io/kubernetes@v${ctx.version}`);
  const tree = join(ctx.workDir, 'kubernetes');
  await cp(source, tree, { recursive: true });
  await chmodTree(tree);
  // The zip ships a go.work that uses ./staging/..., which is not in the zip.
  await rm(join(tree, 'go.work'), { force: true });
  await rm(join(tree, 'go.work.sum'), { force: true });
  const goMod = await readFile(join(tree, 'go.mod'), 'utf8');
  const stagingModules = [...goMod.matchAll(/^\s*(k8s\.io\/[\w.-]+) => \.\/staging\//gm)].map((m) => m[1]);
  if (stagingModules.length === 0) throw new Error(`no ./staging replaces found in k8s.io/kubernetes@v${ctx.version}'s go.mod`);
  await go(ctx, label, tree, ['mod', 'edit', ...stagingModules.map((m) => `-replace=${m}=${m}@${staging}`)]);
  const stamp = ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version'].flatMap((pkg) => [
    `-X ${pkg}.gitVersion=v${ctx.version}`,
    `-X ${pkg}.gitMajor=1`,
    `-X ${pkg}.gitMinor=${minor}`,
    `-X ${pkg}.gitTreeState=clean`,
    `-X ${pkg}.buildDate=1970-01-01T00:00:00Z`,
  ]);
  await go(ctx, label, tree, [
    'build', '-v', '-trimpath', '-ldflags', ['-s -w', ...stamp].join(' '), '-o', `${ctx.outDir}/`,
    './cmd/kube-apiserver', './cmd/kube-controller-manager', './cmd/kube-scheduler',
  ]);
};

/** kwok's go.mod has no replaces, so `go install module@version` works as is. */
const buildKwok: Recipe = async (ctx) => {
  const label = `kwok ${ctx.version}`;
  await go(ctx, label, ctx.workDir, [
    'install', '-v', '-trimpath', '-ldflags', `-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=${ctx.version}`,
    `sigs.k8s.io/kwok/cmd/kwok@v${ctx.version}`,
  ], { GOBIN: ctx.outDir });
};

/**
 * kwok's CRDs (Stage, Logs, ...) and its stock node stages come from the same module.
 * Downloading a module is cheap, so this is apart from the binary, which an env var may
 * supply. Our own pod stages live in sandbox/stages.
 */
const fetchKwokAssets: Recipe = async (ctx) => {
  const label = `kwok ${ctx.version} assets`;
  const source = await moduleDir(ctx, label, `sigs.k8s.io/kwok@v${ctx.version}`);
  await cp(join(source, 'kustomize', 'crd', 'bases'), join(ctx.outDir, 'crds'), { recursive: true });
  await mkdir(join(ctx.outDir, 'node-stages'));
  for (const file of ['fast/node-initialize.yaml', 'heartbeat-with-lease/node-heartbeat-with-lease.yaml']) {
    await cp(join(source, 'kustomize', 'stage', 'node', file), join(ctx.outDir, 'node-stages', file.split('/')[1] ?? file));
  }
  await writeFile(join(ctx.outDir, 'SOURCE'), `sigs.k8s.io/kwok@v${ctx.version}: kustomize/crd/bases, kustomize/stage/node\n`);
};

/**
 * The GitOps engines' CRDs, so that tier 2 can hold Flux Kustomizations and Argo CD
 * Applications whose status tests write (no controller runs). Only `go mod download`:
 * nothing is built. All the Flux source CRDs come along, because kustomize-controller
 * refers to GitRepository, OCIRepository, Bucket and ExternalArtifact sources.
 */
const fetchGitOpsCrds: Recipe = async (ctx) => {
  const { fluxSourceController, fluxKustomizeController, argocd } = ctx.versions;
  const label = 'gitops-crds';
  const argoMajor = argocd.split('.')[0] ?? '3';
  const modules = {
    source: `github.com/fluxcd/source-controller@v${fluxSourceController}`,
    kustomize: `github.com/fluxcd/kustomize-controller@v${fluxKustomizeController}`,
    argo: `github.com/argoproj/argo-cd${argoMajor === '1' ? '' : `/v${argoMajor}`}@v${argocd}`,
  };
  const source = await moduleDir(ctx, label, modules.source);
  const kustomize = await moduleDir(ctx, label, modules.kustomize);
  const argo = await moduleDir(ctx, label, modules.argo);
  const sourceBases = join(source, 'config', 'crd', 'bases');
  const sourceCrds = (await readdir(sourceBases)).filter((f) => f.startsWith('source.toolkit.fluxcd.io_') && f.endsWith('.yaml')).sort();
  if (sourceCrds.length === 0) throw new Error(`${modules.source} has no source.toolkit.fluxcd.io CRDs in config/crd/bases`);
  const files = [
    ...sourceCrds.map((f) => join(sourceBases, f)),
    join(kustomize, 'config', 'crd', 'bases', 'kustomize.toolkit.fluxcd.io_kustomizations.yaml'),
    join(argo, 'manifests', 'crds', 'application-crd.yaml'),
    join(argo, 'manifests', 'crds', 'appproject-crd.yaml'),
  ];
  await mkdir(join(ctx.outDir, 'crds'));
  const crds: unknown[] = [];
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    await writeFile(join(ctx.outDir, 'crds', file.split('/').at(-1) ?? file), text);
    for (const doc of parseAllDocuments(text)) {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]?.message}`);
      const crd = doc.toJS() as { kind?: string } | null;
      if (crd?.kind === 'CustomResourceDefinition') crds.push(crd);
    }
  }
  // Parsed once here: YAML-parsing the 400 KB Application CRD takes about half a second,
  // which every sandbox start would otherwise pay.
  await writeFile(join(ctx.outDir, 'crds.json'), JSON.stringify(crds));
  await writeFile(join(ctx.outDir, 'SOURCE'), `${Object.values(modules).join(', ')}: config/crd/bases, manifests/crds\n`);
};

/**
 * Gitea's go.mod has module-to-module replaces, which `go install` refuses, so it is built
 * inside a copy of its module, which needs no edits. Its SQLite driver (mattn/go-sqlite3,
 * behind the `sqlite` tag) is C: CGO and gcc. Without the `bindata` tag the binary reads
 * templates and options from STATIC_ROOT_PATH, which gitea-assets provides.
 */
const buildGitea: Recipe = async (ctx) => {
  const label = `gitea ${ctx.version}`;
  const source = await moduleDir(ctx, label, `code.gitea.io/gitea@v${ctx.version}`);
  const tree = join(ctx.workDir, 'gitea');
  await cp(source, tree, { recursive: true });
  await chmodTree(tree);
  const tags = 'sqlite sqlite_unlock_notify';
  await go(ctx, label, tree, [
    'build', '-v', '-trimpath', '-tags', tags,
    '-ldflags', `-s -w -X main.Version=${ctx.version} -X 'main.Tags=${tags}'`,
    '-o', join(ctx.outDir, 'gitea'), '.',
  ], { CGO_ENABLED: '1' });
};

/**
 * The files Gitea reads from STATIC_ROOT_PATH when built without bindata: templates,
 * options (licences, gitignores, readmes, labels, locales: auto_init reads them) and
 * public. The frontend bundle is not in the module, so the web UI is unstyled; the API
 * and git over HTTP do not need it. Apart from the binary, which an env var may supply.
 */
const fetchGiteaAssets: Recipe = async (ctx) => {
  const label = `gitea ${ctx.version} assets`;
  const source = await moduleDir(ctx, label, `code.gitea.io/gitea@v${ctx.version}`);
  for (const folder of ['templates', 'options', 'public']) {
    await cp(join(source, folder), join(ctx.outDir, folder), { recursive: true });
  }
  await chmodTreeWritable(ctx.outDir);
  await writeFile(join(ctx.outDir, 'SOURCE'), `code.gitea.io/gitea@v${ctx.version}: templates, options, public\n`);
};

/**
 * Flux's controllers replace their api module with ./api, a nested module the zip leaves
 * out; its tags are published, so dropping that one replace makes go resolve the version
 * go.mod requires. Their other replaces pin published modules and stay. Built inside a
 * copy of the module, as the replaces (which `go install` refuses) must apply.
 */
function buildFluxController(name: 'source-controller' | 'kustomize-controller'): Recipe {
  return async (ctx) => {
    const label = `${name} ${ctx.version}`;
    const module = `github.com/fluxcd/${name}`;
    const source = await moduleDir(ctx, label, `${module}@v${ctx.version}`);
    const tree = join(ctx.workDir, name);
    await cp(source, tree, { recursive: true });
    await chmodTree(tree);
    await go(ctx, label, tree, ['mod', 'edit', `-dropreplace=${module}/api`]);
    await go(ctx, label, tree, ['build', '-v', '-trimpath', '-ldflags', '-s -w', '-o', join(ctx.outDir, name), '.']);
  };
}

async function chmodTree(dir: string): Promise<void> {
  // The module cache is read-only; go mod edit must write go.mod in the copy.
  await chmod(dir, 0o755);
  await chmod(join(dir, 'go.mod'), 0o644);
  await chmod(join(dir, 'go.sum'), 0o644).catch(() => undefined);
}

/** Copies out of the module cache keep its read-only modes, which would block rm as non-root. */
async function chmodTreeWritable(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    await chmod(join(entry.parentPath, entry.name), entry.isDirectory() ? 0o755 : 0o644);
  }
  await chmod(dir, 0o755);
}

export interface ComponentSpec {
  /** Key in sandbox/versions.json, or several for an asset bundle taken from several modules. */
  versionKey: VersionKey | readonly VersionKey[];
  /** Files the recipe leaves in its output folder, each overridable by an env var. */
  binaries: Array<{ file: string; envVar: string }>;
  /** Tools the build needs besides go (checked before it starts). */
  tools?: string[];
  recipe: Recipe;
}

export const COMPONENTS = {
  etcd: { versionKey: 'etcd', binaries: [{ file: 'etcd', envVar: 'GOPHERGUARD_ETCD' }], recipe: buildEtcd },
  kubernetes: {
    versionKey: 'kubernetes',
    binaries: [
      { file: 'kube-apiserver', envVar: 'GOPHERGUARD_KUBE_APISERVER' },
      { file: 'kube-controller-manager', envVar: 'GOPHERGUARD_KUBE_CONTROLLER_MANAGER' },
      { file: 'kube-scheduler', envVar: 'GOPHERGUARD_KUBE_SCHEDULER' },
    ],
    recipe: buildKubernetes,
  },
  kwok: { versionKey: 'kwok', binaries: [{ file: 'kwok', envVar: 'GOPHERGUARD_KWOK' }], recipe: buildKwok },
  'kwok-assets': { versionKey: 'kwok', binaries: [], recipe: fetchKwokAssets },
  gitea: { versionKey: 'gitea', binaries: [{ file: 'gitea', envVar: 'GOPHERGUARD_GITEA' }], tools: ['gcc'], recipe: buildGitea },
  'gitea-assets': { versionKey: 'gitea', binaries: [], recipe: fetchGiteaAssets },
  'flux-source-controller': {
    versionKey: 'fluxSourceController',
    binaries: [{ file: 'source-controller', envVar: 'GOPHERGUARD_FLUX_SOURCE_CONTROLLER' }],
    recipe: buildFluxController('source-controller'),
  },
  'flux-kustomize-controller': {
    versionKey: 'fluxKustomizeController',
    binaries: [{ file: 'kustomize-controller', envVar: 'GOPHERGUARD_FLUX_KUSTOMIZE_CONTROLLER' }],
    recipe: buildFluxController('kustomize-controller'),
  },
  'gitops-crds': { versionKey: ['fluxSourceController', 'fluxKustomizeController', 'argocd'], binaries: [], recipe: fetchGitOpsCrds },
} satisfies Record<string, ComponentSpec>;

export type ComponentName = keyof typeof COMPONENTS;

/**
 * A component's version, which names its cache folder: the pin itself, or for a bundle
 * every pin by name, so that changing any one of them fetches it again.
 */
export function componentVersion(spec: ComponentSpec, versions: SandboxVersions): string {
  if (typeof spec.versionKey === 'string') return versions[spec.versionKey];
  return spec.versionKey.map((key) => `${key}-${versions[key]}`).join('_');
}
