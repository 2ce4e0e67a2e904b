import { formatDuration, resolveComponent, type ComponentName, type Report, type ResolvedComponent } from './binaries/index.ts';
import { loadVersions, type SandboxVersions } from './versions.ts';

export type Tier = 1 | 2;

/** Components each tier runs, in build order (cheapest first, so failures show early). */
export function componentsFor(tier: Tier): ComponentName[] {
  return tier === 1 ? ['etcd', 'kubernetes'] : ['etcd', 'kubernetes', 'kwok', 'kwok-assets', 'gitops-crds'];
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

export function describeComponents(built: BuiltComponents): string[] {
  return Object.values(built.components).map((c) =>
    `${c.name} ${c.version}: ${c.source}${c.buildMs === undefined ? '' : ` in ${formatDuration(c.buildMs)}`}${c.dir ? ` (${c.dir})` : ''}`);
}
