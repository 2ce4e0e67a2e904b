// When the model is asked. Rules are cheap, fast and explainable; the model is for the
// cases they are unsure about (the default), or for every case with `always`.
import type { RuleDiagnosis } from '../rule-diagnosis.ts';
import type { LlmSettingsValue } from './providers.ts';

export type LlmPolicy = LlmSettingsValue['policy'];

/** Below this confidence the rules' answer is "unsure". */
export const DEFAULT_CONFIDENCE_THRESHOLD = 0.75;

/**
 * never: the rules always answer. always: the model is asked every time (its answer is
 * still used only if valid). fallback: only when the rules are unsure, by confidence or
 * because they found no action to take.
 */
export function shouldAskModel(policy: LlmPolicy, rules: RuleDiagnosis, threshold = DEFAULT_CONFIDENCE_THRESHOLD): boolean {
  switch (policy) {
    case 'never':
      return false;
    case 'always':
      return true;
    case 'fallback':
      return rules.confidence < threshold || rules.action.type === 'none';
  }
}
