import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { V1Container, V1PodTemplateSpec, V1ReplicaSet } from '@kubernetes/client-node';
import { analyzeImagePull, splitImage } from './image-analyzer.ts';
import { shouldAskModel } from './llm/policy.ts';
import { analyzeOomKilled } from './oom-analyzer.ts';
import { RemedyAction } from './remedy-action.ts';
import type { AnalyzerInput } from './rule-diagnosis.ts';
import { diagnoseWithRules } from './rules.ts';

const template = (image: string, memory?: string): V1PodTemplateSpec => ({
  spec: { containers: [{ name: 'app', image, ...(memory ? { resources: { limits: { memory } } } : {}) }] },
});
const rs = (revision: string, image: string, availableReplicas?: number): V1ReplicaSet => ({
  metadata: { name: `web-${revision}`, annotations: { 'deployment.kubernetes.io/revision': revision } },
  spec: { selector: {}, template: template(image) },
  ...(availableReplicas === undefined ? {} : { status: { replicas: availableReplicas, availableReplicas } }),
});

test('OOM: the limit doubles from its declared baseline, under the cap', () => {
  const d = analyzeOomKilled({ container: 'app', template: template('j:1', '128Mi'), replicaSets: [] });
  assert.deepEqual(d.action, { type: 'raiseResource', container: 'app', resource: 'memory', field: 'limits', value: '256Mi' });
  assert.ok(d.confidence >= 0.9);
  assert.ok(RemedyAction.safeParse(d.action).success);
  const capped = analyzeOomKilled({ container: 'app', template: template('j:1', '3Gi'), replicaSets: [] });
  assert.equal(capped.action.type === 'raiseResource' && capped.action.value, '4096Mi');
});

test('OOM: no limit, or a limit at the cap, is explained and changes nothing', () => {
  assert.equal(analyzeOomKilled({ container: 'app', template: template('j:1'), replicaSets: [] }).action.type, 'none');
  assert.equal(analyzeOomKilled({ container: 'app', template: template('j:1', '4Gi'), replicaSets: [] }).action.type, 'none');
});

test('image pull: back to the tag the previous revision ran (its pods still serve), in the same repository', () => {
  const d = analyzeImagePull({ container: 'app', replicaSets: [rs('1', 'ghcr.io/g/joke:1.0.0', 0), rs('3', 'ghcr.io/g/joke:1.1.O', 0), rs('2', 'ghcr.io/g/joke:1.0.1', 2)] });
  assert.deepEqual(d.action, { type: 'setImageTag', container: 'app', tag: '1.0.1' });
  assert.match(d.rootCause, /revision 2 ran ghcr\.io\/g\/joke:1\.0\.1, and its pods still serve/);
  assert.equal(d.confidence, 0.85);
});

test('image pull: two bad tags in a row go back to the last tag that ran, not to the first bad one', () => {
  // Revision 2 never pulled either: the rollout stalled and revision 1's pods kept serving.
  const d = analyzeImagePull({ container: 'app', replicaSets: [rs('1', 'ghcr.io/g/joke:1.0.0', 2), rs('2', 'ghcr.io/g/joke:1.1.O', 0), rs('3', 'ghcr.io/g/joke:1.1.0-typo', 0)] });
  assert.deepEqual(d.action, { type: 'setImageTag', container: 'app', tag: '1.0.0' });
  assert.match(d.rootCause, /revision 1 ran/);
});

test('image pull: with no earlier revision serving, the previous tag is proposed with less confidence, so a model is asked', () => {
  const d = analyzeImagePull({ container: 'app', replicaSets: [rs('1', 'ghcr.io/g/joke:1.0.0', 0), rs('2', 'ghcr.io/g/joke:1.0.1', 0), rs('3', 'ghcr.io/g/joke:1.1.O', 0)] });
  assert.deepEqual(d.action, { type: 'setImageTag', container: 'app', tag: '1.0.1' });
  assert.match(d.rootCause, /revision 2 declared .*none of its pods serve now/);
  assert.ok(shouldAskModel('fallback', d), 'below the confidence at which the rules are sure');
});

test('image pull: a previous revision in another repository is never a fix', () => {
  const d = analyzeImagePull({ container: 'app', replicaSets: [rs('1', 'evil.example/joke:1.0.0'), rs('2', 'ghcr.io/g/joke:9')] });
  assert.equal(d.action.type, 'none');
});

test('image references split at the tag, not at a registry port', () => {
  assert.deepEqual(splitImage('registry.local:5000/team/app:2.1'), { repository: 'registry.local:5000/team/app', tag: '2.1' });
  assert.deepEqual(splitImage('registry.local:5000/team/app'), { repository: 'registry.local:5000/team/app' });
});

// ---- Hand-built edge cases of the other analyzers, through the dispatcher. ----

const REV = 'deployment.kubernetes.io/revision';
const app = (extra: Partial<V1Container> = {}): V1Container => ({ name: 'app', image: 'ghcr.io/g/joke:1.0.0', ports: [{ name: 'http', containerPort: 8080 }], ...extra });
const tpl = (...containers: V1Container[]): V1PodTemplateSpec => ({ metadata: { labels: { app: 'joke' } }, spec: { containers } });
const revision = (n: string, template: V1PodTemplateSpec): V1ReplicaSet => ({
  metadata: { name: `joke-${n}abc`, annotations: { [REV]: n } },
  spec: { selector: {}, template },
});
/** The dispatcher's answer, checked against the closed set's schema. */
const diagnose = (input: AnalyzerInput) => {
  const d = diagnoseWithRules(input);
  assert.ok(RemedyAction.safeParse(d.action).success, JSON.stringify(d.action));
  assert.ok(d.confidence >= 0 && d.confidence <= 1);
  return d;
};
const unhealthy = (message: string, count = 3) => ({ reason: 'Unhealthy', message, count });
const killing = { reason: 'Killing', message: 'Container app failed liveness probe, will be restarted', count: 2 };

test('probe: a named port the container does not declare goes to the one it does', () => {
  const current = tpl(app({ readinessProbe: { httpGet: { path: '/healthz', port: 'metrics' } } }));
  const d = diagnose({
    template: current, replicaSets: [],
    signal: { class: 'ProbeFailure', container: 'app', reason: 'ReadinessProbeFailed' },
    events: [unhealthy('Readiness probe failed: Get "http://10.0.0.1:9090/healthz": dial tcp 10.0.0.1:9090: connect: connection refused')],
  });
  assert.deepEqual(d.action, { type: 'fixProbe', container: 'app', probe: 'readiness', port: 8080 });
});

test('probe: with several declared ports and no log, the one named http', () => {
  const current = tpl(app({ ports: [{ name: 'grpc', containerPort: 9000 }, { name: 'http', containerPort: 8080 }], livenessProbe: { tcpSocket: { port: 8081 } } }));
  const d = diagnose({ template: current, replicaSets: [], signal: { class: 'ProbeFailure', reason: 'LivenessProbeFailed' }, events: [unhealthy('Liveness probe failed: dial tcp 10.0.0.1:8081: connect: connection refused'), killing] });
  assert.deepEqual(d.action, { type: 'fixProbe', container: 'app', probe: 'liveness', port: 8080 });
  assert.ok(d.confidence < 0.75, 'a guess among several ports is not sure');
});

test('probe: a 404 takes the health path the access log shows answering 200', () => {
  const current = tpl(app({ livenessProbe: { httpGet: { path: '/healthz', port: 'http' } } }));
  const d = diagnose({
    template: current, replicaSets: [],
    signal: { class: 'ProbeFailure', reason: 'LivenessProbeFailed' },
    events: [unhealthy('Liveness probe failed: HTTP probe failed with statuscode: 404'), killing],
    previousLogs: 'listening on :8080\nGET /api/jokes 200\nGET /healthz 404\nGET /health 200\n',
  });
  assert.deepEqual(d.action, { type: 'fixProbe', container: 'app', probe: 'liveness', path: '/health' });
});

test('probe: a 404 with no served path in the logs is explained, and app endpoints are never a probe', () => {
  const current = tpl(app({ readinessProbe: { httpGet: { path: '/ready', port: 8080 } } }));
  const input = (logs: string): AnalyzerInput => ({
    template: current, replicaSets: [], signal: { class: 'ProbeFailure', reason: 'ReadinessProbeFailed' },
    events: [unhealthy('Readiness probe failed: HTTP probe failed with statuscode: 404')], currentLogs: logs,
  });
  assert.equal(diagnose(input('listening on :8080\n')).action.type, 'none');
  assert.equal(diagnose(input('listening on :8080\nGET /api/jokes 200\n')).action.type, 'none');
});

test('probe: a timeout gets a longer timeout, within the bound', () => {
  const current = tpl(app({ readinessProbe: { httpGet: { path: '/readyz', port: 8080 }, timeoutSeconds: 40 } }));
  const d = diagnose({ template: current, replicaSets: [], signal: { class: 'ProbeFailure', reason: 'ReadinessProbeFailed' },
    events: [unhealthy('Readiness probe failed: Get "http://10.0.0.1:8080/readyz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)')] });
  assert.deepEqual(d.action, { type: 'fixProbe', container: 'app', probe: 'readiness', timeoutSeconds: 60 });
});

test('slow start: without an announced time, four times what liveness allowed, at least a minute', () => {
  const current = tpl(app({ livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, initialDelaySeconds: 10, periodSeconds: 10, failureThreshold: 2 } }));
  const d = diagnose({ template: current, replicaSets: [], signal: { class: 'ProbeFailure', reason: 'LivenessProbeFailed' },
    events: [unhealthy('Liveness probe failed: dial tcp 10.0.0.1:8080: connect: connection refused'), killing],
    previousLogs: 'starting…\nloading 40000 jokes into the index\n' });
  assert.deepEqual(d.action, { type: 'addStartupProbe', container: 'app', startupSeconds: 120 });
  assert.ok(d.confidence < 0.85);
});

test('slow start: a start-up longer than the bound is capped at 600 s and less sure', () => {
  const current = tpl(app({ livenessProbe: { httpGet: { path: '/healthz', port: 8080 } } }));
  const d = diagnose({ template: current, replicaSets: [], signal: { class: 'ProbeFailure', reason: 'LivenessProbeFailed' }, events: [killing],
    previousLogs: 'starting… (warming cache, ~15m)\n' });
  assert.deepEqual(d.action, { type: 'addStartupProbe', container: 'app', startupSeconds: 600 });
  assert.ok(d.confidence <= 0.65);
});

test('slow start: an existing startup probe that is too short is lengthened', () => {
  const current = tpl(app({ livenessProbe: { httpGet: { path: '/healthz', port: 8080 } }, startupProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 5, failureThreshold: 6 } }));
  const d = diagnose({ template: current, replicaSets: [], signal: { class: 'ProbeFailure', reason: 'LivenessProbeFailed' },
    events: [{ reason: 'Killing', message: 'Container app failed startup probe, will be restarted', count: 3 }],
    previousLogs: 'starting (warming cache, ~80s)\n' });
  // 80 s × 1.5 = 120 s at a 5 s period: 24 failures.
  assert.deepEqual(d.action, { type: 'fixProbe', container: 'app', probe: 'startup', failureThreshold: 24 });
});

test('a SIGKILL crash of a container with a liveness probe that was still starting is a slow start, not an app bug', () => {
  const current = tpl(app({ livenessProbe: { httpGet: { path: '/healthz', port: 8080 } } }));
  const d = diagnose({ template: current, replicaSets: [], signal: { class: 'CrashLoop', container: 'app', reason: 'Error', exitCode: 137, restartCount: 4 },
    previousLogs: 'starting… (warming cache, ~45s)\n' });
  assert.deepEqual(d.action, { type: 'addStartupProbe', container: 'app', startupSeconds: 70 });
});

const nodes = [
  { name: 'small', allocatable: { cpu: '2', memory: '4Gi' } },
  { name: 'large', allocatable: { cpu: '3500m', memory: '6Gi' } },
];

test('unschedulable: only the insufficient resource is fitted, less what the other containers request', () => {
  const current = tpl(
    app({ resources: { requests: { cpu: '500m', memory: '12Gi' } } }),
    { name: 'sidecar', image: 'ghcr.io/g/proxy:1', resources: { requests: { cpu: '100m', memory: '512Mi' } } },
  );
  const d = diagnose({ template: current, replicaSets: [], nodes,
    signal: { class: 'Unschedulable', message: '0/2 nodes are available: 2 Insufficient memory. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.' } });
  // 6Gi × 0.9 = 5529.6Mi, less the sidecar's 512Mi.
  assert.deepEqual(d.action, { type: 'fitRequests', container: 'app', memory: '5017Mi' });
  assert.ok(d.confidence >= 0.85);
});

test('unschedulable: some nodes excluded by taints lowers the confidence; a request that fits an empty node is not the cause', () => {
  const big = tpl(app({ resources: { requests: { memory: '8Gi' } } }));
  const mixed = diagnose({ template: big, replicaSets: [], nodes, signal: { class: 'Unschedulable' },
    events: [{ reason: 'FailedScheduling', message: '0/2 nodes are available: 1 Insufficient memory, 1 node(s) had untolerated taint {dedicated: gpu}. preemption: …' }] });
  assert.deepEqual(mixed.action, { type: 'fitRequests', container: 'app', memory: '5529Mi' });
  assert.ok(mixed.confidence <= 0.5);
  const fits = diagnose({ template: tpl(app({ resources: { requests: { memory: '3Gi' } } })), replicaSets: [], nodes,
    signal: { class: 'Unschedulable', message: '0/2 nodes are available: 2 Insufficient memory.' } });
  assert.equal(fits.action.type, 'none');
  const noNodes = diagnose({ template: big, replicaSets: [], signal: { class: 'Unschedulable', message: '0/2 nodes are available: 2 Insufficient memory.' } });
  assert.equal(noNodes.action.type, 'none');
});

test('config: an envFrom ConfigMap renamed by the last rollout goes back', () => {
  const before = tpl(app({ envFrom: [{ configMapRef: { name: 'joke-settings' } }] }));
  const after = tpl(app({ envFrom: [{ configMapRef: { name: 'joke-config' } }] }));
  const d = diagnose({ template: after, replicaSets: [revision('1', before), revision('2', after)],
    signal: { class: 'ConfigError', reason: 'CreateContainerConfigError', message: 'configmap "joke-config" not found' } });
  assert.deepEqual(d.action, { type: 'revertField', path: 'spec.containers[app].envFrom[0].configMapRef.name', value: 'joke-settings' });
});

test('config: a literal env value replaced by a ref to a missing Secret key is restored', () => {
  const before = tpl(app({ env: [{ name: 'LOG_LEVEL', value: 'info' }] }));
  const after = tpl(app({ env: [{ name: 'LOG_LEVEL', valueFrom: { secretKeyRef: { name: 'app', key: 'log-level' } } }] }));
  const d = diagnose({ template: after, replicaSets: [revision('4', before), revision('5', after)],
    signal: { class: 'ConfigError', message: "couldn't find key log-level in Secret default/app" } });
  assert.deepEqual(d.action, { type: 'restoreEnv', container: 'app', name: 'LOG_LEVEL', value: 'info' });
});

test('config: a ref the last rollout added, or a message naming nothing, is explained', () => {
  const before = tpl(app());
  const after = tpl(app({ env: [{ name: 'DB', valueFrom: { secretKeyRef: { name: 'db', key: 'url' } } }] }));
  const added = diagnose({ template: after, replicaSets: [revision('1', before), revision('2', after)], signal: { class: 'ConfigError', message: 'secret "db" not found' } });
  assert.equal(added.action.type, 'none');
  assert.match(added.rootCause, /revision 2 added a reference to Secret db/);
  const vague = diagnose({ template: after, replicaSets: [], signal: { class: 'ConfigError', reason: 'CreateContainerError', message: 'failed to create containerd container: exec format error' } });
  assert.equal(vague.action.type, 'none');
  assert.ok(vague.confidence < 0.5);
});

test('crash: changed args go back to the previous list', () => {
  const before = tpl(app({ args: ['--cache-size=64'] }));
  const after = tpl(app({ args: ['--cache-size=0'] }));
  const d = diagnose({ template: after, replicaSets: [revision('1', before), revision('2', after)],
    signal: { class: 'CrashLoop', container: 'app', exitCode: 2, restartCount: 5 }, previousLogs: 'panic: cache size must be positive\n' });
  assert.deepEqual(d.action, { type: 'revertField', path: 'spec.containers[app].args', value: '["--cache-size=64"]' });
  assert.ok(d.confidence >= 0.8);
});

test('crash: several changed fields suspect the image; without an image change nothing is guessed', () => {
  const before = tpl(app({ env: [{ name: 'MODE', value: 'a' }], resources: { limits: { cpu: '1' } } }));
  const withImage = tpl(app({ image: 'ghcr.io/g/joke:1.2.0', env: [{ name: 'MODE', value: 'b' }], resources: { limits: { cpu: '1' } } }));
  const suspect = diagnose({ template: withImage, replicaSets: [revision('1', before), revision('2', withImage)], signal: { class: 'CrashLoop', exitCode: 1 } });
  assert.deepEqual(suspect.action, { type: 'setImageTag', container: 'app', tag: '1.0.0' });
  assert.ok(suspect.confidence <= 0.5);
  const noImage = tpl(app({ env: [{ name: 'MODE', value: 'b' }], resources: { limits: { cpu: '500m' } } }));
  const listed = diagnose({ template: noImage, replicaSets: [revision('1', before), revision('2', noImage)], signal: { class: 'CrashLoop', exitCode: 1 } });
  assert.equal(listed.action.type, 'none');
  assert.match(listed.rootCause, /changed 2 fields/);
});

test('crash: an added command cannot be reverted by a field value, and a metadata-only change is no cause', () => {
  const before = tpl(app());
  const after = tpl(app({ command: ['/bin/joke', '--serve'] }));
  const added = diagnose({ template: after, replicaSets: [revision('1', before), revision('2', after)], signal: { class: 'CrashLoop', exitCode: 1 } });
  assert.equal(added.action.type, 'none');
  assert.match(added.rootCause, /added spec\.containers\[app\]\.command/);
  const restarted = { ...before, metadata: { ...before.metadata, annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' } } };
  const generic = diagnose({ template: restarted, replicaSets: [revision('1', before), revision('2', restarted)], signal: { class: 'CrashLoop', exitCode: 1 }, previousLogs: 'panic: boom\n' });
  assert.equal(generic.action.type, 'none');
  assert.ok(generic.confidence < 0.5);
  assert.ok(generic.cited.includes('log: panic: boom'));
});

test('crash: a missing env var that an earlier revision took from a Secret is restored without a value', () => {
  const before = tpl(app({ env: [{ name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 'api', key: 'token' } } }] }));
  const after = tpl(app());
  const d = diagnose({ template: after, replicaSets: [revision('1', before), revision('2', after)],
    signal: { class: 'CrashLoop', exitCode: 1 }, previousLogs: '{"level":"fatal","msg":"missing required env var: API_TOKEN"}\n' });
  assert.deepEqual(d.action, { type: 'restoreEnv', container: 'app', name: 'API_TOKEN' });
});

test('stuck rollout without a failing pod to look at reverts the rollout\'s one change', () => {
  const before = tpl(app({ resources: { requests: { memory: '256Mi' } } }));
  const after = tpl(app({ resources: { requests: { memory: '2Gi' } } }));
  const d = diagnose({ template: after, replicaSets: [revision('1', before), revision('2', after)],
    signal: { class: 'RolloutStuck', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "joke-2abc" has timed out progressing.' } });
  assert.deepEqual(d.action, { type: 'revertField', path: 'spec.containers[app].resources.requests.memory', value: '256Mi' });
  assert.ok(d.confidence >= 0.6 && d.confidence < 0.8);
  const nothing = diagnose({ template: after, replicaSets: [revision('2', after)], signal: { class: 'RolloutStuck', reason: 'ProgressDeadlineExceeded' } });
  assert.equal(nothing.action.type, 'none');
});

test('stuck rollout: the old pods\' events are not the new revision\'s problem', () => {
  const before = tpl(app());
  const after = tpl(app({ image: 'ghcr.io/g/joke:9.9.9' }));
  const d = diagnose({ template: after, replicaSets: [revision('1', before), revision('2', after)], signal: { class: 'RolloutStuck' },
    events: [
      { reason: 'Unhealthy', message: 'Readiness probe failed: HTTP probe failed with statuscode: 503', object: { kind: 'Pod', name: 'joke-1abc-x1' } },
      { reason: 'Failed', message: 'Failed to pull image "ghcr.io/g/joke:9.9.9": not found', object: { kind: 'Pod', name: 'joke-2abc-y2' } },
    ] });
  assert.deepEqual(d.action, { type: 'setImageTag', container: 'app', tag: '1.0.0' });
});

test('stuck rollout on a missing Secret is explained, not blamed on the rollout\'s other change', () => {
  const before = tpl(app({ env: [{ name: 'PW', valueFrom: { secretKeyRef: { name: 'db', key: 'pw' } } }] }));
  const after = tpl(app({ image: 'ghcr.io/g/joke:1.1.0', env: [{ name: 'PW', valueFrom: { secretKeyRef: { name: 'db', key: 'pw' } } }] }));
  const d = diagnose({ template: after, replicaSets: [revision('1', before), revision('2', after)], signal: { class: 'RolloutStuck' },
    related: [{ class: 'ConfigError', container: 'app', reason: 'CreateContainerConfigError', message: 'secret "db" not found' }] });
  assert.equal(d.action.type, 'none');
  assert.match(d.rootCause, /stuck: container app refers to Secret db, which does not exist/);
});

test('no rule, no signal, or an action outside the bounds: an explanation with low confidence', () => {
  const other = diagnose({ replicaSets: [], signal: { class: 'GitOpsDegraded', message: 'Deployment web is Degraded' } });
  assert.equal(other.action.type, 'none');
  assert.ok(other.confidence <= 0.2);
  // A metric regression with no rollout before it is explained, unsure enough for the model to get its turn.
  const regression = diagnose({ replicaSets: [], signal: { class: 'ErrorRate', message: '5xx rate 12%' } });
  assert.equal(regression.action.type, 'none');
  assert.ok(regression.confidence <= 0.3);
  assert.equal(diagnose({ replicaSets: [] }).action.type, 'none');
  // A previous tag too long for the schema is never proposed.
  const longTag = 'x'.repeat(200);
  const bounded = diagnose({ container: 'app', replicaSets: [revision('1', tpl(app({ image: `ghcr.io/g/joke:${longTag}` }))), revision('2', tpl(app({ image: 'ghcr.io/g/joke:nope' })))], signal: { class: 'ImagePull' } });
  assert.equal(bounded.action.type, 'none');
});

test('GitOpsSyncFailed after a clean revision: revert the commit Flux cannot apply; without one, explain only', () => {
  const signal = { class: 'GitOpsSyncFailed' as const, reason: 'ReconciliationFailed', message: 'Deployment/shop/web dry-run failed: spec.replicas: Invalid value: -1' };
  const failing = diagnoseWithRules({ replicaSets: [], signal, gitops: { kind: 'Kustomization', revision: `main@sha1:${'b'.repeat(40)}`, appliedRevision: `main@sha1:${'a'.repeat(40)}` } });
  assert.deepEqual(failing.action, { type: 'revertCommit', commit: 'b'.repeat(40) });
  assert.match(failing.rootCause, /^Flux cannot apply revision bbbbbbb \(ReconciliationFailed\): Deployment\/shop\/web dry-run failed: spec\.replicas: Invalid value: -1; aaaaaaa applied cleanly/);
  // As the diagnosis controller passes it: the incident's evidence summary, head included.
  const fromEvidence = diagnoseWithRules({ replicaSets: [], signal: { ...signal, message: `GitOpsSyncFailed in Flux Kustomization shop/web, reason ReconciliationFailed, revision main@sha1:${'b'.repeat(40)}: ${signal.message}` }, gitops: { kind: 'Kustomization', revision: `main@sha1:${'b'.repeat(40)}`, appliedRevision: `main@sha1:${'a'.repeat(40)}` } });
  assert.equal(fromEvidence.rootCause, failing.rootCause);
  const never = diagnoseWithRules({ replicaSets: [], signal, gitops: { kind: 'Application', revision: 'c'.repeat(40) } });
  assert.equal(never.action.type, 'none');
  assert.match(never.rootCause, /^Argo CD cannot apply revision ccccccc and has no earlier revision/);
});
