// Diagnosis on the run's sandbox: a detected incident is diagnosed once, by the rules or by
// the watch's model (a loopback OpenAI-compatible server, real HTTP), recorded on the
// incident as a typed action, and no secret from the workload reaches the incident or the
// model.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Diagnosis, HealingIncident } from '../../src/api/healing-incident.ts';
import { Operator } from '../../src/operator/operator.ts';
import { answer, startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai.ts';
import { createNamespace, deleteNamespace, deployment, eventsFor, testCluster, waitFor } from '../support/cluster.ts';
import { installCrds } from '../support/crds.ts';
import { createWatch, listIncidents } from '../support/gopherguard.ts';

const cluster = testCluster();
// A GitHub token someone pasted into an annotation: it is in the pod template, so in the evidence.
const PLANTED = `ghp_${'x7Kq2LmN9pR4sT6vW8yZ1aB3cD5eF0gH2jKl'.slice(0, 36)}`;
let ns: string;
let fake: FakeOpenAI;
let operator: Operator;

before(async () => {
  await installCrds(cluster.client);
  fake = await startFakeOpenAI();
  ns = await createNamespace(cluster, 'diagnose');
  await cluster.core.createNamespacedSecret({ namespace: ns, body: { metadata: { name: 'llm' }, stringData: { apiKey: 'sk-test-from-the-secret' } } });
  const source = { git: { repo: 'https://git.example.test/a/b.git', forge: 'gitea' } };
  await createWatch(cluster.kubeConfig, ns, 'by-rules', { targets: { selector: { matchLabels: { diagnose: 'rules' } } }, source });
  await createWatch(cluster.kubeConfig, ns, 'by-model', {
    targets: { selector: { matchLabels: { diagnose: 'model' } } }, source,
    diagnoser: { engine: 'llm', llm: { provider: 'openai-compatible', model: 'fake-model', baseURL: fake.baseURL, secretRef: { name: 'llm', key: 'apiKey' }, policy: 'always', timeoutSeconds: 10 } },
  });
  operator = new Operator({
    client: cluster.client, namespaces: [ns], leaderElection: { enabled: false, namespace: ns, name: 'unused' },
    health: { host: '127.0.0.1', port: 0 }, log: () => undefined, llm: { retry: { baseDelayMs: 10, maxDelayMs: 50 } },
  });
  await operator.start();
});
after(async () => {
  await operator.stop();
  await fake.close();
  await deleteNamespace(cluster, ns);
});

function labelled(app: ReturnType<typeof deployment>, diagnose: string, annotations: Record<string, string> = {}) {
  app.metadata = { ...app.metadata, labels: { ...app.metadata?.labels, diagnose } };
  const template = app.spec?.template;
  if (template) template.metadata = { ...template.metadata, annotations: { ...template.metadata?.annotations, ...annotations } };
  return app;
}

const diagnosed = (name: string) => waitFor(`${name} diagnosed`, async () =>
  (await listIncidents(cluster.kubeConfig, ns)).find((i) => i.spec.workload.name === name && i.status?.phase === 'Diagnosed'), 90_000);

test('an OOM kill is diagnosed by the rules: raise the limit from its baseline; the planted token is masked in the evidence', async () => {
  const app = labelled(deployment({
    name: 'hungry',
    annotations: { 'sandbox.gopherguard.dev/needs-memory': '200Mi' },
    container: { resources: { limits: { memory: '128Mi' } } },
  }), 'rules', { 'deploy.example/notes': `rotated ${PLANTED} yesterday` });
  await cluster.apps.createNamespacedDeployment({ namespace: ns, body: app });
  const incident: HealingIncident = await diagnosed('hungry');
  const diagnosis = incident.status?.diagnosis;
  assert.equal(diagnosis?.engine, 'rules');
  assert.deepEqual(diagnosis?.action, { type: 'raiseResource', params: { container: 'app', resource: 'memory', field: 'limits', value: '256Mi' } });
  assert.ok((diagnosis?.confidence ?? 0) >= 0.9);
  assert.ok(diagnosis?.witty, 'a witty line from the built-in collection');
  assert.ok(incident.status?.phaseTimestamps?.Diagnosed);
  const stored = JSON.stringify(incident);
  assert.ok(!stored.includes(PLANTED), 'the token never reaches the incident');
  assert.match(incident.status?.evidence?.podTemplate ?? '', /\[REDACTED:github-pat\]/);
  assert.ok((incident.status?.evidence?.redactions ?? 0) >= 1);
  await waitFor('a Diagnosed event', async () => (await eventsFor(cluster, ns, incident.metadata.name ?? '')).some((e) => e.reason === 'Diagnosed'), 30_000);
  assert.equal(fake.requests.length, 0, 'a watch that chose the rules asks no model');
});

test('a watch with a model asks it, with the key from its Secret, and records the answer and its cost; no secret reaches the model', async () => {
  fake.enqueue(answer({
    rootCause: 'DATABASE_URL is required at start and is not set',
    confidence: 0.8,
    summary: 'Restore the DATABASE_URL variable of app',
    witty: 'It cannot find the database because nobody told it where to look.',
    cited: ['required environment variable DATABASE_URL is not set'],
    action: { type: 'restoreEnv', container: 'app', name: 'DATABASE_URL', value: 'postgres://db.shop.svc:5432/shop' },
  }, { prompt_tokens: 2100, completion_tokens: 90 }));
  const app = labelled(deployment({
    name: 'needy',
    annotations: { 'sandbox.gopherguard.dev/requires-env': 'DATABASE_URL' },
  }), 'model', { 'deploy.example/notes': `rotated ${PLANTED} yesterday` });
  await cluster.apps.createNamespacedDeployment({ namespace: ns, body: app });
  const incident = await diagnosed('needy');
  const diagnosis = incident.status?.diagnosis as (Diagnosis & { llm?: { promptTokens: number; completionTokens: number; model: string } }) | undefined;
  assert.equal(diagnosis?.engine, 'llm');
  assert.equal(diagnosis?.action.type, 'restoreEnv');
  assert.equal(diagnosis?.action.params?.name, 'DATABASE_URL');
  assert.deepEqual([diagnosis?.llm?.model, diagnosis?.llm?.promptTokens, diagnosis?.llm?.completionTokens], ['fake-model', 2100, 90]);
  assert.equal(fake.requests.length, 1, 'one incident, one model call');
  const [request] = fake.requests;
  assert.equal(request?.headers.authorization, 'Bearer sk-test-from-the-secret');
  assert.match(request?.promptText ?? '', /DATABASE_URL/, 'the evidence reached the model');
  assert.ok(!JSON.stringify(request?.body).includes(PLANTED), 'the planted token never reaches the model');
  const metrics = await operator.metrics.registry.metrics();
  assert.match(metrics, /gopherguard_model_requests_total\{provider="[a-z-]+",outcome="answered"\} 1/);
  assert.match(metrics, /gopherguard_model_tokens_total\{provider="[a-z-]+",kind="prompt"\} 2100/);
});
