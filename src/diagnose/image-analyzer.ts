import { byRevision, type AnalyzerInput, type RuleDiagnosis } from './rule-diagnosis.ts';

/** Splits an image reference into repository and tag (digests are left whole). */
export function splitImage(image: string): { repository: string; tag?: string } {
  if (image.includes('@')) return { repository: image };
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon > slash ? { repository: image.slice(0, colon), tag: image.slice(colon + 1) } : { repository: image };
}

/**
 * An image that cannot be pulled, right after a rollout changed it, goes back to the last
 * tag that ran, in the same repository (never another one). "Ran" is read from the
 * ReplicaSets: a stuck rollout leaves the last good revision's pods serving, so the newest
 * earlier revision with available pods is the one to return to; it skips a bad tag pushed
 * in between. When no earlier revision serves now (Recreate, or its pods already gone),
 * the previous revision's tag is proposed with less confidence, so a model, when there is
 * one, is asked too. Without an earlier tag the cause is explained and nothing is changed.
 */
export function analyzeImagePull(input: AnalyzerInput): RuleDiagnosis {
  const [current, ...older] = byRevision(input.replicaSets);
  const name = input.container ?? input.template?.spec?.containers[0]?.name ?? 'app';
  const imageOf = (rs: typeof current) => rs?.spec?.template?.spec?.containers.find((c) => c.name === name)?.image;
  const now = imageOf(current) ?? input.template?.spec?.containers.find((c) => c.name === name)?.image ?? '';
  const { repository, tag } = splitImage(now);
  const candidates = older.flatMap((rs) => {
    const before = splitImage(imageOf(rs) ?? '');
    const revision = rs.metadata?.annotations?.['deployment.kubernetes.io/revision'];
    return before.repository === repository && before.tag && before.tag !== tag
      ? [{ tag: before.tag, revision, serving: (rs.status?.availableReplicas ?? 0) > 0 }]
      : [];
  });
  const serving = candidates.find((c) => c.serving);
  if (serving) {
    return {
      rootCause: `image ${now} cannot be pulled; revision ${serving.revision} ran ${repository}:${serving.tag}, and its pods still serve`,
      confidence: 0.85,
      cited: [`container ${name} image: ${now}`, `revision ${serving.revision} image: ${repository}:${serving.tag} (available pods)`],
      action: { type: 'setImageTag', container: name, tag: serving.tag },
    };
  }
  const previous = candidates[0];
  if (previous) {
    return {
      rootCause: `image ${now} cannot be pulled; revision ${previous.revision} declared ${repository}:${previous.tag}, though none of its pods serve now to show that it ran`,
      confidence: 0.7,
      cited: [`container ${name} image: ${now}`, `revision ${previous.revision} image: ${repository}:${previous.tag} (no available pods)`],
      action: { type: 'setImageTag', container: name, tag: previous.tag },
    };
  }
  return {
    rootCause: `image ${now} cannot be pulled, and no earlier revision ran another tag of ${repository}`,
    confidence: 0.5,
    cited: [`container ${name} image: ${now}`],
    action: { type: 'none', reason: `check that ${now} was pushed and that the cluster may pull from ${repository.split('/')[0]}` },
  };
}
