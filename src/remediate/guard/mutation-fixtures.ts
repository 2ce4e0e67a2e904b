// Test support: what a dangerous proposal looks like. Each generator takes a generated
// workload and returns an action with a proposed object that the guard must refuse: a
// hostile edit beside a legitimate fix, a legitimate-looking action with a hostile
// value, or an action the rules would never choose. Undefined: not applicable here.
import type { V1Container, V1Deployment, V1PodSpec } from '@kubernetes/client-node';
import type { RemedyAction } from '../../diagnose/remedy-action.ts';
import { anyFix, appOf } from './fix-fixtures.ts';
import type { ChangeHistory, GuardLimits, Workload } from './types.ts';
import type { Fixture, Rng } from './workload-fixtures.ts';

export interface Mutation {
  action: RemedyAction;
  after: Workload;
  /** Replaces the fixture's object as declared now, or its history, where the case needs it. */
  before?: Workload;
  baseline?: Workload;
  history?: ChangeHistory;
  knownGoodTags?: string[];
  limits?: Partial<GuardLimits>;
  /** The legitimate fix the mutation was added to: the guard must pass it, so the mutation is what it refused. */
  control?: Workload;
}

export type MutationGenerator = (rng: Rng, fx: Fixture) => Mutation | undefined;

/** A legitimate fix, then `mutate` on its result: the extra change must sink it. */
export function beside(mutate: (after: V1Deployment, rng: Rng, fx: Fixture) => boolean | void): MutationGenerator {
  return (rng, fx) => {
    const fix = anyFix(rng, fx);
    const control = structuredClone(fix.after);
    if (mutate(fix.after, rng, fx) === false) return undefined;
    return { action: fix.action, after: fix.after, control, ...(fix.knownGoodTags && { knownGoodTags: fix.knownGoodTags }) };
  };
}

export function podOf(workload: V1Deployment): V1PodSpec {
  return workload.spec?.template.spec as V1PodSpec;
}

export function sidecarOf(workload: V1Deployment): V1Container | undefined {
  return podOf(workload).containers[1];
}

export { appOf };

/** Sets a field whatever its declared type: hostile objects do not follow the schema. */
export function force(target: object, key: string, value: unknown): void {
  (target as Record<string, unknown>)[key] = value;
}

export function digest(rng: Rng): string {
  return `sha256:${Array.from({ length: 64 }, () => '0123456789abcdef'[rng.int(0, 15)]).join('')}`;
}
