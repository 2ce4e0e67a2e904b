import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CoreV1Event, V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import { fingerprint, incidentName } from './signal.ts';
import { DEFAULT_DETECTORS, assessWorkload, workloadSignals } from './workload-signals.ts';

const workload = { kind: 'Deployment', namespace: 'shop', name: 'jokeservice' };
const now = new Date('2026-11-26T10:00:00Z');

function pod(name: string, status: Partial<V1ContainerStatus>, extra: Partial<V1Pod['status']> = {}): V1Pod {
  return {
    metadata: { name, namespace: 'shop' },
    status: { phase: 'Running', containerStatuses: [{ name: 'app', image: 'x', imageID: '', ready: false, restartCount: 0, ...status }], ...extra },
  };
}
const event = (podName: string, reason: string, message: string, count = 1): CoreV1Event => ({
  metadata: { name: `${podName}.${reason}` }, involvedObject: { kind: 'Pod', name: podName }, reason, message, count,
});

test('the first restart with an OOM kill is an OOMKilled signal', () => {
  const signals = workloadSignals({ workload, pods: [pod('a', { restartCount: 1, lastState: { terminated: { exitCode: 137, reason: 'OOMKilled' } } })], events: [] }, DEFAULT_DETECTORS, now);
  assert.deepEqual(signals.map((s) => [s.class, s.container, s.exitCode]), [['OOMKilled', 'app', 137]]);
});

test('a crash is seen at the first restart, before CrashLoopBackOff, and respects the threshold', () => {
  const crashed = pod('a', { restartCount: 1, state: { running: {} }, lastState: { terminated: { exitCode: 1, reason: 'Error' } } });
  assert.equal(workloadSignals({ workload, pods: [crashed], events: [] }, DEFAULT_DETECTORS, now)[0]?.class, 'CrashLoop');
  assert.equal(workloadSignals({ workload, pods: [crashed], events: [] }, { ...DEFAULT_DETECTORS, restartThreshold: 3 }, now).length, 0);
});

test('a crash counts within the watch\'s window: one long ago, with the container running since, does not', () => {
  const at = (secondsAgo: number) => new Date(now.getTime() - secondsAgo * 1000).toISOString() as unknown as Date;
  const settings = { ...DEFAULT_DETECTORS, restartWindowSeconds: 600 };
  const recent = pod('a', { restartCount: 4, state: { running: {} }, lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: at(30) } } });
  const old = pod('b', { restartCount: 4, state: { running: {} }, lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: at(3600) } } });
  const backingOff = pod('c', { restartCount: 9, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: at(3600) } } });
  assert.deepEqual(workloadSignals({ workload, pods: [recent], events: [] }, settings, now).map((s) => s.class), ['CrashLoop']);
  assert.deepEqual(workloadSignals({ workload, pods: [old], events: [] }, settings, now), []);
  assert.deepEqual(workloadSignals({ workload, pods: [backingOff], events: [] }, settings, now).map((s) => s.class), ['CrashLoop'], 'CrashLoopBackOff is a loop now, whenever it last ran');
});

test('fifty crashing replicas are one signal, citing the pod with most restarts', () => {
  const pods = Array.from({ length: 50 }, (_, i) => pod(`p${i}`, { restartCount: i + 1, lastState: { terminated: { exitCode: 2, reason: 'Error' } } }));
  const signals = workloadSignals({ workload, pods, events: [] }, DEFAULT_DETECTORS, now);
  assert.equal(signals.length, 1);
  assert.equal(signals[0]?.object.name, 'p49');
});

test('image pull and config errors are read from the waiting reason', () => {
  const pull = pod('a', { state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image' } } }, { phase: 'Pending' });
  const config = pod('b', { state: { waiting: { reason: 'CreateContainerConfigError', message: 'configmap "x" not found' } } }, { phase: 'Pending' });
  assert.deepEqual(workloadSignals({ workload, pods: [pull, config], events: [] }, DEFAULT_DETECTORS, now).map((s) => s.class).sort(), ['ConfigError', 'ImagePull']);
});

test('a liveness-killed container is a probe failure, not a crash of the app', () => {
  const killed = pod('a', { restartCount: 2, lastState: { terminated: { exitCode: 137, reason: 'Error' } } });
  const events = [event('a', 'Unhealthy', 'Liveness probe failed: connection refused', 4), event('a', 'Killing', 'Container failed liveness probe, will be restarted')];
  const signals = workloadSignals({ workload, pods: [killed], events }, DEFAULT_DETECTORS, now);
  assert.deepEqual(signals.map((s) => [s.class, s.reason]), [['ProbeFailure', 'LivenessProbeFailed']]);
});

test('a kill by signal is classified only once the kubelet has had time to say who killed it', () => {
  const justKilled = pod('a', { restartCount: 1, lastState: { terminated: { exitCode: 137, reason: 'Error', finishedAt: new Date(now.getTime() - 1000) } } });
  const fresh = assessWorkload({ workload, pods: [justKilled], events: [] }, DEFAULT_DETECTORS, now);
  assert.deepEqual([fresh.signals.length, fresh.recheckInMs], [0, 2000]);
  const later = assessWorkload({ workload, pods: [justKilled], events: [] }, DEFAULT_DETECTORS, new Date(now.getTime() + 2500));
  assert.equal(later.signals[0]?.class, 'CrashLoop', 'no Killing event came: the app itself died of the signal');
});

test('readiness failures count repeated Unhealthy events against the threshold', () => {
  const unready = pod('a', { state: { running: {} } });
  assert.equal(workloadSignals({ workload, pods: [unready], events: [event('a', 'Unhealthy', 'Readiness probe failed', 2)] }, DEFAULT_DETECTORS, now).length, 0);
  const signals = workloadSignals({ workload, pods: [unready], events: [event('a', 'Unhealthy', 'Readiness probe failed', 3)] }, DEFAULT_DETECTORS, now);
  assert.deepEqual(signals.map((s) => [s.class, s.reason]), [['ProbeFailure', 'ReadinessProbeFailed']]);
});

test('an unschedulable pod counts only after the pending timeout', () => {
  const pending = (since: string) => pod('a', {}, { phase: 'Pending', containerStatuses: [], conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', lastTransitionTime: new Date(since) }] });
  assert.equal(workloadSignals({ workload, pods: [pending('2026-11-26T09:59:30Z')], events: [] }, DEFAULT_DETECTORS, now).length, 0);
  assert.equal(workloadSignals({ workload, pods: [pending('2026-11-26T09:58:00Z')], events: [] }, DEFAULT_DETECTORS, now)[0]?.class, 'Unschedulable');
});

test('a rollout past its progress deadline is RolloutStuck; a disabled detector stays quiet', () => {
  const deployment = { status: { conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "x" has timed out progressing.' }] } };
  assert.equal(workloadSignals({ workload, deployment, pods: [], events: [] }, DEFAULT_DETECTORS, now)[0]?.class, 'RolloutStuck');
  assert.equal(workloadSignals({ workload, deployment, pods: [], events: [] }, { ...DEFAULT_DETECTORS, enabled: { RolloutStuck: false } }, now).length, 0);
});

test('fingerprints and incident names are deterministic, distinct per class, and valid names', () => {
  const a = { class: 'CrashLoop' as const, workload, container: 'app' };
  assert.equal(fingerprint(a), fingerprint({ ...a }));
  assert.notEqual(fingerprint(a), fingerprint({ ...a, class: 'OOMKilled' }));
  const long = incidentName({ ...a, workload: { ...workload, name: 'x'.repeat(80) } });
  assert.ok(long.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(long), long);
  assert.match(incidentName(a), /^jokeservice-crashloop-[0-9a-f]{8}$/);
});

test('a rollout without progress past the watch\'s deadline is stuck before the Deployment\'s own deadline; a finished one never', () => {
  const at = (secondsAgo: number) => new Date(now.getTime() - secondsAgo * 1000).toISOString() as unknown as Date;
  const deployment = (reason: string, updatedSecondsAgo: number, status: { updatedReplicas: number; availableReplicas: number }) => ({
    spec: { replicas: 2, selector: {}, template: {} },
    status: { replicas: 2, ...status, conditions: [{ type: 'Progressing', status: 'True', reason, message: 'ReplicaSet "web-2" is progressing.', lastUpdateTime: at(updatedSecondsAgo) }] },
  });
  const settings = { ...DEFAULT_DETECTORS, rolloutDeadlineSeconds: 120 };
  const stalled = assessWorkload({ workload, deployment: deployment('ReplicaSetUpdated', 150, { updatedReplicas: 1, availableReplicas: 1 }), pods: [], events: [] }, settings, now);
  assert.deepEqual(stalled.signals.map((s) => [s.class, s.reason]), [['RolloutStuck', 'RolloutDeadline']]);
  assert.match(stalled.signals[0]?.message ?? '', /no progress for 150 s, past the watch's rolloutStuck\.deadlineSeconds of 120/);
  const young = assessWorkload({ workload, deployment: deployment('ReplicaSetUpdated', 100, { updatedReplicas: 1, availableReplicas: 1 }), pods: [], events: [] }, settings, now);
  assert.deepEqual(young.signals, []);
  assert.equal(young.recheckInMs, 20_250, 'looked at again when the deadline passes');
  const done = assessWorkload({ workload, deployment: deployment('NewReplicaSetAvailable', 3600, { updatedReplicas: 2, availableReplicas: 1 }), pods: [], events: [] }, settings, now);
  assert.deepEqual(done.signals, [], 'a finished rollout whose pods later fail is not a stuck rollout');
  assert.deepEqual(assessWorkload({ workload, deployment: deployment('ReplicaSetUpdated', 3600, { updatedReplicas: 1, availableReplicas: 1 }), pods: [], events: [] }, DEFAULT_DETECTORS, now).signals, [], 'without a watch deadline, only ProgressDeadlineExceeded');
});
