import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeIssues } from './common.ts';
import { parseHealingIncident } from './crd.ts';
import { HealingIncidentSpec, HealingIncidentStatus, INCIDENT_PHASES, SIGNAL_CLASSES, SignalClass } from './healing-incident.ts';

const spec = {
  watch: 'shop-guard',
  fingerprint: '0123456789abcdef',
  workload: { kind: 'Deployment', name: 'web', namespace: 'shop' },
  container: 'app',
  signalClass: 'OOMKilled',
};
const incident = (s: unknown, status?: unknown) => ({ apiVersion: 'gopherguard.dev/v1alpha1', kind: 'HealingIncident', metadata: { name: 'web-oom' }, spec: s, ...(status ? { status } : {}) });
const problems = (s: unknown) => {
  const result = parseHealingIncident(incident(s));
  return result.ok ? [] : result.problems;
};
const statusProblems = (status: unknown) => {
  const result = HealingIncidentStatus.safeParse(status);
  return result.success ? [] : describeIssues(result.error.issues, 'status');
};

test('signal classes and phases are the ones in the design, in order', () => {
  assert.equal(SIGNAL_CLASSES.length, 14);
  assert.ok(SIGNAL_CLASSES.includes('Custom'), 'a metric rule of the user\'s own raises Custom');
  assert.ok(SIGNAL_CLASSES.includes('GitOpsDegraded') && SignalClass.safeParse('Latency').success);
  assert.deepEqual(INCIDENT_PHASES.slice(0, 7), ['Detected', 'Diagnosed', 'Proposed', 'PullRequestOpen', 'Merged', 'Synced', 'Healed']);
});

test('a valid incident parses, with or without a container', () => {
  const result = parseHealingIncident(incident(spec, { phase: 'Detected', occurrences: 1, firstSeen: '2026-03-01T10:00:00Z' }));
  assert.ok(result.ok);
  assert.deepEqual(result.value.spec, spec);
  assert.equal(result.value.status?.phase, 'Detected');
  const { container: _container, ...noContainer } = spec;
  // A GitOps incident is about an Application, not a workload kind AegisWatch targets.
  assert.ok(HealingIncidentSpec.safeParse({ ...noContainer, signalClass: 'GitOpsSyncFailed', workload: { kind: 'Application', name: 'shop', namespace: 'argocd' } }).success);
});

test('an invalid spec names each field that is wrong', () => {
  assert.deepEqual(problems({ ...spec, fingerprint: 'ABC' }), ['spec.fingerprint: must be 16 to 64 lower-case hex digits']);
  assert.deepEqual(problems({ ...spec, fingerprint: 'a'.repeat(65) }), ['spec.fingerprint: must be 16 to 64 lower-case hex digits']);
  assert.match(problems({ ...spec, signalClass: 'Meltdown' }).join(), /^spec\.signalClass: Invalid option: expected one of "CrashLoop"\|/);
  assert.deepEqual(problems({ ...spec, workload: { kind: 'deployment', name: 'web', namespace: 'Shop' } }), [
    'spec.workload.kind: must be a Kubernetes kind such as Deployment',
    'spec.workload.namespace: must be a lower-case DNS label (letters, digits and "-")',
  ]);
  assert.match(problems({ ...spec, watch: undefined }).join(), /^spec\.watch: Invalid input: expected string, received undefined$/);
});

test('a status records the state machine, the evidence and the later stages', () => {
  const status = {
    phase: 'PullRequestOpen',
    phaseTimestamps: { Detected: '2026-03-01T10:00:00Z', Diagnosed: '2026-03-01T10:00:02Z', PullRequestOpen: '2026-03-01T10:00:09Z' },
    occurrences: 4,
    evidence: { summary: 'OOMKilled 4 times', restartCount: 4, exitCode: 137, reason: 'OOMKilled', events: [{ reason: 'BackOff', message: 'Back-off restarting', count: 9, lastSeen: '2026-03-01T10:00:00Z' }], ownerChain: ['ReplicaSet/web-1', 'Deployment/web'] },
    diagnosis: { rootCause: 'memory limit 128Mi below the 200Mi the app needs', confidence: 0.95, action: { type: 'raiseMemoryLimit', params: { container: 'app', to: '256Mi' } }, engine: 'rules', witty: 'The app ate more than its plate.' },
    proposal: { file: 'apps/web/deployment.yaml', diff: '-  memory: 128Mi\n+  memory: 256Mi\n' },
    pullRequest: { url: 'https://github.com/acme/shop/pull/7', number: 7, branch: 'gopherguard/0123456789abcdef', state: 'open' },
    verification: { result: 'Pending' },
  };
  assert.deepEqual(HealingIncidentStatus.parse(status), status);
});

test('status bounds: phases, phase timestamps, sizes and confidence', () => {
  assert.match(statusProblems({ phase: 'Exploded' }).join(), /^status\.phase: Invalid option/);
  assert.match(statusProblems({ phase: 'Detected', phaseTimestamps: { Detected: 'yesterday' } }).join(), /^status\.phaseTimestamps\.Detected: must be an RFC 3339 date-time$/);
  assert.ok(statusProblems({ phase: 'Detected', phaseTimestamps: { Panicked: '2026-03-01T10:00:00Z' } }).length > 0);
  assert.deepEqual(statusProblems({ phase: 'Proposed', proposal: { diff: 'x'.repeat(16385) } }), ['status.proposal.diff: Too big: expected string to have <=16384 characters']);
  assert.deepEqual(statusProblems({ phase: 'Detected', message: 'x'.repeat(1025) }), ['status.message: Too big: expected string to have <=1024 characters']);
  assert.match(statusProblems({ phase: 'Detected', evidence: { summary: 's', events: Array.from({ length: 21 }, () => ({ reason: 'r', message: 'm', count: 1, lastSeen: '2026-03-01T10:00:00Z' })) } }).join(), /^status\.evidence\.events: Too big: expected array to have <=20 items$/);
  assert.match(statusProblems({ phase: 'Diagnosed', diagnosis: { rootCause: 'r', confidence: 1.5, action: { type: 'none' }, engine: 'rules' } }).join(), /^status\.diagnosis\.confidence: Too big/);
  assert.match(statusProblems({ phase: 'Healed', verification: { result: 'Maybe' } }).join(), /^status\.verification\.result: Invalid option/);
});
