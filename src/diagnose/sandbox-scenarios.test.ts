// The analyzers against failures the tier-2 sandbox produced (test/fixtures/sandbox,
// captured from examples/sandbox and variants of them): the signal is what the real
// detector finds in the captured pods and events, the diagnosis must be the exact fix.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SignalClass } from '../api/healing-incident.ts';
import { RemedyAction } from './remedy-action.ts';
import { diagnoseWithRules } from './rules.ts';
import { analyzerInputFor, fixtureSignals, loadSandboxFixture, sandboxScenarios } from './sandbox-fixtures.ts';

interface Expectation {
  scenario: string;
  signal: SignalClass;
  action: RemedyAction;
  minConfidence: number;
  /** A fact the citations must contain. */
  cites: RegExp;
}

const EXPECTED: Expectation[] = [
  { scenario: 'oom', signal: 'OOMKilled', minConfidence: 0.9, cites: /limits\.memory: 128Mi/,
    action: { type: 'raiseResource', container: 'app', resource: 'memory', field: 'limits', value: '256Mi' } },
  { scenario: 'bad-image', signal: 'ImagePull', minConfidence: 0.8, cites: /revision 1 image: ghcr\.io\/gopherguard\/jokeservice:1\.0\.0/,
    action: { type: 'setImageTag', container: 'app', tag: '1.0.0' } },
  { scenario: 'bad-image', signal: 'RolloutStuck', minConfidence: 0.8, cites: /ProgressDeadline|timed out progressing/,
    action: { type: 'setImageTag', container: 'app', tag: '1.0.0' } },
  { scenario: 'missing-env', signal: 'CrashLoop', minConfidence: 0.7, cites: /required environment variable DATABASE_URL is not set/,
    action: { type: 'none', reason: 'set DATABASE_URL in the manifest (from a ConfigMap or Secret if it is sensitive); no revision had a value to restore' } },
  { scenario: 'env-removed', signal: 'CrashLoop', minConfidence: 0.9, cites: /revision 1 sets env DATABASE_URL/,
    action: { type: 'restoreEnv', container: 'app', name: 'DATABASE_URL', value: 'postgres://jokes-db:5432/jokes' } },
  { scenario: 'configmap-missing', signal: 'ConfigError', minConfidence: 0.8, cites: /configmap "app-config" not found/,
    action: { type: 'none', reason: 'create ConfigMap app-config (it is not in the workload\'s manifest), or mark the reference optional' } },
  { scenario: 'configmap-key-renamed', signal: 'ConfigError', minConfidence: 0.85, cites: /configMapKeyRef\.key: LOG_LEVEL → log-level/,
    action: { type: 'revertField', path: 'spec.containers[app].env[LOG_LEVEL].valueFrom.configMapKeyRef.key', value: 'LOG_LEVEL' } },
  { scenario: 'secret-renamed', signal: 'ConfigError', minConfidence: 0.85, cites: /secret "db-credentials" not found/,
    action: { type: 'revertField', path: 'spec.containers[app].env[DB_PASSWORD].valueFrom.secretKeyRef.name', value: 'db' } },
  { scenario: 'readiness-path', signal: 'ProbeFailure', minConfidence: 0.85, cites: /serving paths paths=\/,\/healthz,\/readyz,\/livez/,
    action: { type: 'fixProbe', container: 'app', probe: 'readiness', path: '/readyz' } },
  { scenario: 'readiness-path', signal: 'RolloutStuck', minConfidence: 0.85, cites: /statuscode: 404/,
    action: { type: 'fixProbe', container: 'app', probe: 'readiness', path: '/readyz' } },
  { scenario: 'liveness-port', signal: 'ProbeFailure', minConfidence: 0.9, cites: /listening addr=:8080/,
    action: { type: 'fixProbe', container: 'app', probe: 'liveness', port: 8080 } },
  { scenario: 'slow-start', signal: 'ProbeFailure', minConfidence: 0.85, cites: /warming caches before listening expected=45s/,
    action: { type: 'addStartupProbe', container: 'app', startupSeconds: 70 } },
  { scenario: 'requests-too-big', signal: 'Unschedulable', minConfidence: 0.85, cites: /3 Insufficient cpu, 3 Insufficient memory/,
    action: { type: 'fitRequests', container: 'app', cpu: '3600m', memory: '7372Mi' } },
  { scenario: 'node-selector', signal: 'Unschedulable', minConfidence: 0.8, cites: /didn't match Pod's node affinity\/selector/,
    action: { type: 'none', reason: 'the requests are not the reason: 3 node(s) didn\'t match Pod\'s node affinity/selector (taints, affinity, selectors or other resources); no request change helps' } },
  { scenario: 'crash-after-image', signal: 'CrashLoop', minConfidence: 0.8, cites: /image: ghcr\.io\/gopherguard\/jokeservice:1\.0\.0 → ghcr\.io\/gopherguard\/jokeservice:1\.2\.0/,
    action: { type: 'setImageTag', container: 'app', tag: '1.0.0' } },
  { scenario: 'crash-after-image', signal: 'RolloutStuck', minConfidence: 0.8, cites: /panic: runtime error/,
    action: { type: 'setImageTag', container: 'app', tag: '1.0.0' } },
  { scenario: 'crash-after-env', signal: 'CrashLoop', minConfidence: 0.8, cites: /env\[JOKE_SOURCE\]\.value: value changed/,
    action: { type: 'restoreEnv', container: 'app', name: 'JOKE_SOURCE', value: 'builtin' } },
];

for (const expected of EXPECTED) {
  test(`sandbox ${expected.scenario}: ${expected.signal} → ${expected.action.type}`, () => {
    const { input } = analyzerInputFor(loadSandboxFixture(expected.scenario), expected.signal);
    const diagnosis = diagnoseWithRules(input);
    assert.deepEqual(diagnosis.action, expected.action);
    assert.ok(RemedyAction.safeParse(diagnosis.action).success);
    assert.ok(diagnosis.confidence >= expected.minConfidence && diagnosis.confidence <= 1, `confidence ${diagnosis.confidence}`);
    assert.ok(diagnosis.cited.some((c) => expected.cites.test(c)), `cited: ${diagnosis.cited.join(' | ')}`);
    assert.ok(diagnosis.rootCause.length > 0);
  });
}

test('every captured scenario is asserted, and every signal in it gives a valid action', () => {
  const covered = new Set(EXPECTED.map((e) => e.scenario));
  for (const scenario of sandboxScenarios()) {
    assert.ok(covered.has(scenario), `${scenario}.json has no expectation`);
    const fixture = loadSandboxFixture(scenario);
    for (const signal of fixtureSignals(fixture)) {
      const diagnosis = diagnoseWithRules(analyzerInputFor(fixture, signal.class).input);
      assert.ok(RemedyAction.safeParse(diagnosis.action).success, `${scenario} ${signal.class}: ${JSON.stringify(diagnosis.action)}`);
      assert.ok(EXPECTED.some((e) => e.scenario === scenario && e.signal === signal.class), `${scenario}: ${signal.class} has no expectation`);
    }
  }
});

test('sandbox fixtures stay small and carry no bookkeeping noise', () => {
  for (const scenario of sandboxScenarios()) {
    const text = JSON.stringify(loadSandboxFixture(scenario));
    assert.ok(text.length < 8 * 1024, `${scenario}: ${text.length} bytes`);
    assert.doesNotMatch(text, /managedFields|resourceVersion|"uid"|creationTimestamp|startedAt|finishedAt|containerID/);
    assert.doesNotMatch(text, /[0-9a-f]{8}-(?!0000-)[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/, `${scenario}: a pod uid`);
  }
});
