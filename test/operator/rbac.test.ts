// The shipped RBAC (deploy/operator/rbac.yaml) is enough for the operator and no more:
// the operator runs as its ServiceAccount, with leader election, detects a failure,
// records the incident, updates its watch's status and writes Events, and nothing it does
// is refused; while the same identity may not change a workload or list Secrets.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Operator } from '../../src/operator/operator.ts';
import { KubeClient, type KubeApiError } from '../../src/k8s/kube-client.ts';
import { fromKubeconfigFiles } from '../../src/k8s/kubeconfig.ts';
import type { AegisWatch } from '../../src/api/aegis-watch.ts';
import { createNamespace, deleteNamespace, deployment, eventsFor, testCluster, waitFor } from '../support/cluster.ts';
import { installCrds } from '../support/crds.ts';
import { applyDeployManifests } from '../support/deploy-manifests.ts';
import { createWatch, listIncidents } from '../support/gopherguard.ts';

const cluster = testCluster();
let ns: string;
let client: KubeClient;
let operator: Operator | undefined;
const logged: string[] = [];

before(async () => {
  await installCrds(cluster.client);
  await applyDeployManifests(cluster, '00-namespace.yaml', 'rbac.yaml', 'admission-policy.yaml');
  await waitFor('the gopherguard ServiceAccount', async () => Boolean(await cluster.core.readNamespacedServiceAccount({ name: 'gopherguard', namespace: 'gopherguard-system' })));
  const token = await cluster.core.createNamespacedServiceAccountToken({ name: 'gopherguard', namespace: 'gopherguard-system', body: { spec: { audiences: [], expirationSeconds: 3600 } } });
  const admin = fromKubeconfigFiles([process.env.GOPHERGUARD_TEST_KUBECONFIG ?? '']);
  client = new KubeClient({ server: admin.server, ca: admin.ca, token: token.status?.token, origin: 'the gopherguard ServiceAccount' });
  ns = await createNamespace(cluster, 'rbac');
  await createWatch(cluster.kubeConfig, ns, 'web', { targets: { selector: { matchLabels: { app: 'broken' } } }, source: { git: { repo: 'https://git.example.test/a/b.git', forge: 'gitea' } } });
});
after(async () => {
  await operator?.stop();
  client.close();
  await deleteNamespace(cluster, ns);
});

test('the operator does its whole job as its ServiceAccount, and nothing it tries is forbidden', async () => {
  operator = new Operator({
    client, namespaces: [ns],
    leaderElection: { enabled: true, namespace: 'gopherguard-system', name: `gopherguard-rbac-${ns}`, leaseDurationMs: 6000, renewDeadlineMs: 4000, retryPeriodMs: 1000 },
    health: { host: '127.0.0.1', port: 0 },
    log: (level, message, fields) => logged.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`),
  });
  await operator.start();
  await waitFor('leadership', async () => operator?.isLeader(), 20_000);
  await cluster.apps.createNamespacedDeployment({ namespace: ns, body: deployment({ name: 'broken', annotations: { 'sandbox.gopherguard.dev/crash-exit-code': '2' } }) });

  await waitFor('a diagnosed incident', async () => (await listIncidents(cluster.kubeConfig, ns)).find((i) => i.spec.workload.name === 'broken' && i.status?.diagnosis), 60_000);
  await waitFor('the watch status to count the incident', async () => {
    const watch = await client.get<AegisWatch>(`/apis/gopherguard.dev/v1alpha1/namespaces/${ns}/aegiswatches/web`);
    return watch.status?.openIncidents === 1 && watch.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
  }, 30_000);
  await waitFor('an IncidentDetected event on the Deployment', async () => (await eventsFor(cluster, ns, 'broken')).some((e) => e.reason === 'IncidentDetected'), 30_000);
  // A whole word: an incident name is a hex fingerprint, which may well contain "403".
  assert.deepEqual(logged.filter((line) => /\bforbidden\b|\b403\b/i.test(line)), []);

  // Least privilege: the identity can read workloads and dry-run a change, but not change
  // them (RBAC forbids a patch; the admission policy denies an update that is not a dry-run),
  // nor list Secrets.
  const path = `/apis/apps/v1/namespaces/${ns}/deployments/broken`;
  const patch = await client.mergePatch(path, { spec: { replicas: 0 } }).catch((error: unknown) => error);
  assert.equal((patch as KubeApiError).code, 403);
  const live = await client.get<{ metadata: { resourceVersion: string }; spec: { replicas: number } }>(path);
  const changed = { ...live, spec: { ...live.spec, replicas: 3 } };
  await waitFor('the admission policy to be in force', async () => {
    const update = await client.replace(path, changed).catch((error: unknown) => error);
    return update instanceof Error && /Git is the only way in/.test(update.message);
  }, 20_000);
  await client.replace(path, changed, { query: { dryRun: 'All' } });
  assert.equal((await client.get<{ spec: { replicas: number } }>(path)).spec.replicas, 1, 'nothing was changed');
  const secrets = await client.get(`/api/v1/namespaces/${ns}/secrets`).catch((error: unknown) => error);
  assert.equal((secrets as KubeApiError).code, 403);
});
