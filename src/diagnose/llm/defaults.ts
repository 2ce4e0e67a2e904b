// The operator's own LLM settings, for watches that name none: from the environment of
// its Deployment (the key from a Secret mounted as an env var), validated like a watch's.
import { LlmSettings } from '../../api/aegis-watch.ts';
import { describeIssues } from '../../api/common.ts';
import type { LlmSettingsValue } from './providers.ts';

export const LLM_ENV = {
  provider: 'GOPHERGUARD_LLM_PROVIDER',
  model: 'GOPHERGUARD_LLM_MODEL',
  baseURL: 'GOPHERGUARD_LLM_BASE_URL',
  apiKey: 'GOPHERGUARD_LLM_API_KEY',
  policy: 'GOPHERGUARD_LLM_POLICY',
} as const;

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
