// No secret reaches the wire: every format of the redaction corpus is planted in benign
// logs, in the evidence's events and in the pod template (env values and annotations),
// the real diagnoser with the real redactor asks a model over real HTTP (a loopback
// OpenAI-compatible server), and every captured request is searched for the secrets.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { V1PodTemplateSpec } from '@kubernetes/client-node';
import { createLlmDiagnoser, toIncidentDiagnosis } from '../../src/diagnose/llm/index.ts';
import type { RuleDiagnosis } from '../../src/diagnose/rule-diagnosis.ts';
import { Redactor } from '../../src/redact/index.ts';
import { plantAll } from '../fixtures/redaction/secret-corpus.ts';
import { answer, startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai.ts';

const benign = readFileSync(new URL('../fixtures/redaction/benign.log', import.meta.url), 'utf8').split('\n');
const unsure: RuleDiagnosis = { rootCause: 'the container exits at start', confidence: 0.3, cited: [], action: { type: 'none', reason: 'no manifest fix is known' } };
let fake: FakeOpenAI;

before(async () => {
  fake = await startFakeOpenAI();
  fake.otherwise = () => answer({
    rootCause: 'the app cannot reach its database', confidence: 0.6, summary: 'explain only', witty: 'It keeps knocking on a door nobody opens.', cited: [],
    action: { type: 'none', reason: 'check the database endpoint' },
  });
});
after(() => fake.close());

test('none of 40+ planted secret formats reaches any request to the model, or the recorded diagnosis', async () => {
  const planted = plantAll(20261126);
  assert.ok(new Set(planted.map((p) => p.format)).size >= 40, `at least 40 formats (${planted.length})`);
  const redactor = new Redactor();
  const diagnoser = createLlmDiagnoser({ redact: (text) => redactor.redactText(text), retry: { baseDelayMs: 10, maxDelayMs: 50 } });
  const recorded: string[] = [];
  for (const [i, p] of planted.entries()) {
    const firstLine = p.text.split('\n')[0] ?? '';
    const logs = [...benign.slice(0, 6), ...p.text.split('\n'), ...benign.slice(6, 12), `FATAL exiting after error #${i}`].join('\n');
    const template: V1PodTemplateSpec = {
      metadata: { annotations: { 'deploy.example/notes': firstLine } },
      spec: { containers: [{ name: 'app', image: 'ghcr.io/acme/orders:2.4.1', env: [{ name: 'UPSTREAM', value: firstLine }, { name: 'API_TOKEN', value: p.secrets[0] ?? '' }] }] },
    };
    const result = await diagnoser.diagnose({
      fingerprint: `f${i}`.padEnd(16, '0'), signalClass: 'CrashLoop', container: 'app', template, logs, rules: unsure, rulesOnly: false,
      evidence: { summary: `CrashLoop in container app: ${firstLine}`.slice(0, 4096), events: [{ reason: 'BackOff', message: firstLine.slice(0, 512), count: 3, lastSeen: '2026-11-26T08:00:00Z' }] },
      llm: { provider: 'openai-compatible', model: 'fake-model', baseURL: fake.baseURL, policy: 'always', timeoutSeconds: 10, maxTokensPerIncident: 1_000_000, maxTokensPerHour: 100_000_000, anonymizeNames: false },
      apiKey: 'sk-test',
    });
    assert.equal(result.engine, 'llm', `${p.format}: the model was asked`);
    assert.ok((result.redactions ?? 0) >= 1, `${p.format}: something was redacted`);
    recorded.push(JSON.stringify(toIncidentDiagnosis(result)));
  }
  // Evidence that is identical once redacted is answered from the cache: fewer requests than formats.
  assert.ok(fake.requests.length > 0 && fake.requests.length <= planted.length);
  const leaks: string[] = [];
  for (const p of planted) {
    for (const secret of p.secrets) {
      if (fake.requests.some((r) => JSON.stringify(r.body).includes(secret) || JSON.stringify(r.headers).includes(secret))) leaks.push(`${p.format} (request)`);
      if (recorded.some((d) => d.includes(secret))) leaks.push(`${p.format} (diagnosis)`);
    }
  }
  assert.deepEqual(leaks, []);
});
