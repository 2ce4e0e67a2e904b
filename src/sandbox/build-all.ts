import { formatDuration, resolveComponent, type ComponentName, type Report, type ResolvedComponent } from './binaries/index.ts';
import { loadVersions, type SandboxVersions } from './versions.ts';

export type Tier = 1 | 2 | 3;

export const TIERS: readonly Tier[] = [1, 2, 3];

/**
 * What each tier adds to the one below, in build order (cheapest first, so failures
 * show early). Tier 3 is the GitOps loop: Gitea, and Flux's source- and kustomize-controller.
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
}

/** Resolves (building where needed) every component of a tier, one at a time: 2 cores. */
export async function ensureComponents(tier: Tier, report: Report, env: NodeJS.ProcessEnv = process.env): Promise<BuiltComponents> {
  const versions = loadVersions();
  const components: BuiltComponents['components'] = {};
  for (const name of componentsFor(tier)) {
    components[name] = await resolveComponent(name, { versions, env, report });
  }
  return { versions, components };
}

/** One line per component: how it was found, then its binaries' paths (or its folder of assets). */
export function describeComponents(built: BuiltComponents): string[] {
  return Object.values(built.components).map((c) => {
    const how = `${c.source}${c.buildMs === undefined ? '' : ` in ${formatDuration(c.buildMs)}`}`;
    const binaries = Object.values(c.binaries);
    const where = binaries.length > 0 ? binaries.join(', ') : `${c.dir ?? ''}/`;
    return `${c.name} ${c.version}: ${how}: ${where}`;
  });
}
