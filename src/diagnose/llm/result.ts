// What a diagnosis hands to the rest of the pipeline, from the rules or from the model,
// with what the model cost and, when its answer was not used, why.
import type { RemedyAction } from '../remedy-action.ts';
import type { RuleDiagnosis } from '../rule-diagnosis.ts';
import type { Personality } from '../wit.ts';
import type { LlmAnswer } from './answer.ts';
import type { LlmProvider } from './providers.ts';
import type { Redact } from './prompt.ts';
import { undatamark } from './spotlight.ts';

export interface TokenPrice {
  inputPerMillion: number;
  outputPerMillion: number;
}

/** What one diagnosis spent on the model; recorded on the incident. */
export interface LlmCallRecord {
  provider: LlmProvider;
  model: string;
  promptTokens: number;
  completionTokens: number;
  latencyMs: number;
  /** Only when the model's price is known. */
  costUsd?: number;
  /** Answered from the cache (or by joining an identical call in flight): nothing spent. */
  cached: boolean;
  /** HTTP requests made: retries and the repair included. */
  requests: number;
}

export interface DiagnosisResult {
  engine: 'rules' | 'llm';
  rootCause: string;
  confidence: number;
  cited: string[];
  action: RemedyAction;
  /** One line, for a pull-request title. */
  summary: string;
  /** Absent with a plain personality. */
  witty?: string;
  /** Present whenever the model was asked, even if its answer was not used. */
  llm?: LlmCallRecord;
  /** Why the rules' answer stands although the model was to be asked. */
  fallbackReason?: string;
  /** Secrets the redactor masked in the prompt. */
  redactions?: number;
}

const oneLine = (text: string, max: number) => {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

export function shapeRulesResult(
  rules: RuleDiagnosis,
  extra: { wit?: string; fallbackReason?: string; llm?: LlmCallRecord; redactions?: number },
): DiagnosisResult {
  return {
    engine: 'rules',
    rootCause: rules.rootCause,
    confidence: rules.confidence,
    cited: rules.cited,
    action: rules.action,
    summary: oneLine(rules.rootCause.split(/(?<=\.)\s/)[0] ?? rules.rootCause, 200),
    ...(extra.wit ? { witty: extra.wit } : {}),
    ...(extra.llm ? { llm: extra.llm } : {}),
    ...(extra.fallbackReason ? { fallbackReason: extra.fallbackReason } : {}),
    ...(extra.redactions ? { redactions: extra.redactions } : {}),
  };
}

export interface ShapeContext {
  redact: Redact;
  /** The evidence as sent (redacted, not datamarked): citations must quote it. */
  blocks: Record<string, string>;
  personality: Personality;
  fallbackWit?: string;
  llm: LlmCallRecord;
  redactions: number;
  rules: (fallbackReason: string, llm: LlmCallRecord, redactions: number) => DiagnosisResult;
}

/**
 * The model's answer, already valid against the action schema, made safe to show: its
 * free text goes through the redactor (output scanning: a model can repeat a secret it
 * was never shown in full), citations it made up are dropped, and an action whose
 * parameters carry what looks like a secret is refused outright.
 */
export function shapeLlmResult(answer: LlmAnswer, c: ShapeContext): DiagnosisResult {
  if (c.redact(JSON.stringify(answer.action)).count > 0) {
    return c.rules('model answer refused: its action carries what looks like a secret', c.llm, c.redactions);
  }
  const clean = (text: string, max: number) => oneLine(c.redact(text).text, max);
  const evidence = Object.values(c.blocks).join('\n').replace(/\s+/g, ' ');
  const cited = answer.cited
    .map((quote) => undatamark(quote).replace(/\s+/g, ' ').trim())
    .filter((quote) => quote.length >= 4 && evidence.includes(quote))
    .map((quote) => clean(quote, 300));
  const wit = c.personality === 'plain' ? undefined : answer.witty.trim() ? clean(answer.witty, 200) : c.fallbackWit;
  return {
    engine: 'llm',
    rootCause: clean(answer.rootCause, 1024),
    confidence: answer.confidence,
    cited,
    action: answer.action,
    summary: clean(answer.summary || answer.rootCause, 200),
    ...(wit ? { witty: wit } : {}),
    llm: c.llm,
    ...(c.redactions ? { redactions: c.redactions } : {}),
  };
}
