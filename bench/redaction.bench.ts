// Redaction time per 64 KiB of logs (the S3 goal: <= 100 ms per 64 KB), plus the one-off
// cost of reading and compiling the rule set. Logs are the benign fixture lines in a
// seeded order, with 0, 5 or 35 fake secrets planted (35 is S3's density, one secret per
// 20 lines); the last row is the worst case, a log of nothing but key-value pairs.
// Usage: npm run bench -- redaction [--runs 30]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { defaultRuleSet, Redactor } from '../src/redact/index.ts';
import { createRng, plantAll, type PlantedSecret } from '../test/fixtures/redaction/secret-corpus.ts';
import { percentile, printTable } from './table.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '30' } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 20) throw new Error(`--runs must be an integer >= 20, got ${values.runs}`);

const SIZE = 64 * 1024;
// Without the Set-Cookie line, which is redacted by design: "no secrets" then means none.
const benign = readFileSync(new URL('../test/fixtures/redaction/benign.log', import.meta.url), 'utf8').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('Set-Cookie:'));

/** About 64 KiB of log lines in a seeded order, with `secrets` planted evenly among them. */
function log(secrets: PlantedSecret[], seed: number): string {
  const rng = createRng(seed);
  const lines: string[] = [];
  let length = secrets.reduce((n, s) => n + s.text.length + 1, 0);
  while (length < SIZE) {
    const line = benign[Math.floor(rng.next() * benign.length)] ?? '';
    lines.push(line);
    length += line.length + 1;
  }
  const every = Math.floor(lines.length / (secrets.length + 1));
  secrets.forEach((s, i) => lines.splice((i + 1) * every + i, 0, s.text));
  return lines.join('\n');
}

const loadStarted = performance.now();
const ruleSet = defaultRuleSet();
const loadMs = performance.now() - loadStarted;
const redactor = new Redactor({ timeBudgetMs: Infinity });

const planted = plantAll(42);
const pick = (n: number) => planted.filter((_, i) => i % Math.floor(planted.length / n) === 0).slice(0, n);
const cases: Array<[string, string]> = [
  ['logs, no secrets', log([], 1)],
  ['logs, 5 planted secrets', log(pick(5), 2)],
  ['logs, 35 planted secrets', log(pick(35), 3)],
  ['worst case: key-value pairs only', 'api_key = "x"; token=y '.repeat(SIZE / 23 + 1).slice(0, SIZE)],
];
// A benchmark of a redactor that leaks would be pointless: check once before timing.
for (const p of planted) {
  const out = redactor.redactText(p.text).text;
  if (p.secrets.some((s) => out.includes(s))) throw new Error(`planted ${p.format} survived redaction`);
}

const rows: Array<Array<string | number>> = [];
for (const [label, text] of cases) {
  for (let i = 0; i < 3; i += 1) redactor.redactText(text); // warm-up: JIT and re2js' lazy DFA states
  const times: number[] = [];
  let count = 0;
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    count = redactor.redactText(text).count;
    times.push(performance.now() - started);
  }
  const p50 = percentile(times, 50);
  rows.push([label, `${(text.length / 1024).toFixed(0)} KiB`, runs, p50.toFixed(1), percentile(times, 95).toFixed(1), Math.max(...times).toFixed(1), (text.length / 1024 / 1024 / (p50 / 1000)).toFixed(2), count]);
}
printTable('Redaction time per 64 KiB of logs', ['input', 'size', 'runs', 'median ms', 'p95 ms', 'max ms', 'MiB/s at median', 'redactions'], rows);
const gitleaks = ruleSet.rules.filter((r) => r.source === 'gitleaks').length;
console.log(`\none-off rule load (read + parse TOML + compile with re2js): ${loadMs.toFixed(0)} ms, of which compile ${ruleSet.compileMs.toFixed(0)} ms; ${gitleaks} gitleaks + ${ruleSet.rules.length - gitleaks} own rules compiled, ${ruleSet.skipped.length} skipped (${ruleSet.skipped.map((s) => s.id).join(', ')})`);
