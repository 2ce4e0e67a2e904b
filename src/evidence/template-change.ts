import type { V1PodTemplateSpec, V1ReplicaSet } from '@kubernetes/client-node';

const REVISION = 'deployment.kubernetes.io/revision';

/**
 * What changed in the pod template between a Deployment's current and previous
 * ReplicaSet: the first question a person asks of a failure that began with a rollout.
 * Lines like `spec.containers[app].resources.limits.memory: 256Mi → 128Mi`, bounded.
 */
export function templateChange(replicaSets: V1ReplicaSet[], maxLines = 20): string | undefined {
  const byRevision = replicaSets
    .filter((rs) => rs.metadata?.annotations?.[REVISION])
    .sort((a, b) => Number(b.metadata?.annotations?.[REVISION]) - Number(a.metadata?.annotations?.[REVISION]));
  const [current, previous] = byRevision;
  if (!current?.spec?.template || !previous?.spec?.template) return undefined;
  const before = flatten(normalize(previous.spec.template));
  const after = flatten(normalize(current.spec.template));
  const lines: string[] = [];
  for (const path of new Set([...before.keys(), ...after.keys()])) {
    const a = before.get(path);
    const b = after.get(path);
    if (a !== b) lines.push(`${path}: ${a ?? '(none)'} → ${b ?? '(none)'}`);
  }
  if (lines.length === 0) return undefined;
  const header = `revision ${previous.metadata?.annotations?.[REVISION]} → ${current.metadata?.annotations?.[REVISION]}`;
  const shown = lines.sort().slice(0, maxLines);
  if (lines.length > maxLines) shown.push(`… and ${lines.length - maxLines} more`);
  return [header, ...shown].join('\n');
}

// The pod-template-hash label differs between every two revisions and says nothing.
function normalize(template: V1PodTemplateSpec): unknown {
  const labels = { ...template.metadata?.labels };
  delete labels['pod-template-hash'];
  return { metadata: { labels, annotations: template.metadata?.annotations }, spec: template.spec };
}

/** Leaf values by path; list items with a name are keyed by it, so reordering is not a change. */
function flatten(value: unknown, path = '', out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      const name = (item as { name?: unknown } | null)?.name;
      flatten(item, `${path}[${typeof name === 'string' ? name : i}]`, out);
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (child !== undefined) flatten(child, path ? `${path}.${key}` : key, out);
    }
  } else if (value !== undefined) {
    out.set(path, String(value));
  }
  return out;
}
