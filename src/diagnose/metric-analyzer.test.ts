import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { V1PodTemplateSpec, V1ReplicaSet } from '@kubernetes/client-node';
import { RemedyAction } from './remedy-action.ts';
import { diagnoseWithRules } from './rules.ts';

const template = (image: string, limits: Record<string, string> = {}): V1PodTemplateSpec => ({
  spec: { containers: [{ name: 'app', image, resources: { limits } }] },
});
const rs = (revision: string, image: string, createdAt: string): V1ReplicaSet => ({
  metadata: { name: `web-${revision}`, creationTimestamp: createdAt as unknown as Date, annotations: { 'deployment.kubernetes.io/revision': revision } },
  spec: { selector: {}, template: template(image) },
});
const errorRate = { class: 'ErrorRate' as const, reason: 'error-rate', message: 'ErrorRate: rule error-rate at 30 % > 5 % for 60 s (pod web-2-abcde)' };

test('an error rate that began with a rollout of a new tag reverts the tag the previous revision ran', () => {
  const d = diagnoseWithRules({
    container: 'app', template: template('ghcr.io/g/joke:1.3.0'), signal: errorRate, since: '2026-11-26T10:05:00Z',
    replicaSets: [rs('1', 'ghcr.io/g/joke:1.0.0', '2026-11-26T09:00:00Z'), rs('2', 'ghcr.io/g/joke:1.3.0', '2026-11-26T10:04:00Z')],
  });
  assert.deepEqual(d.action, { type: 'setImageTag', container: 'app', tag: '1.0.0' });
  assert.match(d.rootCause, /error rate is above its threshold since revision 2 changed the image of container app; revision 1 ran with ghcr\.io\/g\/joke:1\.0\.0/);
  assert.ok(d.confidence >= 0.8);
  assert.ok(d.cited.some((c) => c.includes('30 % > 5 %')), 'the breach is cited');
});

test('a regression that predates the newest rollout, or came hours after it, reverts nothing', () => {
  const replicaSets = [rs('1', 'ghcr.io/g/joke:1.0.0', '2026-11-26T09:00:00Z'), rs('2', 'ghcr.io/g/joke:1.1.0', '2026-11-26T10:04:00Z')];
  const before = diagnoseWithRules({ container: 'app', template: template('ghcr.io/g/joke:1.1.0'), signal: errorRate, since: '2026-11-26T10:00:00Z', replicaSets });
  assert.equal(before.action.type, 'none');
  assert.ok(before.confidence < 0.5, 'unsure: the model (if any) gets its turn');
  const later = diagnoseWithRules({ container: 'app', template: template('ghcr.io/g/joke:1.1.0'), signal: { ...errorRate, class: 'Latency' }, since: '2026-11-26T13:00:00Z', replicaSets });
  assert.equal(later.action.type, 'none');
  assert.match(later.rootCause, /response time/);
});

test('CPU throttling doubles the CPU limit within the cap; no limit or a capped one is explained', () => {
  const signal = { class: 'CpuThrottling' as const, container: 'app' };
  const d = diagnoseWithRules({ container: 'app', template: template('j:1', { cpu: '250m' }), signal, replicaSets: [] });
  assert.deepEqual(d.action, { type: 'raiseResource', container: 'app', resource: 'cpu', field: 'limits', value: '500m' });
  assert.ok(RemedyAction.safeParse(d.action).success);
  const capped = diagnoseWithRules({ container: 'app', template: template('j:1', { cpu: '3' }), signal, replicaSets: [] });
  assert.deepEqual(capped.action, { type: 'raiseResource', container: 'app', resource: 'cpu', field: 'limits', value: '4000m' });
  assert.equal(diagnoseWithRules({ container: 'app', template: template('j:1', { cpu: '4' }), signal, replicaSets: [] }).action.type, 'none');
  assert.equal(diagnoseWithRules({ container: 'app', template: template('j:1'), signal, replicaSets: [] }).action.type, 'none');
});

test('memory near its limit raises the limit by half before an OOM kill', () => {
  const signal = { class: 'MemorySaturation' as const, container: 'app' };
  const d = diagnoseWithRules({ container: 'app', template: template('j:1', { memory: '128Mi' }), signal, replicaSets: [] });
  assert.deepEqual(d.action, { type: 'raiseResource', container: 'app', resource: 'memory', field: 'limits', value: '192Mi' });
  assert.equal(diagnoseWithRules({ container: 'app', template: template('j:1', { memory: '4Gi' }), signal, replicaSets: [] }).action.type, 'none');
});
