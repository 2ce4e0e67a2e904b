// The operator's own LLM settings, for watches that name none: from the environment of
// its Deployment (the key from a Secret mounted as an env var), validated like a watch's.
import { LlmSettings } from '../../api/aegis-watch.ts';
import { describeIssues } from '../../api/common.ts';
import { z } from 'zod';
import type { LlmSettingsValue } from './providers.ts';
import type { TokenPrice } from './result.ts';

export const LLM_ENV = {
  provider: 'GOPHERGUARD_LLM_PROVIDER',
  model: 'GOPHERGUARD_LLM_MODEL',
  baseURL: 'GOPHERGUARD_LLM_BASE_URL',
  apiKey: 'GOPHERGUARD_LLM_API_KEY',
  policy: 'GOPHERGUARD_LLM_POLICY',
  prices: 'GOPHERGUARD_LLM_PRICES',
  structuredOutputs: 'GOPHERGUARD_LLM_STRUCTURED_OUTPUTS',
} as const;

const Prices = z.record(z.string().min(1), z.object({ inputPerMillion: z.number().min(0), outputPerMillion: z.number().min(0) }));

/**
 * Operator-wide knobs of the model calls: USD prices per million tokens by model name
 * (JSON, e.g. {"gpt-4o-mini":{"inputPerMillion":0.15,"outputPerMillion":0.6}}), so each
 * incident records what its diagnosis cost; and whether OpenAI-compatible and Ollama
 * endpoints get JSON-schema mode (default) or the schema in the prompt, for servers
 * without it. An Error naming the variable when a value is invalid.
 */
export function llmTuningFromEnv(env: Record<string, string | undefined>): { prices?: Record<string, TokenPrice>; structuredOutputs?: boolean } {
  const out: { prices?: Record<string, TokenPrice>; structuredOutputs?: boolean } = {};
  const prices = env[LLM_ENV.prices];
  if (prices) {
    let json: unknown;
    try {
      json = JSON.parse(prices);
    } catch {
      throw new Error(`${LLM_ENV.prices} is not JSON: give {"<model>":{"inputPerMillion":N,"outputPerMillion":N}}`);
    }
    const parsed = Prices.safeParse(json);
    if (!parsed.success) throw new Error(`invalid ${LLM_ENV.prices}: ${describeIssues(parsed.error.issues, LLM_ENV.prices).join('; ')}`);
    out.prices = parsed.data;
  }
  const structured = env[LLM_ENV.structuredOutputs];
  if (structured !== undefined && structured !== '') {
    if (structured !== 'true' && structured !== 'false') throw new Error(`${LLM_ENV.structuredOutputs} must be true or false, not ${structured}`);
    out.structuredOutputs = structured === 'true';
  }
  return out;
}

/** undefined without a provider; an Error naming the variable when a value is invalid. */
export function llmDefaultsFromEnv(env: Record<string, string | undefined>): { settings: LlmSettingsValue; apiKey?: string } | undefined {
  const provider = env[LLM_ENV.provider];
  if (!provider) return undefined;
  const parsed = LlmSettings.safeParse({
    provider,
    model: env[LLM_ENV.model],
    ...(env[LLM_ENV.baseURL] ? { baseURL: env[LLM_ENV.baseURL] } : {}),
    ...(env[LLM_ENV.policy] ? { policy: env[LLM_ENV.policy] } : {}),
  });
  if (!parsed.success) throw new Error(`invalid operator LLM settings: ${describeIssues(parsed.error.issues, 'GOPHERGUARD_LLM').join('; ')}`);
  const apiKey = env[LLM_ENV.apiKey];
  return { settings: parsed.data, ...(apiKey ? { apiKey } : {}) };
}
