// A diagnosis as the HealingIncident status keeps it. The CRD's diagnosis object keeps
// unknown fields (up to a bound), which is where the model's cost and the fallback go.
import type { Diagnosis } from '../../api/healing-incident.ts';
import type { DiagnosisResult, LlmCallRecord } from './result.ts';

export type IncidentDiagnosis = Diagnosis & { llm?: LlmCallRecord; fallbackReason?: string };

/** Action parameters become strings, which keeps the CRD structural (see Diagnosis). */
export function toIncidentDiagnosis(result: DiagnosisResult): IncidentDiagnosis {
  const { type, ...rest } = result.action;
  const params = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, String(v).slice(0, 1024)]));
  return {
    rootCause: result.rootCause.slice(0, 4096),
    confidence: result.confidence,
    action: { type, ...(Object.keys(params).length ? { params } : {}) },
    engine: result.engine,
    summary: result.summary.slice(0, 1024),
    ...(result.witty ? { witty: result.witty.slice(0, 512) } : {}),
    ...(result.llm ? { llm: result.llm } : {}),
    ...(result.fallbackReason ? { fallbackReason: result.fallbackReason.slice(0, 1024) } : {}),
  };
}
