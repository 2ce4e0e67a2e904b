import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AegisWatchSpec, type AegisWatchSpecInput } from './aegis-watch.ts';
import { parseAegisWatch } from './crd.ts';

const minimal: AegisWatchSpecInput = { targets: { workloads: [{ kind: 'Deployment', name: 'web' }] }, source: { flux: { kustomization: 'apps' } } };
const watch = (spec: unknown, extra: Record<string, unknown> = {}) => ({ apiVersion: 'gopherguard.dev/v1alpha1', kind: 'AegisWatch', metadata: { name: 'w', namespace: 'shop' }, spec, ...extra });

/** The problems of a spec made from the minimal one by `change`. */
function problemsWith(change: (spec: Record<string, unknown>) => void): string[] {
  const spec = structuredClone(minimal) as Record<string, unknown>;
  change(spec);
  const result = parseAegisWatch(watch(spec));
  assert.equal(result.ok, false, 'expected the spec to be rejected');
  return result.ok ? [] : result.problems;
}

test('a minimal spec parses with every default filled in', () => {
  const result = parseAegisWatch(watch(minimal));
  assert.ok(result.ok);
  const spec = result.value.spec;
  assert.equal(spec.mode, 'pullRequest');
  assert.equal(spec.personality, 'witty');
  assert.deepEqual(spec.detectors.crashLoop, { enabled: true, restartThreshold: 1, windowSeconds: 600 });
  assert.deepEqual(spec.detectors.probeFailures, { enabled: true, threshold: 3 });
  assert.deepEqual(spec.detectors.unschedulable, { enabled: true, pendingSeconds: 60 });
  assert.ok([spec.detectors.oomKilled, spec.detectors.imagePull, spec.detectors.configError, spec.detectors.rolloutStuck, spec.detectors.gitOps].every((d) => d.enabled));
  assert.deepEqual(spec.diagnoser, { engine: 'rules' });
  assert.deepEqual(spec.limits, { maxOpenPullRequests: 10, pullRequestsPerHour: 2, cooldownSeconds: 900 });
  assert.equal(spec.notifications, undefined);
  assert.deepEqual(result.value.metadata, { name: 'w', namespace: 'shop' });
});

test('nested defaults fill in around the values given', () => {
  const spec = AegisWatchSpec.parse({
    ...minimal,
    source: { git: { repo: 'https://gitea.example/acme/shop.git', forge: 'gitea', secretRef: { name: 'forge' } } },
    detectors: { crashLoop: { restartThreshold: 3 } },
    diagnoser: { engine: 'llm', llm: { provider: 'ollama', model: 'qwen3', baseURL: 'http://127.0.0.1:11434/v1' } },
    notifications: [{ type: 'discord', secretRef: { name: 'hooks', key: 'discord' } }],
  });
  assert.deepEqual(spec.source.git, { repo: 'https://gitea.example/acme/shop.git', branch: 'main', path: '.', forge: 'gitea', secretRef: { name: 'forge', key: 'token' } });
  assert.deepEqual(spec.detectors.crashLoop, { enabled: true, restartThreshold: 3, windowSeconds: 600 });
  assert.equal(spec.detectors.gitOps.enabled, true);
  assert.deepEqual(spec.diagnoser.llm, { provider: 'ollama', model: 'qwen3', baseURL: 'http://127.0.0.1:11434/v1', policy: 'fallback', timeoutSeconds: 30, maxTokensPerIncident: 8000, maxTokensPerHour: 100000, anonymizeNames: false });
  assert.deepEqual(spec.notifications?.[0]?.events, ['detected', 'fixProposed', 'pullRequestOpened', 'healed', 'failed']);
});

test('targets need workloads or a selector', () => {
  assert.deepEqual(problemsWith((s) => (s.targets = {})), ['spec.targets: give workloads or a selector']);
  assert.match(problemsWith((s) => delete s.targets).join(), /^spec\.targets: Invalid input: expected object, received undefined$/);
  assert.match(problemsWith((s) => (s.targets = { workloads: [{ kind: 'CronJob', name: 'Web' }] })).join('\n'), /spec\.targets\.workloads\[0\]\.kind: Invalid option.*\n.*workloads\[0\]\.name: must be a lower-case DNS name/);
  assert.ok(AegisWatchSpec.safeParse({ ...minimal, targets: { selector: { matchExpressions: [{ key: 'tier', operator: 'Exists' }] } } }).success);
});

test('the source is exactly one of argoCD, flux or git', () => {
  assert.deepEqual(problemsWith((s) => (s.source = { flux: { kustomization: 'apps' }, argoCD: { application: 'shop' } })), ['spec.source: give exactly one of argoCD, flux or git']);
  assert.deepEqual(problemsWith((s) => (s.source = {})), ['spec.source: give exactly one of argoCD, flux or git']);
});

test('a git repository must be an https URL on a known forge (plain http only to this machine)', () => {
  const git = (repo: string, forge = 'github') => problemsWith((s) => (s.source = { git: { repo, forge } }));
  const message = 'spec.source.git.repo: must be an https:// URL (or http:// to 127.0.0.1 or localhost)';
  assert.deepEqual(git('http://github.com/acme/shop'), [message]);
  assert.deepEqual(git('http://127.0.0.1.evil.example/acme/shop'), [message]);
  assert.match(git('github.com/acme/shop').join(), /must be an https:\/\/ URL/);
  for (const repo of ['http://127.0.0.1:3000/acme/shop.git', 'http://localhost/acme/shop']) {
    assert.equal(parseAegisWatch(watch({ ...minimal, source: { git: { repo, forge: 'gitea' } } })).ok, true, repo);
  }
  assert.match(git('https://github.com/acme/shop', 'bitbucket').join(), /^spec\.source\.git\.forge: Invalid option: expected one of "github"\|"gitlab"\|"gitea"$/);
});

test('modes, thresholds and limits are bounded', () => {
  assert.match(problemsWith((s) => (s.mode = 'yolo')).join(), /^spec\.mode: Invalid option: expected one of "pullRequest"\|"suggest"\|"observe"\|"autoMerge"$/);
  assert.deepEqual(problemsWith((s) => (s.detectors = { crashLoop: { restartThreshold: 0 } })), ['spec.detectors.crashLoop.restartThreshold: Too small: expected number to be >=1']);
  assert.match(problemsWith((s) => (s.detectors = { crashLoop: { windowSeconds: 2.5 } })).join(), /windowSeconds: Invalid input: expected int/);
  assert.deepEqual(problemsWith((s) => (s.limits = { cooldownSeconds: 604801 })), ['spec.limits.cooldownSeconds: Too big: expected number to be <=604800']);
  assert.match(problemsWith((s) => (s.notifications = Array.from({ length: 11 }, () => ({ type: 'slack', secretRef: { name: 'x' } })))).join(), /^spec\.notifications: Too big: expected array to have <=10 items$/);
  assert.match(problemsWith((s) => (s.notifications = [{ type: 'slack', secretRef: { name: 'x' }, events: ['paged'] }])).join(), /^spec\.notifications\[0\]\.events\[0\]: Invalid option/);
});

test('an LLM diagnoser needs a base URL where there is no default one (without settings it uses the operator\'s model)', () => {
  assert.equal(parseAegisWatch(watch({ ...minimal, diagnoser: { engine: 'llm' } })).ok, true);
  assert.deepEqual(problemsWith((s) => (s.diagnoser = { engine: 'llm', llm: { provider: 'openai-compatible', model: 'm' } })), ['spec.diagnoser.llm: give baseURL for an openai-compatible provider']);
  assert.deepEqual(problemsWith((s) => (s.diagnoser = { llm: { provider: 'openai', model: 'm', baseURL: 'ftp://x' } })), ['spec.diagnoser.llm.baseURL: must be an http:// or https:// URL']);
  assert.match(problemsWith((s) => (s.diagnoser = { llm: { provider: 'openai', model: 'm', timeoutSeconds: 301 } })).join(), /^spec\.diagnoser\.llm\.timeoutSeconds: Too big/);
});

test('the object around the spec: kind and apiVersion when given, a status kept only when it parses', () => {
  const wrongKind = parseAegisWatch(watch(minimal, { kind: 'HealingIncident', apiVersion: 'v1' }));
  assert.deepEqual(wrongKind.ok ? [] : wrongKind.problems, ['apiVersion: must be gopherguard.dev/v1alpha1, not v1', 'kind: must be AegisWatch, not HealingIncident']);
  // List items come without kind and apiVersion.
  assert.ok(parseAegisWatch({ metadata: { name: 'w' }, spec: minimal }).ok);
  const status = { observedGeneration: 2, healingScore: 87.5, conditions: [{ type: 'Ready', status: 'True', reason: 'Watching', message: '', lastTransitionTime: '2026-01-02T03:04:05Z' }] };
  const good = parseAegisWatch(watch(minimal, { status }));
  assert.deepEqual(good.ok && good.value.status, status);
  const bad = parseAegisWatch(watch(minimal, { status: { healingScore: 101 } }));
  assert.ok(bad.ok && bad.value.status === undefined && !('status' in bad.value));
  assert.deepEqual(parseAegisWatch('nope'), { ok: false, problems: ['AegisWatch: must be an object'] });
});
