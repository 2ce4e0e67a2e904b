// Prompt size: the diagnoser's prompt (compressed logs, class-relevant spec, spotlighted)
// against a naive one (whole logs and the whole pod template as JSON), per fault scenario,
// in estimated tokens (src/diagnose/llm/tokens.ts: chars/4, each datamark one more token):
// first on synthetic scenarios with 64 KiB of logs, then on the sandbox's captured evidence.
// Then a flood: 100 identical crash diagnoses of one workload against a loopback
// OpenAI-compatible server, counting the model calls the cache lets through.
//
// Usage: npm run bench -- prompt-tokens [--flood 100]
// Goals (the diagnosis issue): median prompt <= 3k tokens and >= 5x smaller than naive; 1 call per flood.
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { ANSWER_JSON_SCHEMA } from '../src/diagnose/llm/answer.ts';
import { createLlmDiagnoser } from '../src/diagnose/llm/index.ts';
import { buildPrompt, systemPrompt } from '../src/diagnose/llm/prompt.ts';
import { estimateTokens } from '../src/diagnose/llm/tokens.ts';
import { answer, startFakeOpenAI } from '../test/support/fake-openai.ts';
import { capturedScenarios, scenarios, type Scenario } from './prompt-tokens.scenarios.ts';
import { median, printTable } from './table.ts';

const { values } = parseArgs({ options: { flood: { type: 'string', default: '100' } } });
const floodSize = Number(values.flood);
if (!Number.isInteger(floodSize) || floodSize < 1) throw new Error(`--flood must be a positive integer, got ${values.flood}`);

const identity = (text: string) => ({ text, count: 0 });
// Sent with every request in JSON-schema mode, so it counts on both sides.
const schemaTokens = estimateTokens(JSON.stringify(ANSWER_JSON_SCHEMA));

/** What a first attempt would send: the same instructions, then everything there is. */
function naiveTokens(s: Scenario): number {
  const user = `Diagnose this incident (${s.signalClass}).\nEvidence: ${JSON.stringify(s.evidence)}\nLogs:\n${s.logs}\nPod spec: ${JSON.stringify(s.template)}\nRules: ${JSON.stringify(s.rules)}`;
  return estimateTokens(systemPrompt(false)) + estimateTokens(user) + schemaTokens;
}

/** One table of prompt sizes, ours against naive, with the medians; returns the medians. */
function promptTable(title: string, list: Scenario[]): { ours: number; naive: number } {
  const rows: Array<Array<string | number>> = [];
  const ours: number[] = [];
  const naive: number[] = [];
  for (const s of list) {
    const started = performance.now();
    const prompt = buildPrompt(s, { redact: identity, boundaryId: '0123456789ab', schemaInPrompt: false });
    const buildMs = performance.now() - started;
    const logTokens = estimateTokens(prompt.blocks.logs ?? '');
    const n = naiveTokens(s);
    ours.push(prompt.estimatedTokens);
    naive.push(n);
    rows.push([s.name, (s.logs.length / 1024).toFixed(s.logs.length < 10 * 1024 ? 1 : 0), n, prompt.estimatedTokens, logTokens, (n / prompt.estimatedTokens).toFixed(1), buildMs.toFixed(1)]);
  }
  const med = { ours: median(ours), naive: median(naive) };
  rows.push(['median', '', med.naive, med.ours, '', (med.naive / med.ours).toFixed(1), '']);
  printTable(title, ['scenario', 'log KiB', 'naive', 'ours', 'ours: logs', 'naive/ours', 'build ms'], rows);
  return med;
}

const synthetic = promptTable('Prompt tokens per diagnosis (estimated: chars/4, datamarks 1 each; system prompt and JSON schema included)', scenarios());
console.log(`goal: median <= 3000 tokens: ${synthetic.ours <= 3000 ? 'met' : 'MISSED'} (${synthetic.ours}); >= 5x smaller: ${synthetic.naive / synthetic.ours >= 5 ? 'met' : 'MISSED'} (${(synthetic.naive / synthetic.ours).toFixed(1)}x)`);
// The sandbox's simulated pods print a few lines: these show a prompt's fixed cost.
promptTable('Prompt tokens from the evidence the tier-2 sandbox captured (test/fixtures/sandbox; short simulated logs)', capturedScenarios());

// The flood: one workload's pods crash at once and each is diagnosed; the evidence differs
// only in what the signature normalizes away (pod names, restart counts, times).
const fake = await startFakeOpenAI();
try {
  const crash = scenarios().find((s) => s.name === 'crash loop (Java)') as Scenario;
  fake.otherwise = () => answer({ rootCause: 'the database rejects the password of user shop', confidence: 0.8, summary: 'Database password rejected', witty: '', cited: [], action: { type: 'none', reason: 'fix the shop-db Secret' } });
  const diagnoser = createLlmDiagnoser();
  const llm = { provider: 'openai-compatible' as const, model: 'bench-model', baseURL: fake.baseURL, policy: 'fallback' as const, timeoutSeconds: 30, maxTokensPerIncident: 8000, maxTokensPerHour: 1_000_000, anonymizeNames: false };
  const started = performance.now();
  const results = await Promise.all(
    Array.from({ length: floodSize }, (_, i) =>
      diagnoser.diagnose({
        fingerprint: 'f00dfeedf00dfeed', signalClass: crash.signalClass, container: crash.container, logs: crash.logs, template: crash.template, rules: crash.rules, llm,
        evidence: { ...crash.evidence, summary: crash.evidence.summary.replace('xk2p9', `p${String(i).padStart(4, '0')}`).replace('9 restarts', `${9 + (i % 5)} restarts`), restartCount: 9 + (i % 5) },
      }),
    ),
  );
  const elapsed = performance.now() - started;
  const fromModel = results.filter((r) => r.engine === 'llm').length;
  printTable(`Flood: ${floodSize} identical crash diagnoses of one workload`, ['diagnoses', 'answered by the model', 'model calls', 'goal', 'elapsed ms'], [
    [floodSize, fromModel, fake.requests.length, 1, elapsed.toFixed(0)],
  ]);
} finally {
  await fake.close();
}
