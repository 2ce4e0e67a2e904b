// The operator tells a watch's chats about its incidents: a crashing Deployment on the
// run's sandbox, a watch with a Slack and a generic webhook target whose URLs live in a
// Secret, and a loopback receiver that gets the "detected" message on each, once.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { Operator } from '../../src/operator/operator.ts';
import { createNamespace, deleteNamespace, deployment, eventsFor, testCluster, waitFor } from '../support/cluster.ts';
import { installCrds } from '../support/crds.ts';
import { createWatch, listIncidents } from '../support/gopherguard.ts';

const cluster = testCluster();
let ns: string;
let receiver: Server;
let base: string;
let operator: Operator;
const received: Array<{ path: string; body: Record<string, unknown> }> = [];

before(async () => {
  receiver = createServer((request, response) => {
    let text = '';
    request.setEncoding('utf8').on('data', (chunk: string) => { text += chunk; }).on('end', () => {
      if (request.headers['content-type']?.startsWith('application/json')) received.push({ path: request.url ?? '', body: JSON.parse(text) as Record<string, unknown> });
      response.writeHead(request.url?.startsWith('/services/') ? 200 : 204).end(request.url?.startsWith('/services/') ? 'ok' : undefined);
    });
  });
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  await installCrds(cluster.client);
  ns = await createNamespace(cluster, 'notify');
  await cluster.core.createNamespacedSecret({ namespace: ns, body: { metadata: { name: 'chat' }, stringData: { slack: `${base}/services/T1/B1/secret-part`, hook: `${base}/hook` } } });
  await createWatch(cluster.kubeConfig, ns, 'shop', {
    targets: { workloads: [{ kind: 'Deployment', name: 'cart' }] },
    source: { git: { repo: 'https://git.example.test/a/b.git', forge: 'gitea' } },
    mode: 'observe',
    notifications: [
      { type: 'slack', secretRef: { name: 'chat', key: 'slack' }, events: ['detected'] },
      { type: 'webhook', secretRef: { name: 'chat', key: 'hook' } },
    ],
  });
  operator = new Operator({ client: cluster.client, namespaces: [ns], leaderElection: { enabled: false, namespace: ns, name: 'unused' }, health: { host: '127.0.0.1', port: 0 }, log: () => undefined });
  await operator.start();
});
after(async () => {
  await operator.stop();
  receiver.close();
  await deleteNamespace(cluster, ns);
});

test('a detected incident reaches the watch\'s Slack and webhook once, with the workload and the class', async () => {
  await cluster.apps.createNamespacedDeployment({ namespace: ns, body: deployment({ name: 'cart', annotations: { 'sandbox.gopherguard.dev/crash-exit-code': '2' } }) });
  const incident = await waitFor('the incident', async () => (await listIncidents(cluster.kubeConfig, ns)).find((i) => i.spec.workload.name === 'cart' && i.status?.diagnosis));
  await waitFor('both messages', async () => received.some((r) => r.path.startsWith('/services/')) && received.some((r) => r.path === '/hook'), 30_000);
  // Give a duplicate every chance to arrive.
  await new Promise((resolve) => setTimeout(resolve, 2000));

  const slack = received.filter((r) => r.path.startsWith('/services/'));
  assert.equal(slack.length, 1, 'Slack is told once');
  const blocks = slack[0]?.body.blocks as Array<{ type: string }>;
  assert.ok(Array.isArray(blocks) && blocks.length > 0 && blocks.length <= 50, 'Block Kit blocks within Slack\'s limit');
  assert.match(JSON.stringify(slack[0]?.body), /cart/);
  assert.match(String(slack[0]?.body.text), /CrashLoop/);

  const hooks = received.filter((r) => r.path === '/hook');
  assert.ok(hooks.length >= 1);
  const detected = hooks.find((h) => h.body.event === 'detected');
  assert.ok(detected, `a detected event among ${hooks.map((h) => h.body.event).join(', ')}`);
  assert.match(JSON.stringify(detected.body), new RegExp(incident.metadata.name ?? 'missing'));
  assert.doesNotMatch(JSON.stringify(received.map((r) => r.body)), /secret-part/, 'the webhook URL is never in a message');
  assert.match(await operator.metrics.registry.metrics(), /gopherguard_notifications\{type="slack",result="sent"\} 1/);
});

test('each phase is an Event on the workload and on the watch, for kubectl describe', async () => {
  await waitFor('IncidentDiagnosed on the Deployment', async () => (await eventsFor(cluster, ns, 'cart')).some((e) => e.reason === 'IncidentDiagnosed' && e.involvedObject.kind === 'Deployment'), 30_000);
  const onWatch = await waitFor('both phases on the watch', async () => {
    const events = (await eventsFor(cluster, ns, 'shop')).filter((e) => e.involvedObject.kind === 'AegisWatch');
    return ['IncidentDetected', 'IncidentDiagnosed'].every((r) => events.some((e) => e.reason === r)) ? events : undefined;
  }, 30_000);
  assert.equal(onWatch.find((e) => e.reason === 'IncidentDetected')?.type, 'Warning');
  assert.match(onWatch.find((e) => e.reason === 'IncidentDiagnosed')?.message ?? '', /^CrashLoop of Deployment cart: the rules found: .*\(HealingIncident cart-crashloop-[0-9a-f]{8}\)$/);
});
