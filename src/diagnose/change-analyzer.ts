import { splitImage } from './image-analyzer.ts';
import { RestoreEnv, RevertField, type RemedyAction } from './remedy-action.ts';
import type { AnalyzerInput, RuleDiagnosis } from './rule-diagnosis.ts';
import { changedFields, describeChange, envVar, lastRolloutChange, type FieldChange, type RolloutChange } from './template-diff.ts';

/**
 * A failure that began with a rollout is most likely caused by what the rollout changed.
 * With one changed field the link is clear and that field goes back to its previous
 * value; with several, an image change is the usual suspect; otherwise the changes are
 * listed and nothing is guessed. Undefined when the last rollout changed nothing in the
 * pod spec (or there was no earlier revision).
 */
export function analyzeRecentChange(input: AnalyzerInput, symptom: string): RuleDiagnosis | undefined {
  const change = lastRolloutChange(input.replicaSets);
  if (!change) return undefined;
  const fields = changedFields(change.changes);
  if (fields.length === 0) return undefined;
  const cited = [`revision ${change.from} → ${change.to} changed ${fields.length} field${fields.length === 1 ? '' : 's'}`, ...fields.flat().slice(0, 5).map(describeChange)];
  const [only] = fields;
  if (fields.length === 1 && only) {
    const action = revertAction(only, change);
    if (action) {
      return {
        rootCause: `${symptom} since revision ${change.to} changed ${fieldName(only)}; revision ${change.from} ran with ${describeBefore(only)}`,
        confidence: 0.8,
        cited,
        action,
      };
    }
    return {
      rootCause: `${symptom} since revision ${change.to} added ${fieldName(only)}, which revision ${change.from} did without`,
      confidence: 0.6,
      cited,
      action: { type: 'none', reason: `remove ${fieldName(only)}, added in revision ${change.to}, or revert the commit that added it` },
    };
  }
  const image = fields.find((group) => group[0]?.kind === 'image');
  const imageAction = image && revertAction(image, change);
  if (image && imageAction) {
    return {
      rootCause: `${symptom} since revision ${change.to}, which changed ${fields.length} fields, among them the image (${image[0]?.before} → ${image[0]?.after})`,
      confidence: 0.5,
      cited,
      action: imageAction,
    };
  }
  return {
    rootCause: `${symptom} since revision ${change.to}, which changed ${fields.length} fields: ${fields.map(fieldName).join(', ')}`,
    confidence: 0.45,
    cited,
    action: { type: 'none', reason: `revision ${change.to} changed ${fields.map(fieldName).join(', ')}; revert the commit that made the change` },
  };
}

/**
 * The action that puts one changed field back as the previous revision had it, or
 * undefined when none of the closed set can (a field that was added, an image in another
 * repository, a value too long for the bounds).
 */
export function revertAction(field: FieldChange[], change: RolloutChange): RemedyAction | undefined {
  const [first] = field;
  if (!first) return undefined;
  if (first.kind === 'image' && first.container && first.before && first.after) {
    const before = splitImage(first.before);
    const after = splitImage(first.after);
    if (before.repository !== after.repository || !before.tag) return undefined; // never another registry or repository
    return { type: 'setImageTag', container: first.container, tag: before.tag };
  }
  if (first.kind === 'env' && first.container && first.item) {
    const previous = envVar(change.previous, first.container, first.item);
    if (!previous) return undefined; // added: nothing to restore
    if (previous.value !== undefined) return checked(RestoreEnv, { type: 'restoreEnv', container: first.container, name: first.item, value: previous.value });
    const current = envVar(change.current, first.container, first.item);
    // A ref that changed in one place (the key, the ConfigMap's name) goes back in that place.
    if (current && field.length === 1 && first.before !== undefined && first.after !== undefined) {
      return checked(RevertField, { type: 'revertField', path: first.path, value: first.before });
    }
    return checked(RestoreEnv, { type: 'restoreEnv', container: first.container, name: first.item });
  }
  if (field.length !== 1 || first.before === undefined) return undefined;
  return checked(RevertField, { type: 'revertField', path: first.path, value: first.before });
}

function checked(schema: { safeParse(value: unknown): { success: boolean } }, action: RemedyAction): RemedyAction | undefined {
  return schema.safeParse(action).success ? action : undefined;
}

/** How a person names the field: "env var DATABASE_URL of app", "the image of app". */
export function fieldName(field: FieldChange[]): string {
  const [first] = field;
  if (!first) return 'nothing';
  if (first.kind === 'env') return `env var ${first.item} of container ${first.container}`;
  if (first.kind === 'image') return `the image of container ${first.container}`;
  if (first.kind === 'probe') return `the ${first.item} of container ${first.container}`;
  return first.path;
}

function describeBefore(field: FieldChange[]): string {
  const [first] = field;
  if (!first) return '';
  if (first.kind === 'env') return first.before === undefined ? 'it unset' : 'its previous value';
  return first.before === undefined ? 'it unset' : first.before;
}
