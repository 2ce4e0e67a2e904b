// The LLM diagnoser: the model is asked when the rules are unsure (or always), its
// answer is held to the closed action set, and on any failure the rules' answer stands.
export { createLlmDiagnoser, type DiagnoseRequest, type LlmDiagnoser, type LlmDiagnoserOptions } from './diagnoser.ts';
export type { DiagnosisResult, LlmCallRecord, TokenPrice } from './result.ts';
export { toIncidentDiagnosis, type IncidentDiagnosis } from './status.ts';
export { shouldAskModel, DEFAULT_CONFIDENCE_THRESHOLD, type LlmPolicy } from './policy.ts';
export { buildModel, MissingApiKeyError, OLLAMA_BASE_URL, type BuiltModel, type LlmSettingsValue } from './providers.ts';
export { llmDefaultsFromEnv, llmTuningFromEnv, LLM_ENV } from './defaults.ts';
export type { Redact } from './prompt.ts';
