// `gopherguard analyze` as a person runs it, against the run's sandbox with the example
// apps deployed: it names each failing workload, its failure class and why.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import type { V1Deployment } from '@kubernetes/client-node';
import type { Finding } from '../../src/cli/analyze-command.ts';
import { readManifests } from '../../src/sandbox/cluster/apply.ts';
import { answer, startFakeOpenAI } from '../support/fake-openai.ts';
import { containerStatus, createNamespace, deleteNamespace, deployment, testCluster, waitForPod } from '../support/cluster.ts';

const exec = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const cluster = testCluster();
let ns: string;

before(async () => {
  ns = await createNamespace(cluster, 'analyze');
  for (const body of (await readManifests(join(root, 'examples', 'sandbox'))) as V1Deployment[]) {
    await cluster.apps.createNamespacedDeployment({ namespace: ns, body });
  }
  await cluster.apps.createNamespacedDeployment({ namespace: ns, body: deployment({ name: 'fine' }) });
  await waitForPod(cluster, ns, 'jokeservice-oom', 'OOMKilled', (p) => containerStatus(p)?.lastState?.terminated?.reason === 'OOMKilled');
  await waitForPod(cluster, ns, 'jokeservice-noenv', 'restarted', (p) => (containerStatus(p)?.restartCount ?? 0) >= 1);
  await waitForPod(cluster, ns, 'jokeservice-typo', 'pull failing', (p) => Boolean(containerStatus(p)?.state?.waiting));
});
after(async () => { await deleteNamespace(cluster, ns); });

const analyze = (...args: string[]) => exec(process.execPath, ['src/cli/main.ts', 'analyze', '-n', ns, '--kubeconfig', process.env.GOPHERGUARD_TEST_KUBECONFIG ?? '', ...args], { cwd: root });

test('lists each failing workload once with its class and cause, and not the healthy one', async () => {
  const { stdout } = await analyze('-o', 'json');
  const findings = JSON.parse(stdout) as Finding[];
  const byWorkload = Object.fromEntries(findings.map((f) => [f.workload.name, f]));
  assert.equal(byWorkload['jokeservice-oom']?.class, 'OOMKilled');
  assert.equal(byWorkload['jokeservice-oom']?.exitCode, 137);
  assert.equal(byWorkload['jokeservice-noenv']?.class, 'CrashLoop');
  assert.equal(byWorkload['jokeservice-typo']?.class, 'ImagePull');
  assert.equal(byWorkload.fine, undefined);
  assert.equal(new Set(findings.map((f) => `${f.workload.name}/${f.class}`)).size, findings.length, 'no duplicates');

  const table = (await analyze()).stdout;
  assert.match(table.split('\n')[0] ?? '', /^NAMESPACE\s+WORKLOAD\s+CONTAINER\s+FAILURE\s+WHY$/);
  assert.match(table, new RegExp(`${ns}\\s+deployment/jokeservice-oom\\s+app\\s+OOMKilled\\s+OOMKilled, exit 137`));
});

test('--diagnose gives each failure a root cause and a typed remedy action with its parameters', async () => {
  const findings = JSON.parse((await analyze('--diagnose', '-o', 'json')).stdout) as Finding[];
  const byWorkload = Object.fromEntries(findings.map((f) => [f.workload.name, f]));
  assert.deepEqual(byWorkload['jokeservice-oom']?.diagnosis?.action, { type: 'raiseResource', container: 'app', resource: 'memory', field: 'limits', value: '256Mi' });
  assert.equal(byWorkload['jokeservice-oom']?.diagnosis?.engine, 'rules');
  // No earlier revision ran another tag: explained, nothing changed.
  assert.equal(byWorkload['jokeservice-typo']?.diagnosis?.action.type, 'none');
  assert.match(byWorkload['jokeservice-noenv']?.diagnosis?.rootCause ?? '', /DATABASE_URL/);
  for (const f of findings) assert.equal(f.diagnosis?.fallbackReason, undefined, 'no model configured, none expected');

  const text = (await analyze('--diagnose')).stdout;
  assert.match(text, /jokeservice-oom \(app\): OOMKilled\n {2}why: {5}OOMKilled, exit 137/);
  assert.match(text, /action: {2}raiseResource container=app resource=memory field=limits value=256Mi/);
});

test('--diagnose with a model asks it (key from the environment) where the rules are unsure', async () => {
  const fake = await startFakeOpenAI();
  try {
    fake.otherwise = () => answer({
      rootCause: 'the model looked at it', confidence: 0.6, summary: 'explain only', witty: 'Even models need coffee.', cited: [],
      action: { type: 'none', reason: 'a person should look' },
    });
    const { stdout } = await exec(process.execPath, [
      'src/cli/main.ts', 'analyze', '-n', ns, '--kubeconfig', process.env.GOPHERGUARD_TEST_KUBECONFIG ?? '', '-o', 'json',
      '--diagnose', '--llm-provider', 'openai-compatible', '--llm-model', 'fake-model', '--llm-base-url', fake.baseURL,
    ], { cwd: root, env: { ...process.env, GOPHERGUARD_LLM_API_KEY: 'sk-from-env' } });
    const findings = JSON.parse(stdout) as Finding[];
    const byWorkload = Object.fromEntries(findings.map((f) => [f.workload.name, f]));
    assert.equal(byWorkload['jokeservice-oom']?.diagnosis?.engine, 'rules', 'sure rules: no model');
    assert.equal(byWorkload['jokeservice-typo']?.diagnosis?.engine, 'llm', 'unsure rules: the model');
    assert.ok(fake.requests.length >= 1);
    assert.ok(fake.requests.every((r) => r.headers.authorization === 'Bearer sk-from-env'));
  } finally {
    await fake.close();
  }
  await assert.rejects(analyze('--llm-provider', 'groq'), (e: { code?: number; stderr?: string }) => e.code === 2 && /need --diagnose/.test(e.stderr ?? ''));
});

test('a bad output format is a usage error with exit code 2', async () => {
  await assert.rejects(analyze('-o', 'yaml'), (e: { code?: number; stderr?: string }) => e.code === 2 && /-o must be table or json/.test(e.stderr ?? ''));
});
