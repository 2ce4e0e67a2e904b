// One LanguageModel from an AegisWatch's llm settings and the key from its Secret (read by
// the caller). Every provider here speaks OpenAI's wire format or a close cousin, which is
// what lets one loopback fake test them all.
import { createGroq } from '@ai-sdk/groq';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { createXai } from '@ai-sdk/xai';
import type { LanguageModel } from 'ai';
import type { z } from 'zod';
import type { LlmSettings } from '../../api/aegis-watch.ts';

// The SDK prints its warnings with console.warn, outside our structured logs, on every
// call (e.g. "responseFormat not supported" for endpoints without JSON-schema mode, which
// we handle by putting the schema in the prompt). What matters is in the incident.
(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

export type LlmSettingsValue = z.output<typeof LlmSettings>;
export type LlmProvider = LlmSettingsValue['provider'];

/** Ollama's OpenAI-compatible endpoint on its default port. */
export const OLLAMA_BASE_URL = 'http://localhost:11434/v1';

export interface BuiltModel {
  model: LanguageModel;
  /** Whether the provider constrains decoding with our JSON schema; if not, the prompt carries it. */
  structuredOutputs: boolean;
}

export interface ProviderOptions {
  /**
   * For openai-compatible and ollama: whether the server takes `response_format:
   * json_schema` (vLLM, LM Studio, llama.cpp and Ollama 0.5+ do). Off, the schema goes
   * in the prompt and the server is asked for `json_object`.
   */
  structuredOutputs?: boolean;
  fetch?: typeof globalThis.fetch;
}

export class MissingApiKeyError extends Error {
  constructor(provider: LlmProvider) {
    super(`no API key for ${provider}: give llm.secretRef in the AegisWatch`);
    this.name = 'MissingApiKeyError';
  }
}

/**
 * The cloud providers need a key, and get exactly the one given: the SDKs would otherwise
 * fall back to OPENAI_API_KEY & co. from the operator's environment, a credential no
 * AegisWatch asked for. Local endpoints (Ollama, most OpenAI-compatible servers) need none.
 */
export function buildModel(settings: LlmSettingsValue, apiKey: string | undefined, options: ProviderOptions = {}): BuiltModel {
  const baseURL = settings.baseURL?.replace(/\/+$/, '');
  const common = { ...(baseURL ? { baseURL } : {}), ...(options.fetch ? { fetch: options.fetch } : {}) };
  const key = () => {
    if (!apiKey) throw new MissingApiKeyError(settings.provider);
    return apiKey;
  };
  switch (settings.provider) {
    case 'openai':
      // Chat Completions rather than Responses: the same API as the others, and what
      // OpenAI-style proxies behind a baseURL implement.
      return { model: createOpenAI({ ...common, apiKey: key() }).chat(settings.model), structuredOutputs: true };
    case 'groq':
      return { model: createGroq({ ...common, apiKey: key() })(settings.model), structuredOutputs: true };
    case 'xai':
      return { model: createXai({ ...common, apiKey: key() })(settings.model), structuredOutputs: true };
    case 'openai-compatible':
    case 'ollama': {
      const structuredOutputs = options.structuredOutputs ?? true;
      const provider = createOpenAICompatible({
        ...common,
        name: settings.provider,
        baseURL: baseURL ?? OLLAMA_BASE_URL,
        ...(apiKey ? { apiKey } : {}),
        supportsStructuredOutputs: structuredOutputs,
        includeUsage: true,
      });
      return { model: provider.chatModel(settings.model), structuredOutputs };
    }
  }
}
