// Which traced resource is the live workload: same kind and group, and the name and
// namespace it ends up with after every level's prefix, suffix and namespace.
import { isRecord } from '../edit/path.ts';
import { describeWorkload, groupOf, type Workload } from '../edit/workload.ts';
import type { Build, Resource } from './kustomize-build.ts';

export function findResource(build: Build, workload: Workload, where: string): Resource | string {
  const group = groupOf(workload.apiVersion);
  const ns = workload.metadata.namespace;
  const found = build.resources.filter((r) => {
    const name = r.id.names[r.id.names.length - 1];
    const namespace = r.id.namespaces[r.id.namespaces.length - 1];
    return r.id.kind === workload.kind && name === workload.metadata.name &&
      (group === undefined || r.id.group === group) &&
      (!namespace || !ns || namespace === ns);
  });
  if (found.length === 1) return found[0] as Resource;
  if (found.length > 1) {
    return `${describeWorkload(workload)} is defined ${found.length} times in ${where} (${found.map((r) => `${r.file}#${r.docIndex}`).join(', ')}); cannot tell which one is live`;
  }
  const unread = build.unread.length > 0 ? `; not read: ${build.unread.join(', ')}` : '';
  return `no ${describeWorkload(workload)} among the ${build.resources.length} manifests of ${where || 'the repository root'}${unread}`;
}

/**
 * Kustomize features that can change a field without a trace here: custom transformers,
 * and replacements whose targets reach into a pod template of this kind.
 */
export function untraceable(r: Resource): string | undefined {
  for (const level of r.chain) {
    const k = level.kustomization;
    if (!k) continue;
    if (k.opaque.includes('transformers')) return `${k.file} runs custom transformers, which may change the field`;
    for (const replacement of k.replacements) {
      const targets = isRecord(replacement) && Array.isArray(replacement.targets) ? replacement.targets : [];
      for (const target of targets) {
        if (!isRecord(target)) continue;
        const select = isRecord(target.select) ? target.select : {};
        const paths = Array.isArray(target.fieldPaths) ? target.fieldPaths.map(String) : [];
        if ((select.kind === undefined || select.kind === r.id.kind) && paths.some((p) => /^spec\.(template|jobTemplate|containers|initContainers)/.test(p))) {
          return `${k.file} has replacements that write into pod templates`;
        }
      }
    }
  }
  return undefined;
}
