// An operator told to guard some namespaces (`-n a,b`) works with rights in those
// namespaces only: its identity is bound to the shipped ClusterRole by a RoleBinding in each,
// not cluster-wide. It detects failures in both, sees nothing of a third, and nothing it
// tries is forbidden (a single cluster-wide list would be).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { KubeClient } from '../../src/k8s/kube-client.ts';
import { fromKubeconfigFiles } from '../../src/k8s/kubeconfig.ts';
import { Operator } from '../../src/operator/operator.ts';
import { createNamespace, deleteNamespace, deployment, testCluster, waitFor } from '../support/cluster.ts';
import { installCrds } from '../support/crds.ts';
import { applyDeployManifests } from '../support/deploy-manifests.ts';
import { createWatch, listIncidents } from '../support/gopherguard.ts';

const cluster = testCluster();
const rbac = cluster.kubeConfig.makeApiClient(RbacAuthorizationV1Api);
const namespaces: string[] = [];
let client: KubeClient;
let operator: Operator | undefined;
const logged: string[] = [];

before(async () => {
  await installCrds(cluster.client);
  await applyDeployManifests(cluster, '00-namespace.yaml', 'rbac.yaml');
  for (const prefix of ['guarded-a', 'guarded-b', 'unguarded']) namespaces.push(await createNamespace(cluster, prefix));
  const [home = '', other = ''] = namespaces;
  await cluster.core.createNamespacedServiceAccount({ namespace: home, body: { metadata: { name: 'scoped' } } });
  for (const namespace of [home, other]) {
    await rbac.createNamespacedRoleBinding({
      namespace,
      body: {
        metadata: { name: 'gopherguard' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'gopherguard' },
        subjects: [{ kind: 'ServiceAccount', name: 'scoped', namespace: home }],
      },
    });
  }
  const token = await cluster.core.createNamespacedServiceAccountToken({ name: 'scoped', namespace: home, body: { spec: { audiences: [], expirationSeconds: 3600 } } });
  const admin = fromKubeconfigFiles([process.env.GOPHERGUARD_TEST_KUBECONFIG ?? '']);
  client = new KubeClient({ server: admin.server, ca: admin.ca, token: token.status?.token, origin: 'a ServiceAccount bound in two namespaces' });
  for (const namespace of namespaces) {
    await createWatch(cluster.kubeConfig, namespace, 'web', { targets: { selector: { matchLabels: { app: 'broken' } } }, source: { git: { repo: 'https://git.example.test/a/b.git', forge: 'gitea' } }, mode: 'observe' });
  }
});
after(async () => {
  await operator?.stop();
  client.close();
  for (const namespace of namespaces) await deleteNamespace(cluster, namespace);
});

test('guarding two namespaces with rights in those two only: failures in both become incidents, a third is unseen, nothing is forbidden', async () => {
  const [a = '', b = '', c = ''] = namespaces;
  // The unguarded namespace fails first, so it has had the longest to be noticed.
  for (const namespace of [c, a, b]) {
    await cluster.apps.createNamespacedDeployment({ namespace, body: deployment({ name: 'broken', annotations: { 'sandbox.gopherguard.dev/crash-exit-code': '2' } }) });
  }
  operator = new Operator({
    client, namespaces: [a, b],
    leaderElection: { enabled: false, namespace: a, name: 'unused' },
    health: { host: '127.0.0.1', port: 0 },
    log: (level, message, fields) => logged.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`),
  });
  await operator.start();
  for (const namespace of [a, b]) {
    await waitFor(`an incident in ${namespace}`, async () => (await listIncidents(cluster.kubeConfig, namespace)).find((i) => i.spec.workload.name === 'broken'), 60_000)
      .catch((error: unknown) => assert.fail(`${String(error)}\n${logged.slice(-20).join('\n')}`));
  }
  assert.deepEqual(await listIncidents(cluster.kubeConfig, c), [], 'the third namespace is not guarded');
  assert.deepEqual(logged.filter((line) => /\bforbidden\b|\b403\b/i.test(line)), []);
  assert.ok(logged.some((line) => line.includes(`"namespaces":"${a},${b}"`)), 'the log says which namespaces are guarded');
});
