// The guard's server-side dry-run against the run's sandbox API server: a legitimate
// change passes and nothing is persisted; what the schema refuses comes back with the
// API server's own message.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AdmissionregistrationV1Api, type V1Deployment } from '@kubernetes/client-node';
import { applyAction, dryRunChange, guardChange, type Workload } from '../../src/remediate/guard/index.ts';
import { createNamespace, deleteNamespace, deployment, testCluster, waitFor } from '../support/cluster.ts';

const cluster = testCluster();
let ns: string;

before(async () => {
  ns = await createNamespace(cluster, 'guard');
  const web = deployment({ name: 'web', container: { resources: { limits: { memory: '128Mi', cpu: '500m' }, requests: { memory: '64Mi', cpu: '100m' } } } });
  await cluster.apps.createNamespacedDeployment({ namespace: ns, body: web });
});
after(async () => {
  const admission = cluster.kubeConfig.makeApiClient(AdmissionregistrationV1Api);
  await admission.deleteValidatingAdmissionPolicyBinding({ name: `${ns}-memory` }).catch(() => undefined);
  await admission.deleteValidatingAdmissionPolicy({ name: `${ns}-memory` }).catch(() => undefined);
  await deleteNamespace(cluster, ns);
  cluster.client.close();
});

const path = () => `/apis/apps/v1/namespaces/${ns}/deployments/web`;
const live = () => cluster.client.get<V1Deployment>(path());
const memoryLimit = (d: Workload) => d.spec?.template?.spec?.containers[0]?.resources?.limits?.memory;

test('a legitimate change passes the dry-run, and the live object is unchanged afterwards', async () => {
  const action = { type: 'raiseResource', container: 'app', resource: 'memory', field: 'limits', value: '256Mi' } as const;
  // The controllers still write the new Deployment's status: a dry-run of what was read can
  // meet a newer resourceVersion (409), which the guard calls retryable and the remediation
  // controller retries later. So does this test, on a fresh read.
  let current = await live();
  let verdict = await guardChange(cluster.client, { action, before: current, after: applyAction(current, action) });
  for (let attempt = 1; !verdict.ok && verdict.retryable && attempt < 5; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    current = await live();
    verdict = await guardChange(cluster.client, { action, before: current, after: applyAction(current, action) });
  }
  assert.deepEqual(verdict, { ok: true });

  // As Git holds it: no namespace, no server fields; the watch's namespace fills in.
  const manifest: Workload = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: structuredClone(current.spec) };
  const fromGit = await dryRunChange(cluster.client, applyAction(manifest, action), { namespace: ns });
  assert.equal(fromGit.ok, true);
  assert.equal(fromGit.ok && memoryLimit(fromGit.object), '256Mi', 'the server answers with the object as it would be');

  // The controllers keep writing status (resourceVersion moves); a persisted spec would bump the generation.
  const now = await live();
  assert.equal(now.metadata?.generation, current.metadata?.generation);
  assert.deepEqual(now.spec, current.spec);
  assert.equal(memoryLimit(now), '128Mi');
});

test('a quantity the schema refuses comes back with the API server\'s message', async () => {
  const current = await live();
  const bad = structuredClone(current);
  const app = bad.spec?.template.spec?.containers[0];
  assert.ok(app?.resources?.limits);
  app.resources.limits.memory = '12XB';
  const verdict = await dryRunChange(cluster.client, bad);
  assert.equal(verdict.ok, false);
  const [reason] = verdict.ok ? [] : verdict.reasons;
  // The server cannot even decode it: 400, with the quantity's grammar.
  assert.match(reason ?? '', /^the API server refused the change \(400 BadRequest\): Deployment in version "v1" cannot be handled as a Deployment: quantities must match the regular expression/);
  // guardChange never sends it: the policy has refused it already.
  const guarded = await guardChange(cluster.client, { action: { type: 'raiseResource', container: 'app', resource: 'memory', field: 'limits', value: '256Mi' }, before: current, after: bad });
  assert.equal(guarded.ok === false && guarded.stage, 'policy');
  assert.equal(memoryLimit(await live()), '128Mi');
});

test('an unknown field is refused under fieldValidation=Strict', async () => {
  const current = await live();
  const bad = structuredClone(current);
  const app = bad.spec?.template.spec?.containers[0] as Record<string, unknown> | undefined;
  assert.ok(app);
  app.securityContxt = { privileged: true };
  const verdict = await dryRunChange(cluster.client, bad);
  assert.equal(verdict.ok, false);
  assert.match(verdict.ok ? '' : verdict.reasons.join(), /\(400 BadRequest\).*unknown field "spec\.template\.spec\.containers\[0\]\.securityContxt"/);
});

test('a workload that is not in the cluster has nothing to be checked against', async () => {
  const current = await live();
  const ghost = { ...structuredClone(current), metadata: { name: 'ghost', namespace: ns } };
  const verdict = await dryRunChange(cluster.client, ghost);
  assert.deepEqual(verdict, { ok: false, reasons: [`/apis/apps/v1/namespaces/${ns}/deployments/ghost does not exist in the cluster: nothing to check the change against`] });
});

test('admission runs in the dry-run: a ValidatingAdmissionPolicy of the cluster refuses too', async () => {
  const admission = cluster.kubeConfig.makeApiClient(AdmissionregistrationV1Api);
  const name = `${ns}-memory`;
  await admission.createValidatingAdmissionPolicy({
    body: {
      metadata: { name },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: { resourceRules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['deployments'] }] },
        validations: [{
          expression: "object.spec.template.spec.containers.all(c, !has(c.resources) || !has(c.resources.limits) || !('memory' in c.resources.limits) || quantity(c.resources.limits['memory']).compareTo(quantity('200Mi')) <= 0)",
          message: 'memory limits in this namespace are at most 200Mi',
        }],
      },
    },
  });
  await admission.createValidatingAdmissionPolicyBinding({
    body: { metadata: { name }, spec: { policyName: name, validationActions: ['Deny'], matchResources: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } } } },
  });
  const current = await live();
  const action = { type: 'raiseResource', container: 'app', resource: 'memory', field: 'limits', value: '256Mi' } as const;
  // The policy takes effect when the API server's informer has seen it.
  const verdict = await waitFor('the policy to refuse the dry-run', async () => {
    const answer = await guardChange(cluster.client, { action, before: current, after: applyAction(current, action) });
    return answer.ok ? undefined : answer;
  }, 30_000);
  assert.equal(verdict.stage, 'dry-run');
  assert.match(verdict.reasons.join(), /\(422 Invalid\).*memory limits in this namespace are at most 200Mi/);
  assert.equal(memoryLimit(await live()), '128Mi');
});
