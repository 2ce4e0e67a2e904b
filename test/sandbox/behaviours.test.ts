// Each simulated behaviour, end to end on the run's tier-2 sandbox: a Deployment goes
// through the real controller manager and scheduler, KWOK plays the stages, and the test
// reads pod status, restarts, events and logs back through the API server.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  containerStatus, createNamespace, deleteNamespace, deployment, eventsFor, isReady, podsOf, testCluster,
  waitFor, waitForEvent, waitForPod, type TestCluster,
} from '../support/cluster.ts';

const cluster: TestCluster = testCluster();
let ns: string;

before(async () => { ns = await createNamespace(cluster, 'behaviours'); });
after(async () => { await deleteNamespace(cluster, ns); });

function logs(pod: string, previous = false): Promise<string> {
  return cluster.core.readNamespacedPodLog({ name: pod, namespace: ns, container: 'app', previous });
}

describe('a healthy app', () => {
  test('runs, becomes Ready without restarts, and its logs come through the API server', async () => {
    await cluster.apps.createNamespacedDeployment({ namespace: ns, body: deployment({ name: 'healthy', replicas: 3 }) });
    const deploymentReady = await waitFor('3 available replicas', async () => {
      const d = await cluster.apps.readNamespacedDeployment({ name: 'healthy', namespace: ns });
      return d.status?.availableReplicas === 3 ? d : undefined;
    });
    assert.equal(deploymentReady.status?.readyReplicas, 3);
    const pods = await podsOf(cluster, ns, 'healthy');
    assert.equal(pods.length, 3);
    for (const pod of pods) {
      assert.equal(pod.status?.phase, 'Running');
      assert.ok(isReady(pod));
      assert.equal(containerStatus(pod)?.restartCount, 0);
      assert.match(pod.spec?.nodeName ?? '', /^sandbox-node-\d$/, 'scheduled by the real scheduler');
      assert.ok(pod.metadata?.ownerReferences?.some((o) => o.kind === 'ReplicaSet'), 'made by a ReplicaSet');
    }
    assert.match(await logs(pods[0]?.metadata?.name ?? ''), /"msg":"listening","addr":":8080"/);
  });
});

describe('an app whose memory limit is below what it needs', () => {
  test('is OOM-killed with exit 137, restarts counting up in CrashLoopBackOff, and heals when the limit is raised', async () => {
    const app = deployment({
      name: 'hungry',
      annotations: { 'sandbox.gopherguard.dev/needs-memory': '200Mi' },
      container: { resources: { limits: { memory: '128Mi' }, requests: { memory: '64Mi' } } },
    });
    await cluster.apps.createNamespacedDeployment({ namespace: ns, body: app });
    const oom = await waitForPod(cluster, ns, 'hungry', 'OOMKilled twice', (pod) => (containerStatus(pod)?.restartCount ?? 0) >= 2);
    const status = containerStatus(oom);
    assert.equal(status?.lastState?.terminated?.reason, 'OOMKilled');
    assert.equal(status?.lastState?.terminated?.exitCode, 137);
    assert.equal(oom.status?.phase, 'Running');
    assert.ok(!isReady(oom));
    await waitForPod(cluster, ns, 'hungry', 'in CrashLoopBackOff', (pod) => containerStatus(pod)?.state?.waiting?.reason === 'CrashLoopBackOff');
    await waitForEvent(cluster, ns, oom.metadata?.name ?? '', 'BackOff', /Back-off restarting failed container/);
    assert.match(await logs(oom.metadata?.name ?? '', true), /cache warm-up/);

    // The fix, as a Git commit would make it: raise the limit in the template.
    const current = await cluster.apps.readNamespacedDeployment({ name: 'hungry', namespace: ns });
    const container = current.spec?.template.spec?.containers[0];
    assert.ok(container);
    container.resources = { limits: { memory: '256Mi' } };
    await cluster.apps.replaceNamespacedDeployment({ name: 'hungry', namespace: ns, body: current });
    await waitFor('the new ReplicaSet to be available', async () => {
      const d = await cluster.apps.readNamespacedDeployment({ name: 'hungry', namespace: ns });
      return d.status?.updatedReplicas === 1 && d.status.availableReplicas === 1 && d.status.replicas === 1;
    });
    const healed = await waitForPod(cluster, ns, 'hungry', 'Ready with the new limit', (pod) => isReady(pod));
    assert.equal(containerStatus(healed)?.restartCount, 0);
  });
});

describe('an app that crashes', () => {
  test('with a bug in the image exits with its own code and leaves a stack trace', async () => {
    await cluster.apps.createNamespacedDeployment({ namespace: ns, body: deployment({ name: 'buggy', annotations: { 'sandbox.gopherguard.dev/crash-exit-code': '2' } }) });
    const pod = await waitForPod(cluster, ns, 'buggy', 'restarted', (p) => (containerStatus(p)?.restartCount ?? 0) >= 1);
    assert.deepEqual(
      [containerStatus(pod)?.lastState?.terminated?.exitCode, containerStatus(pod)?.lastState?.terminated?.reason],
      [2, 'Error'],
    );
    assert.match(await logs(pod.metadata?.name ?? '', true), /panic: runtime error/);
  });

  test('without a required env var exits 1 and its log names the variable', async () => {
    await cluster.apps.createNamespacedDeployment({
      namespace: ns,
      body: deployment({ name: 'noenv', annotations: { 'sandbox.gopherguard.dev/requires-env': 'JOKE_SOURCE,DATABASE_URL' }, container: { env: [{ name: 'JOKE_SOURCE', value: 'builtin' }] } }),
    });
    const pod = await waitForPod(cluster, ns, 'noenv', 'restarted', (p) => (containerStatus(p)?.restartCount ?? 0) >= 1);
    assert.equal(containerStatus(pod)?.lastState?.terminated?.exitCode, 1);
    assert.match(await logs(pod.metadata?.name ?? '', true), /required environment variable DATABASE_URL is not set/);
  });
});

describe('an image that is not in the sandbox registry', () => {
  test('stays Pending in ErrImagePull and ImagePullBackOff with Failed events', async () => {
    await cluster.apps.createNamespacedDeployment({ namespace: ns, body: deployment({ name: 'typo', image: 'ghcr.io/gopherguard/jokeservice:1.0.O' }) });
    const pulling = await waitForPod(cluster, ns, 'typo', 'ErrImagePull', (p) => containerStatus(p)?.state?.waiting?.reason === 'ErrImagePull');
    assert.match(containerStatus(pulling)?.state?.waiting?.message ?? '', /jokeservice:1\.0\.O/);
    const backoff = await waitForPod(cluster, ns, 'typo', 'ImagePullBackOff', (p) => containerStatus(p)?.state?.waiting?.reason === 'ImagePullBackOff');
    assert.equal(backoff.status?.phase, 'Pending');
    await waitForEvent(cluster, ns, backoff.metadata?.name ?? '', 'Failed', /ErrImagePull/);
  });
});

describe('a container whose config does not exist', () => {
  test('waits in CreateContainerConfigError, and starts once the ConfigMap key appears', async () => {
    await cluster.apps.createNamespacedDeployment({
      namespace: ns,
      body: deployment({ name: 'config', container: { env: [{ name: 'GREETING', valueFrom: { configMapKeyRef: { name: 'jokes', key: 'greeting' } } }] } }),
    });
    const waiting = await waitForPod(cluster, ns, 'config', 'CreateContainerConfigError', (p) => containerStatus(p)?.state?.waiting?.reason === 'CreateContainerConfigError');
    assert.equal(containerStatus(waiting)?.state?.waiting?.message, 'configmap "jokes" not found');
    await cluster.core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'jokes' }, data: { other: 'x' } } });
    await waitForPod(cluster, ns, 'config', 'missing key reported', (p) => containerStatus(p)?.state?.waiting?.message === `couldn't find key greeting in ConfigMap ${ns}/jokes`);
    await cluster.core.patchNamespacedConfigMap(
      { name: 'jokes', namespace: ns, body: [{ op: 'add', path: '/data/greeting', value: 'hi' }] },
    );
    const running = await waitForPod(cluster, ns, 'config', 'Ready', (p) => isReady(p));
    assert.equal(running.metadata?.name, waiting.metadata?.name, 'the same pod starts, as after a kubelet retry');
  });
});

describe('probes that do not match what the app serves', () => {
  test('a readiness probe on a wrong path keeps the pod unready with repeated Unhealthy events, and the rollout stalls', async () => {
    await cluster.apps.createNamespacedDeployment({
      namespace: ns,
      body: deployment({ name: 'unready', progressDeadlineSeconds: 5, container: { readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 2 } } }),
    });
    const pod = await waitForPod(cluster, ns, 'unready', 'Running', (p) => p.status?.phase === 'Running');
    assert.ok(!isReady(pod));
    const event = await waitForEvent(cluster, ns, pod.metadata?.name ?? '', 'Unhealthy', /Readiness probe failed: HTTP probe failed with statuscode: 404/, 2);
    assert.ok((event.count ?? 0) >= 2, 'the kubelet keeps reporting the failing probe');
    assert.match(await logs(pod.metadata?.name ?? ''), /"msg":"GET \/ready","status":404/);
    const now = await cluster.core.readNamespacedPod({ name: pod.metadata?.name ?? '', namespace: ns });
    assert.equal(containerStatus(now)?.restartCount, 0, 'readiness failures do not restart the container');
    await waitFor('ProgressDeadlineExceeded', async () => {
      const d = await cluster.apps.readNamespacedDeployment({ name: 'unready', namespace: ns });
      return d.status?.conditions?.some((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded');
    });
  });

  test('a liveness probe on a port nothing listens on gets the container killed and restarted', async () => {
    await cluster.apps.createNamespacedDeployment({
      namespace: ns,
      body: deployment({ name: 'unlive', container: { livenessProbe: { httpGet: { path: '/healthz', port: 9090 }, periodSeconds: 1, failureThreshold: 2 } } }),
    });
    const pod = await waitForPod(cluster, ns, 'unlive', 'restarted', (p) => (containerStatus(p)?.restartCount ?? 0) >= 1);
    assert.equal(containerStatus(pod)?.lastState?.terminated?.exitCode, 137);
    const name = pod.metadata?.name ?? '';
    await waitForEvent(cluster, ns, name, 'Unhealthy', /Liveness probe failed: .*connection refused/);
    await waitForEvent(cluster, ns, name, 'Killing', /failed liveness probe/);
  });

  test('a slow starter is killed by a short liveness budget, and a startup probe saves it', async () => {
    const slow = { 'sandbox.gopherguard.dev/starts-in': '30s' };
    const liveness = { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 1, failureThreshold: 2 };
    await cluster.apps.createNamespacedDeployment({ namespace: ns, body: deployment({ name: 'slow', annotations: slow, container: { livenessProbe: liveness } }) });
    await cluster.apps.createNamespacedDeployment({
      namespace: ns,
      body: deployment({ name: 'patient', annotations: slow, container: { livenessProbe: liveness, startupProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 5, failureThreshold: 12 } } }),
    });
    const killed = await waitForPod(cluster, ns, 'slow', 'restarted', (p) => (containerStatus(p)?.restartCount ?? 0) >= 1);
    await waitForEvent(cluster, ns, killed.metadata?.name ?? '', 'Killing');
    assert.match(await logs(killed.metadata?.name ?? '', true), /warming caches/);
    const patient = await waitForPod(cluster, ns, 'patient', 'Ready', (p) => isReady(p));
    assert.equal(containerStatus(patient)?.restartCount, 0);
  });
});

describe('requests that fit no node', () => {
  test('leave the pod Pending with FailedScheduling from the real scheduler', async () => {
    await cluster.apps.createNamespacedDeployment({
      namespace: ns,
      body: deployment({ name: 'huge', container: { resources: { requests: { cpu: '16', memory: '1Gi' } } } }),
    });
    const pod = await waitForPod(cluster, ns, 'huge', 'Unschedulable', (p) =>
      p.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.reason === 'Unschedulable') ?? false);
    assert.equal(pod.status?.phase, 'Pending');
    assert.equal(pod.spec?.nodeName, undefined);
    const events = await waitFor('FailedScheduling', async () =>
      (await eventsFor(cluster, ns, pod.metadata?.name ?? '')).find((e) => e.reason === 'FailedScheduling'));
    assert.match(events.message ?? '', /Insufficient cpu/);
  });
});
