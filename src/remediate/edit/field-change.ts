// What a remedy action changes, named on the pod template and independent of where the
// value lives in Git: the locators turn each change into edits of a manifest, a patch,
// a kustomize `images` entry or a Helm values key.
import type { RemedyActionType } from '../../diagnose/remedy-action.ts';
import type { Step } from './path.ts';

export interface FieldChange {
  /** From the pod template: `['spec', 'containers', {name: 'app'}, 'resources', 'limits', 'memory']`. */
  path: Step[];
  /** The new value; absent with `remove`. */
  value?: unknown;
  /** Removes the field (an env var's `valueFrom` when a plain value is restored). */
  remove?: boolean;
  /** For the image: only its tag changes, whatever the repository is where it is written. */
  imageTag?: string;
}

export interface ChangePlan {
  action: RemedyActionType;
  container?: string;
  changes: FieldChange[];
  /** One line for the pull request: "raise the memory limit of container app to 512Mi". */
  summary: string;
}

export type PlanResult =
  | { ok: true; plan: ChangePlan }
  /** `none`: the diagnosis chose to explain only; `unsupported`: no deterministic edit exists. */
  | { ok: false; kind: 'none' | 'unsupported'; reason: string };
