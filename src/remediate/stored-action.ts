// The incident's status keeps a diagnosis' action with its parameters as strings (to keep
// the CRD structural); the remediation stage reads it back into the typed, bounded action.
import type { Diagnosis } from '../api/healing-incident.ts';
import { RemedyAction } from '../diagnose/remedy-action.ts';

const NUMERIC = new Set(['port', 'initialDelaySeconds', 'timeoutSeconds', 'failureThreshold', 'startupSeconds']);

export function actionFromDiagnosis(diagnosis: Diagnosis): { ok: true; action: RemedyAction } | { ok: false; reason: string } {
  const params = Object.fromEntries(Object.entries(diagnosis.action.params ?? {}).map(([k, v]) => [k, NUMERIC.has(k) ? Number(v) : v]));
  const parsed = RemedyAction.safeParse({ type: diagnosis.action.type, ...params });
  if (parsed.success) return { ok: true, action: parsed.data };
  return { ok: false, reason: `the recorded action ${diagnosis.action.type} is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` };
}
