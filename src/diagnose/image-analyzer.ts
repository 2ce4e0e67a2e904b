import { byRevision, type AnalyzerInput, type RuleDiagnosis } from './rule-diagnosis.ts';

/** Splits an image reference into repository and tag (digests are left whole). */
export function splitImage(image: string): { repository: string; tag?: string } {
  if (image.includes('@')) return { repository: image };
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon > slash ? { repository: image.slice(0, colon), tag: image.slice(colon + 1) } : { repository: image };
}

/**
 * An image that cannot be pulled, right after a rollout changed it, goes back to the tag
 * the previous revision ran, in the same repository (never another one). Without such a
 * revision the cause is explained and nothing is changed.
 */
export function analyzeImagePull(input: AnalyzerInput): RuleDiagnosis {
  const [current, ...older] = byRevision(input.replicaSets);
  const name = input.container ?? input.template?.spec?.containers[0]?.name ?? 'app';
  const imageOf = (rs: typeof current) => rs?.spec?.template?.spec?.containers.find((c) => c.name === name)?.image;
  const now = imageOf(current) ?? input.template?.spec?.containers.find((c) => c.name === name)?.image ?? '';
  const { repository, tag } = splitImage(now);
  for (const rs of older) {
    const before = splitImage(imageOf(rs) ?? '');
    if (before.repository === repository && before.tag && before.tag !== tag) {
      const revision = rs.metadata?.annotations?.['deployment.kubernetes.io/revision'];
      return {
        rootCause: `image ${now} cannot be pulled; revision ${revision} ran ${repository}:${before.tag}`,
        confidence: 0.85,
        cited: [`container ${name} image: ${now}`, `revision ${revision} image: ${repository}:${before.tag}`],
        action: { type: 'setImageTag', container: name, tag: before.tag },
      };
    }
  }
  return {
    rootCause: `image ${now} cannot be pulled, and no earlier revision ran another tag of ${repository}`,
    confidence: 0.5,
    cited: [`container ${name} image: ${now}`],
    action: { type: 'none', reason: `check that ${now} was pushed and that the cluster may pull from ${repository.split('/')[0]}` },
  };
}
