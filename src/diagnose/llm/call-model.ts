// One question to the model: the call (with retries) under one deadline, the answer
// checked against the action schema, and one repair when it fails the check.
import { generateText, JSONParseError, NoObjectGeneratedError, Output, TypeValidationError, type LanguageModel, type LanguageModelUsage, type ModelMessage } from 'ai';
import type { Clock } from '../../controller/clock.ts';
import type { RemedyAction } from '../remedy-action.ts';
import { answerSchema, type LlmAnswer } from './answer.ts';
import { apiCallError, RetryAfterTooLongError, withRetries } from './retry.ts';
import { estimateTokens } from './tokens.ts';

export interface RetrySettings {
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface ModelCallInput {
  model: LanguageModel;
  system: string;
  user: string;
  maxOutputTokens: number;
  timeoutMs: number;
  clock: Clock;
  retry: RetrySettings;
  /** Checks of the action that need context (bounds.ts); their problems fail the answer. */
  checkAction?: (action: RemedyAction) => string[];
  /** Asked before the repair call with its estimated tokens; a reason stops it (a budget). */
  beforeRepair?: (estimatedTokens: number) => string | undefined;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  /** False when a provider sent no usage: budgets then count the estimate. */
  reported: boolean;
}

export type ModelCallOutcome = { ok: true; answer: LlmAnswer; usage: TokenUsage; requests: number } | { ok: false; reason: string; usage: TokenUsage; requests: number };

/** What the incident says when the model could not answer. */
export function describeFailure(error: unknown, timedOut: boolean, timeoutMs: number): string {
  if (timedOut) return `timeout after ${Math.round(timeoutMs / 100) / 10} s`;
  if (error instanceof RetryAfterTooLongError) return `rate limited: ${error.message}`;
  const api = apiCallError(error);
  if (api?.statusCode === 429) return 'rate limited (HTTP 429), retries exhausted';
  if (api?.statusCode !== undefined && api.statusCode < 300) return `provider sent an invalid response: ${api.message.slice(0, 200)}`;
  if (api?.statusCode !== undefined) return `provider error: HTTP ${api.statusCode}${api.isRetryable ? ', retries exhausted' : ''}`;
  if (api) return `provider unreachable: ${api.message.slice(0, 200)}`;
  const message = error instanceof Error ? error.message : String(error);
  return `model call failed: ${message.slice(0, 300)}`;
}

/**
 * Why an answer failed, in our own words only: the SDK's messages quote the model's text,
 * which may carry whatever the evidence planted (instructions, a secret).
 */
function problemOf(error: NoObjectGeneratedError): string {
  const cause = error.cause;
  if (TypeValidationError.isInstance(cause)) return cause.cause instanceof Error ? cause.cause.message.slice(0, 600) : 'the answer does not match the schema';
  if (JSONParseError.isInstance(cause)) return 'the answer is not valid JSON';
  return 'the reply has no answer object';
}

export async function callModel(input: ModelCallInput): Promise<ModelCallOutcome> {
  const usage: TokenUsage = { promptTokens: 0, completionTokens: 0, reported: true };
  const add = (u: LanguageModelUsage | undefined) => {
    if (u?.inputTokens === undefined && u?.outputTokens === undefined) usage.reported = false;
    usage.promptTokens += u?.inputTokens ?? 0;
    usage.completionTokens += u?.outputTokens ?? 0;
  };
  let requests = 0;
  const controller = new AbortController();
  let timedOut = false;
  const timer = input.clock.setTimer(() => {
    timedOut = true;
    controller.abort(new Error(`timeout after ${input.timeoutMs} ms`));
  }, input.timeoutMs);
  const deadline = input.clock.now() + input.timeoutMs;

  const schema = answerSchema(input.checkAction);
  const ask = (messages: ModelMessage[]) =>
    withRetries(
      () => {
        requests++;
        return generateText({
          model: input.model,
          system: input.system,
          messages,
          output: Output.object({ schema, name: 'diagnosis', description: 'One remedy action for the incident, with its cause' }),
          maxOutputTokens: input.maxOutputTokens,
          temperature: 0,
          maxRetries: 0, // ours: they honour Retry-After within the deadline
          // xAI's Responses API keeps conversations unless told not to; evidence must not linger.
          providerOptions: { xai: { store: false } },
          abortSignal: controller.signal,
        });
      },
      { clock: input.clock, ...input.retry, deadline, signal: controller.signal },
    );

  const first: ModelMessage[] = [{ role: 'user', content: input.user }];
  try {
    try {
      const result = await ask(first);
      add(result.usage);
      return { ok: true, answer: result.output, usage, requests };
    } catch (error) {
      if (!NoObjectGeneratedError.isInstance(error) || timedOut) throw error;
      add(error.usage);
      const problem = problemOf(error);
      // The bad answer goes back so that the model can fix it rather than start over.
      const repair: ModelMessage[] = [
        ...first,
        { role: 'assistant', content: (error.text ?? '').slice(0, 2000) },
        { role: 'user', content: `That answer is not valid: ${problem}. Answer again with one JSON object that matches the schema, and nothing else.` },
      ];
      const stop = input.beforeRepair?.(estimateTokens(input.system) + repair.reduce((n, m) => n + estimateTokens(String(m.content)), 0) + input.maxOutputTokens);
      if (stop) return { ok: false, reason: `model answer failed validation (${problem}); no repair: ${stop}`, usage, requests };
      try {
        const result = await ask(repair);
        add(result.usage);
        return { ok: true, answer: result.output, usage, requests };
      } catch (again) {
        if (!NoObjectGeneratedError.isInstance(again) || timedOut) throw again;
        add(again.usage);
        return { ok: false, reason: `model answer failed validation: ${problemOf(again)}`, usage, requests };
      }
    }
  } catch (error) {
    return { ok: false, reason: describeFailure(error, timedOut, input.timeoutMs), usage, requests };
  } finally {
    timer.cancel();
  }
}
