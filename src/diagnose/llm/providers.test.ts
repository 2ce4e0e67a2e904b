import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateText } from 'ai';
import { buildModel, MissingApiKeyError, type LlmSettingsValue } from './providers.ts';

const settings = (over: Partial<LlmSettingsValue>): LlmSettingsValue => ({
  provider: 'ollama', model: 'llama3.1', policy: 'fallback', timeoutSeconds: 30, maxTokensPerIncident: 8000, maxTokensPerHour: 100_000, anonymizeNames: false, ...over,
});

test('ollama is an OpenAI-compatible endpoint on localhost:11434 by default, without a key', async () => {
  const urls: string[] = [];
  const fetch = (async (url: string | URL | Request) => {
    urls.push(String(url));
    throw new Error('not really sent');
  }) as typeof globalThis.fetch;
  const { model, structuredOutputs } = buildModel(settings({}), undefined, { fetch });
  assert.equal(structuredOutputs, true);
  await assert.rejects(generateText({ model, prompt: 'hi', maxRetries: 0 }));
  assert.deepEqual(urls, ['http://localhost:11434/v1/chat/completions']);
});

test('cloud providers need the key from the watch, never one from the environment', () => {
  process.env.OPENAI_API_KEY = 'from-the-environment';
  try {
    for (const provider of ['openai', 'groq', 'xai'] as const) assert.throws(() => buildModel(settings({ provider }), undefined), MissingApiKeyError);
  } finally {
    delete process.env.OPENAI_API_KEY;
  }
});
