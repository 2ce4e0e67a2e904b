// The tier-3 sandbox's real Prometheus and Alertmanager, fed by the behaviour controller's
// metrics exporter: a release's error rate shows through PromQL, a fix in the Deployment
// changes what the new pod reports, and the HighErrorRate alert goes from Prometheus through
// Alertmanager to a webhook, as it would in a real cluster; the other three alerts fire too.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setAlertReceiver } from '../../src/sandbox/cluster/observability.ts';
import { JOKE_IMAGE, createNamespace, deleteNamespace, deployment, isReady, testCluster, waitFor, waitForPod, type TestCluster } from '../support/cluster.ts';
import { alertmanagerAlerts, promQuery, startWebhookSink, testObservability, type WebhookSink } from '../support/observability.ts';

/** 30 % of its requests fail (sandbox/registry.json). */
const BUGGY_IMAGE = 'ghcr.io/gopherguard/jokeservice:1.5.0';

const cluster: TestCluster = testCluster();
const { prometheusUrl, alertmanagerUrl, sandboxDir } = testObservability();
let ns: string;
let sink: WebhookSink | undefined;

before(async () => { ns = await createNamespace(cluster, 'observability'); });
after(async () => {
  await setAlertReceiver(sandboxDir, undefined);
  await sink?.close();
  await deleteNamespace(cluster, ns);
});

/** Each pod's share of 5xx answers over the last 30 s, by pod name. */
async function errorRatios(): Promise<Map<string, number>> {
  const rate = (selector: string) => `sum by (pod) (rate(http_requests_total{${selector}}[30s]))`;
  const samples = await promQuery(prometheusUrl, `${rate(`namespace="${ns}",code=~"5.."`)} / ${rate(`namespace="${ns}"`)}`);
  return new Map(samples.map((s) => [s.metric.pod ?? '', s.value]));
}

async function readyPod(app: string): Promise<string> {
  const pod = await waitForPod(cluster, ns, app, 'Ready', (p) => isReady(p));
  return pod.metadata?.name ?? '';
}

describe('error rates through PromQL', () => {
  let buggyPod: string;

  test('a release that fails 30 % of its requests shows a ratio near 0.3, a good one 0', async () => {
    await cluster.apps.createNamespacedDeployment({ namespace: ns, body: deployment({ name: 'buggy', image: BUGGY_IMAGE }) });
    await cluster.apps.createNamespacedDeployment({ namespace: ns, body: deployment({ name: 'stable' }) });
    buggyPod = await readyPod('buggy');
    const stablePod = await readyPod('stable');
    const ratios = await waitFor('both pods\' error ratios in Prometheus', async () => {
      const r = await errorRatios();
      return r.has(buggyPod) && r.has(stablePod) && Math.abs((r.get(buggyPod) ?? 0) - 0.3) < 0.05 ? r : undefined;
    }, 60_000);
    assert.equal(ratios.get(stablePod), 0);
  });

  test('the Deployment rolled back to 1.0.0 (the fix) makes a new pod whose ratio is 0', async () => {
    const current = await cluster.apps.readNamespacedDeployment({ name: 'buggy', namespace: ns });
    const container = current.spec?.template.spec?.containers[0];
    assert.ok(container);
    container.image = JOKE_IMAGE;
    await cluster.apps.replaceNamespacedDeployment({ name: 'buggy', namespace: ns, body: current });
    const fixed = await waitForPod(cluster, ns, 'buggy', 'a new pod Ready on 1.0.0', (p) => (
      p.metadata?.name !== buggyPod && p.spec?.containers[0]?.image === JOKE_IMAGE && isReady(p)));
    const fixedPod = fixed.metadata?.name ?? '';
    await waitFor('the new pod\'s error ratio in Prometheus', async () => (await errorRatios()).get(fixedPod) === 0, 60_000);
  });
});

test('a container that needs more CPU than its limit is throttled in proportion', async () => {
  await cluster.apps.createNamespacedDeployment({
    namespace: ns,
    body: deployment({
      name: 'throttled',
      annotations: { 'sandbox.gopherguard.dev/needs-cpu': '500m' },
      container: { resources: { requests: { cpu: '100m' }, limits: { cpu: '250m' } } },
    }),
  });
  const pod = await readyPod('throttled');
  const rate = (metric: string) => `sum by (container) (rate(${metric}{namespace="${ns}",pod="${pod}"}[30s]))`;
  const expr = `${rate('container_cpu_cfs_throttled_periods_total')} / ${rate('container_cpu_cfs_periods_total')}`;
  const [sample] = await waitFor('the throttled share in Prometheus', async () => {
    const samples = await promQuery(prometheusUrl, expr);
    return samples.length === 1 && Math.abs((samples[0]?.value ?? 0) - 0.5) < 0.05 ? samples : undefined;
  }, 60_000);
  assert.equal(sample?.metric.container, 'app');
});

test('HighErrorRate goes from Prometheus to Alertmanager and out through its webhook', async () => {
  sink = await startWebhookSink();
  const token = 'sandbox-webhook-token';
  await setAlertReceiver(sandboxDir, { url: sink.url, token });
  await cluster.apps.createNamespacedDeployment({ namespace: ns, body: deployment({ name: 'alerting', image: BUGGY_IMAGE }) });
  const pod = await readyPod('alerting');

  const alert = await waitFor('HighErrorRate in Alertmanager', async () => (await alertmanagerAlerts(alertmanagerUrl)).find((a) => (
    a.labels.alertname === 'HighErrorRate' && a.labels.namespace === ns && a.labels.pod === pod)), 90_000);
  assert.equal(alert.status.state, 'active');
  assert.deepEqual([alert.labels.signal_class, alert.labels.severity], ['ErrorRate', 'warning']);
  // About 30 %: a rate over a window of 2 s scrapes can land a hair either side of it.
  const share = new RegExp(`${ns}/${pod} answers (\\d+(\\.\\d+)?)% of its requests with 5xx`).exec(alert.annotations.summary ?? '');
  assert.ok(share, `summary: ${alert.annotations.summary}`);
  assert.ok(Number(share[1]) > 25 && Number(share[1]) < 35, `summary: ${alert.annotations.summary}`);

  const hook = await waitFor('the webhook POST', async () => sink?.received.find((r) => (
    r.body.alerts.some((a) => a.labels.alertname === 'HighErrorRate' && a.labels.pod === pod))), 30_000);
  assert.equal(hook.headers.authorization, `Bearer ${token}`);
  assert.deepEqual([hook.body.version, hook.body.status, hook.body.receiver], ['4', 'firing', 'sandbox']);
  assert.deepEqual(hook.body.groupLabels, { alertname: 'HighErrorRate', namespace: ns, pod });
  const firing = hook.body.alerts.find((a) => a.labels.pod === pod);
  assert.equal(firing?.status, 'firing');
  assert.deepEqual([firing?.labels.namespace, firing?.labels.signal_class], [ns, 'ErrorRate']);
});

test('HighLatency, CpuThrottling and MemoryNearLimit fire in Alertmanager for a slow, starved pod near its memory limit', async () => {
  await cluster.apps.createNamespacedDeployment({
    namespace: ns,
    body: deployment({
      // 1.4.0 takes 1.5 s per request (sandbox/registry.json).
      name: 'struggling', image: 'ghcr.io/gopherguard/jokeservice:1.4.0',
      annotations: { 'sandbox.gopherguard.dev/needs-cpu': '500m', 'sandbox.gopherguard.dev/uses-memory': '120Mi' },
      container: { resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '250m', memory: '128Mi' } } },
    }),
  });
  const pod = await readyPod('struggling');
  const wanted = { HighLatency: 'Latency', CpuThrottling: 'CpuThrottling', MemoryNearLimit: 'MemorySaturation' };
  const alerts = await waitFor('the three alerts active in Alertmanager', async () => {
    const mine = (await alertmanagerAlerts(alertmanagerUrl)).filter((a) => a.labels.namespace === ns && a.labels.pod === pod && a.status.state === 'active');
    const byName = new Map(mine.map((a) => [a.labels.alertname ?? '', a]));
    return Object.keys(wanted).every((name) => byName.has(name)) ? byName : undefined;
  }, 90_000);
  for (const [name, signalClass] of Object.entries(wanted)) assert.equal(alerts.get(name)?.labels.signal_class, signalClass, name);
  assert.match(alerts.get('HighLatency')?.annotations.summary ?? '', new RegExp(`${ns}/${pod} answers in \\d+(\\.\\d+)?s at the 95th percentile`));
  // Needs 500m of a 250m limit: throttled in about half of its periods.
  const throttled = /throttled in (\d+(\.\d+)?)% of its CPU periods/.exec(alerts.get('CpuThrottling')?.annotations.summary ?? '');
  assert.ok(throttled && Number(throttled[1]) > 40 && Number(throttled[1]) < 60, alerts.get('CpuThrottling')?.annotations.summary);
  assert.equal(alerts.get('CpuThrottling')?.labels.container, 'app');
  // 120Mi of 128Mi.
  assert.match(alerts.get('MemoryNearLimit')?.annotations.summary ?? '', /uses 93\.\d+% of its memory limit/);
});
