import { formatDuration, resolveComponent, type ComponentName, type Report, type ResolvedComponent } from './binaries/index.ts';
import { DEBIAN_TOOLS, resolveDebianTools, type DebianTool, type ResolvedDebianTools } from './binaries/debian-package.ts';
import { loadVersions, type SandboxVersions } from './versions.ts';

export type Tier = 1 | 2 | 3;

export const TIERS: readonly Tier[] = [1, 2, 3];

/**
 * What each tier adds to the one below, in build order (cheapest first, so failures
 * show early). Tier 3 is the GitOps loop: Gitea, and Flux's source- and kustomize-controller;
 * its Prometheus and Alertmanager are Debian's (resolveDebianTools), not built.
 */
const TIER_COMPONENTS: Record<Tier, ComponentName[]> = {
  1: ['etcd', 'kubernetes'],
  2: ['kwok', 'kwok-assets', 'gitops-crds'],
  3: ['gitea-assets', 'gitea', 'flux-source-controller', 'flux-kustomize-controller'],
};

/** Components a tier runs: its own and those of every tier below it. */
export function componentsFor(tier: Tier): ComponentName[] {
  return TIERS.filter((t) => t <= tier).flatMap((t) => TIER_COMPONENTS[t]);
}

export interface BuiltComponents {
  versions: SandboxVersions;
  components: Partial<Record<ComponentName, ResolvedComponent>>;
  /** Tier 3: Prometheus and Alertmanager. */
  debian?: ResolvedDebianTools;
}

/** Resolves (building where needed) every component of a tier, one at a time: 2 cores. */
export async function ensureComponents(tier: Tier, report: Report, env: NodeJS.ProcessEnv = process.env): Promise<BuiltComponents> {
  const versions = loadVersions();
  const components: BuiltComponents['components'] = {};
  for (const name of componentsFor(tier)) {
    components[name] = await resolveComponent(name, { versions, env, report });
  }
  const debian = tier >= 3 ? await resolveDebianTools({ env, report }) : undefined;
  return { versions, components, debian };
}

/** One line per component: how it was found, then its binaries' paths (or its folder of assets). */
export function describeComponents(built: BuiltComponents): string[] {
  const lines = Object.values(built.components).map((c) => {
    const how = `${c.source}${c.buildMs === undefined ? '' : ` in ${formatDuration(c.buildMs)}`}`;
    const binaries = Object.values(c.binaries);
    const where = binaries.length > 0 ? binaries.join(', ') : `${c.dir ?? ''}/`;
    return `${c.name} ${c.version}: ${how}: ${where}`;
  });
  const debian = built.debian;
  if (debian) {
    for (const tool of Object.keys(debian.binaries) as DebianTool[]) {
      // From PATH or an env var the version is whatever is installed; the pin names the cache.
      lines.push(`${tool} ${DEBIAN_TOOLS[tool].version} (Debian): ${debian.sources[tool]}: ${debian.binaries[tool]}`);
    }
  }
  return lines;
}
