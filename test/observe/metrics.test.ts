// Metric-driven detection against the run's real Prometheus and Alertmanager (tier-3
// sandbox), which scrape the simulated pods through the sandbox's metrics exporter: a buggy
// tag's 5xx become one ErrorRate incident with its series and rollouts; an Alertmanager
// alert reaches the operator's webhook and becomes an incident, and its resolution closes
// it; a Prometheus that is away is a condition on the watch, never a crash.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { AegisWatch } from '../../src/api/aegis-watch.ts';
import type { HealingIncident } from '../../src/api/healing-incident.ts';
import { Operator } from '../../src/operator/operator.ts';
import { setAlertReceiver } from '../../src/sandbox/cluster/observability.ts';
import { createNamespace, deleteNamespace, deployment, testCluster, waitFor } from '../support/cluster.ts';
import { installCrds } from '../support/crds.ts';
import { createWatch, listIncidents } from '../support/gopherguard.ts';
import { testObservability } from '../support/observability.ts';

const cluster = testCluster();
const observability = testObservability();
const BUGGY = 'ghcr.io/gopherguard/jokeservice:1.5.0';
const GOOD = 'ghcr.io/gopherguard/jokeservice:1.0.0';
const namespaces: string[] = [];
const operators: Operator[] = [];
const logs: string[] = [];
// Sandbox-short windows: Prometheus scrapes the exporter every 2 s.
const FAST = { intervalSeconds: 5, rateWindowSeconds: 10, builtIn: { errorRate: { forSeconds: 8 }, latency: { enabled: false }, cpuThrottling: { enabled: false }, memorySaturation: { enabled: false } } };

async function operatorFor(namespace: string, extra: Partial<ConstructorParameters<typeof Operator>[0]> = {}): Promise<Operator> {
  const operator = new Operator({
    client: cluster.client, namespaces: [namespace], leaderElection: { enabled: false, namespace, name: 'unused' },
    health: { host: '127.0.0.1', port: 0 }, log: (level, message, fields) => void logs.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`),
    ...extra,
  });
  operators.push(operator);
  await operator.start();
  return operator;
}

async function watchOf(namespace: string, name: string): Promise<AegisWatch> {
  return cluster.client.get<AegisWatch>(`/apis/gopherguard.dev/v1alpha1/namespaces/${namespace}/aegiswatches/${name}`);
}

/**
 * A fresh namespace with the Deployment "web" and an observe-mode watch on it (its Git is
 * never written to), plus whatever the test adds to the watch's spec: the namespace.
 */
async function guardedWeb(prefix: string, web: Omit<Parameters<typeof deployment>[0], 'name'>, watch: (ns: string) => Record<string, unknown> = () => ({})): Promise<string> {
  const ns = await createNamespace(cluster, prefix);
  namespaces.push(ns);
  await cluster.apps.createNamespacedDeployment({ namespace: ns, body: deployment({ name: 'web', ...web }) });
  await createWatch(cluster.kubeConfig, ns, 'web', {
    targets: { workloads: [{ kind: 'Deployment', name: 'web' }] }, source: { git: { repo: 'http://127.0.0.1:1/a/b.git', forge: 'gitea' } }, mode: 'observe',
    ...watch(ns),
  });
  return ns;
}

const condition = (watch: AegisWatch, type: string) => watch.status?.conditions?.find((c) => c.type === type);
const explain = () => `operator log:\n${logs.slice(-20).join('\n')}`;

before(async () => {
  await installCrds(cluster.client);
});
after(async () => {
  await setAlertReceiver(observability.sandboxDir, undefined).catch(() => undefined);
  for (const operator of operators) await operator.stop().catch(() => undefined);
  for (const namespace of namespaces) await deleteNamespace(cluster, namespace);
});

test('a buggy tag\'s 5xx in Prometheus become one ErrorRate incident, with the series and the rollout that began it', async () => {
  const ns = await guardedWeb('metrics', { image: GOOD }, () => ({ metrics: FAST }));
  await operatorFor(ns, { prometheus: { url: observability.prometheusUrl } });
  await waitFor('the watch to query Prometheus', async () => condition(await watchOf(ns, 'web'), 'MetricsAvailable')?.status === 'True', 30_000);
  assert.match(condition(await watchOf(ns, 'web'), 'MetricsAvailable')?.message ?? '', /1 rule evaluated against http:\/\/127\.0\.0\.1:\d+: nothing fires/);

  // The release: the pods start, pass their probes, and answer 30 % of requests with 500.
  await cluster.apps.patchNamespacedDeployment({ name: 'web', namespace: ns, body: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: BUGGY }] });
  const incident = await waitFor('an ErrorRate incident', async () => (await listIncidents(cluster.kubeConfig, ns)).find((i) => i.spec.signalClass === 'ErrorRate' && i.status?.diagnosis), 120_000)
    .catch((error: unknown) => assert.fail(`${String(error)}\n${explain()}`));
  assert.deepEqual(incident.spec.workload, { kind: 'Deployment', namespace: ns, name: 'web' });
  const evidence = incident.status?.evidence;
  assert.equal(evidence?.metric?.source, 'prometheus');
  assert.equal(evidence?.metric?.rule, 'error-rate');
  assert.ok((evidence?.metric?.value ?? 0) > 0.2 && (evidence?.metric?.value ?? 1) < 0.4, `the ratio is about 30 %: ${evidence?.metric?.value}`);
  assert.ok((evidence?.metric?.points?.length ?? 0) >= 3, 'a series for the sparkline');
  assert.deepEqual(evidence?.rollouts?.map((r) => r.image), [GOOD, BUGGY], 'both revisions, oldest first');
  assert.match(evidence?.summary ?? '', /ErrorRate: rule error-rate at \d+(\.\d)? % > 5 % for 8 s \(pod web-/);
  // The rules connect it to the rollout and put the good tag back.
  assert.deepEqual(incident.status?.diagnosis?.action, { type: 'setImageTag', params: { container: 'app', tag: '1.0.0' } });
  assert.equal((await listIncidents(cluster.kubeConfig, ns)).length, 1, 'one incident, however many rounds saw it');
});

test('a Prometheus that is away is MetricsAvailable=False with the reason, the watch stays Ready, and it recovers', async () => {
  const ns = await guardedWeb('promdown', { image: GOOD }, () => ({ metrics: { ...FAST, prometheus: { url: 'http://127.0.0.1:9/', timeoutSeconds: 2 } } }));
  const operator = await operatorFor(ns);
  const down = await waitFor('MetricsAvailable=False', async () => {
    const c = condition(await watchOf(ns, 'web'), 'MetricsAvailable');
    return c?.status === 'False' ? c : undefined;
  }, 30_000);
  assert.equal(down.reason, 'MetricsUnavailable');
  assert.match(down.message, /metrics unavailable: rule error-rate: Prometheus at http:\/\/127\.0\.0\.1:9 is unreachable/);
  await waitFor('Ready=True all the same', async () => condition(await watchOf(ns, 'web'), 'Ready')?.status === 'True', 30_000);
  assert.ok(operator.isLeader(), 'the operator runs on');

  await cluster.client.mergePatch(`/apis/gopherguard.dev/v1alpha1/namespaces/${ns}/aegiswatches/web`, { spec: { metrics: { prometheus: { url: observability.prometheusUrl } } } });
  await waitFor('MetricsAvailable=True once Prometheus answers', async () => condition(await watchOf(ns, 'web'), 'MetricsAvailable')?.status === 'True', 30_000);
});

test('an Alertmanager alert reaches the webhook (with its token) and becomes an incident; its resolution closes it', async () => {
  // No metric rules of its own: what it learns here comes from Alertmanager alone.
  const ns = await guardedWeb('alerts', { image: GOOD });
  const operator = await operatorFor(ns, { alerts: { host: '127.0.0.1', port: 0, token: 'shared-secret' } });
  await setAlertReceiver(observability.sandboxDir, { url: `http://127.0.0.1:${operator.alertsPort}/webhooks/alertmanager`, token: 'shared-secret' });

  await cluster.apps.patchNamespacedDeployment({ name: 'web', namespace: ns, body: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: BUGGY }] });
  // The sandbox's HighErrorRate rule (sandbox/prometheus/alert-rules.yaml) fires after its `for`,
  // Alertmanager groups it and POSTs it to the operator.
  const incident: HealingIncident = await waitFor('an incident from the alert', async () => (await listIncidents(cluster.kubeConfig, ns)).find((i) => i.status?.evidence?.metric?.source === 'alertmanager'), 150_000)
    .catch((error: unknown) => assert.fail(`${String(error)}\n${explain()}`));
  assert.equal(incident.spec.signalClass, 'ErrorRate');
  assert.equal(incident.status?.evidence?.metric?.rule, 'HighErrorRate');
  assert.match(incident.status?.evidence?.metric?.pod ?? '', /^web-/);
  assert.match(incident.status?.evidence?.summary ?? '', /Alertmanager alert HighErrorRate firing since/);

  // The good tag back (by hand here): the buggy pod goes, the alert resolves, and
  // Alertmanager's resolved notification closes the incident nobody acted on.
  await cluster.apps.patchNamespacedDeployment({ name: 'web', namespace: ns, body: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: GOOD }] });
  const resolved = await waitFor('the incident Resolved', async () => {
    const found = (await listIncidents(cluster.kubeConfig, ns)).find((i) => i.metadata.name === incident.metadata.name);
    return found?.status?.phase === 'Resolved' ? found : undefined;
  }, 150_000).catch((error: unknown) => assert.fail(`${String(error)}\n${explain()}`));
  assert.match(resolved.status?.message ?? '', /Alertmanager reports HighErrorRate resolved/);
});

test('a starved CPU, memory near its limit and a rule of the watch\'s own each become their incident, with the fix in bounds', async () => {
  const ns = await guardedWeb('starved', {
    image: BUGGY,
    // The app needs twice its CPU limit, and its working set is 120Mi of a 128Mi limit.
    annotations: { 'sandbox.gopherguard.dev/needs-cpu': '500m', 'sandbox.gopherguard.dev/uses-memory': '120Mi' },
    container: { resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '250m', memory: '128Mi' } } },
  }, (namespace) => ({
    metrics: {
      intervalSeconds: 5, rateWindowSeconds: 10,
      builtIn: { errorRate: { enabled: false }, latency: { enabled: false }, cpuThrottling: { forSeconds: 8 }, memorySaturation: { forSeconds: 8 } },
      rules: [
        { name: 'server-errors', expr: 'sum by (namespace, pod) (rate(http_requests_total{code="500"}[10s]))', threshold: 1, forSeconds: 8, class: 'ServerErrors' },
        // Answers, but its one series has lost the labels that name a workload.
        { name: 'all-errors', expr: `sum(rate(http_requests_total{namespace="${namespace}",code="500"}[10s]))`, threshold: 1, forSeconds: 8, class: 'AllErrors' },
      ],
    },
  }));
  await operatorFor(ns, { prometheus: { url: observability.prometheusUrl } });
  const incidents = await waitFor('three diagnosed incidents', async () => {
    const all = (await listIncidents(cluster.kubeConfig, ns)).filter((i) => i.status?.diagnosis);
    return all.length >= 3 ? all : undefined;
  }, 120_000).catch((error: unknown) => assert.fail(`${String(error)}\n${explain()}`));
  const byClass = new Map(incidents.map((i) => [i.spec.customClass ?? i.spec.signalClass, i]));
  assert.deepEqual([...byClass.keys()].sort(), ['CpuThrottling', 'MemorySaturation', 'ServerErrors']);
  assert.deepEqual(byClass.get('CpuThrottling')?.status?.diagnosis?.action, { type: 'raiseResource', params: { container: 'app', resource: 'cpu', field: 'limits', value: '500m' } });
  assert.equal(byClass.get('CpuThrottling')?.spec.container, 'app', 'cAdvisor series name the container');
  assert.deepEqual(byClass.get('MemorySaturation')?.status?.diagnosis?.action, { type: 'raiseResource', params: { container: 'app', resource: 'memory', field: 'limits', value: '192Mi' } });
  const custom = byClass.get('ServerErrors');
  assert.equal(custom?.spec.signalClass, 'Custom');
  assert.match(custom?.metadata.name ?? '', /^web-servererrors-[0-9a-f]{8}$/);
  assert.match(custom?.status?.evidence?.summary ?? '', /ServerErrors: rule server-errors at \d+(\.\d+)? > 1 for 8 s/);
  // The aggregated rule fires for nobody, and the watch says why instead of looking fine.
  const metrics = condition(await watchOf(ns, 'web'), 'MetricsAvailable');
  assert.equal(metrics?.status, 'True');
  assert.equal(metrics?.reason, 'SeriesWithoutWorkload');
  assert.match(metrics?.message ?? '', /rule all-errors: its series carry no 'namespace' and 'pod' labels/);
  assert.doesNotMatch(metrics?.message ?? '', /rule server-errors:/);
});
