import assert from 'node:assert/strict';
import { test } from 'node:test';
import { llmDefaultsFromEnv, llmTuningFromEnv } from './defaults.ts';

test('the operator\'s model comes from GOPHERGUARD_LLM_*; nothing without a provider; a bad value names its variable', () => {
  assert.equal(llmDefaultsFromEnv({}), undefined);
  assert.deepEqual(llmDefaultsFromEnv({ GOPHERGUARD_LLM_PROVIDER: 'groq', GOPHERGUARD_LLM_MODEL: 'llama-3.3-70b', GOPHERGUARD_LLM_API_KEY: 'k' })?.apiKey, 'k');
  assert.throws(() => llmDefaultsFromEnv({ GOPHERGUARD_LLM_PROVIDER: 'openai-compatible', GOPHERGUARD_LLM_MODEL: 'm' }), /GOPHERGUARD_LLM.*baseURL/);
});

test('prices per model and the JSON-schema switch come from the environment, checked', () => {
  assert.deepEqual(llmTuningFromEnv({}), {});
  assert.deepEqual(llmTuningFromEnv({ GOPHERGUARD_LLM_PRICES: '{"gpt-4o-mini":{"inputPerMillion":0.15,"outputPerMillion":0.6}}', GOPHERGUARD_LLM_STRUCTURED_OUTPUTS: 'false' }), {
    prices: { 'gpt-4o-mini': { inputPerMillion: 0.15, outputPerMillion: 0.6 } }, structuredOutputs: false,
  });
  assert.throws(() => llmTuningFromEnv({ GOPHERGUARD_LLM_PRICES: 'cheap' }), /GOPHERGUARD_LLM_PRICES is not JSON/);
  assert.throws(() => llmTuningFromEnv({ GOPHERGUARD_LLM_PRICES: '{"m":{"inputPerMillion":-1,"outputPerMillion":1}}' }), /invalid GOPHERGUARD_LLM_PRICES: GOPHERGUARD_LLM_PRICES\.m\.inputPerMillion/);
  assert.throws(() => llmTuningFromEnv({ GOPHERGUARD_LLM_STRUCTURED_OUTPUTS: 'maybe' }), /must be true or false/);
});
