import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { V1Deployment, V1Pod, V1ReplicaSet } from '@kubernetes/client-node';
import type { HealingIncident } from '../api/healing-incident.ts';
import { healingScore } from '../reconcile/watch-controller.ts';
import { rolledOut } from '../k8s/rollout.ts';
import { currentRevisionPods, fixIsLive } from './fix-state.ts';

const deployment = (memory: string, status: V1Deployment['status'] = { observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 2 }): V1Deployment => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', generation: 2 },
  spec: { replicas: 2, selector: {}, template: { spec: { containers: [{ name: 'app', image: 'j:1', resources: { limits: { memory } } }] } } },
  status,
});
const raise = { type: 'raiseResource', container: 'app', resource: 'memory', field: 'limits', value: '256Mi' } as const;

test('a fix is live once the live template already has what the action sets', () => {
  assert.equal(fixIsLive(deployment('128Mi'), raise), false);
  assert.equal(fixIsLive(deployment('256Mi'), raise), true);
  assert.equal(fixIsLive(deployment('256Mi'), { type: 'none', reason: 'x' }), false, 'nothing to verify');
});

test('only the newest revision pods count, and the rollout must be complete', () => {
  const rs = (hash: string, revision: string): V1ReplicaSet => ({ metadata: { labels: { 'pod-template-hash': hash }, annotations: { 'deployment.kubernetes.io/revision': revision } }, spec: { selector: {} } });
  const pod = (name: string, hash: string): V1Pod => ({ metadata: { name, labels: { 'pod-template-hash': hash } } });
  const pods = [pod('old', 'aaa'), pod('new', 'bbb')];
  assert.deepEqual(currentRevisionPods(deployment('256Mi'), [rs('aaa', '1'), rs('bbb', '2')], pods).map((p) => p.metadata?.name), ['new']);
  assert.equal(rolledOut(deployment('256Mi')), true);
  assert.equal(rolledOut(deployment('256Mi', { observedGeneration: 2, replicas: 3, updatedReplicas: 2, availableReplicas: 2 })), false, 'an old pod still runs');
  assert.equal(rolledOut(deployment('256Mi', { observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 2 })), false, 'the new generation is not seen yet');
});

test('the Healing Score is the share of verified fixes that healed, absent before any', () => {
  const incident = (phase: 'Healed' | 'Failed' | 'Detected', result?: 'Healed' | 'Failed'): HealingIncident => ({
    metadata: { name: 'x' }, spec: { watch: 'w', fingerprint: '0123456789abcdef', workload: { kind: 'Deployment', namespace: 'n', name: 'web' }, signalClass: 'OOMKilled' },
    status: { phase, ...(result ? { verification: { result } } : {}) },
  });
  assert.deepEqual(healingScore([incident('Detected')]), {});
  assert.deepEqual(healingScore([incident('Healed', 'Healed'), incident('Healed', 'Healed'), incident('Failed', 'Failed'), incident('Detected')]), { healingScore: 66.7 });
});

test('a startup probe counts as live when the API server filled in its defaults', () => {
  const liveness = { httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' }, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 };
  const live = (startupProbe?: object): V1Deployment => {
    const d = deployment('128Mi');
    d.spec!.template.spec!.containers[0]!.livenessProbe = liveness;
    if (startupProbe) d.spec!.template.spec!.containers[0]!.startupProbe = startupProbe;
    return d;
  };
  const action = { type: 'addStartupProbe', container: 'app', startupSeconds: 60 } as const;
  assert.equal(fixIsLive(live(), action), false, 'no startup probe yet');
  // The probe the PR wrote (6 x 10 s), as the API server returns it: defaults added.
  const fixed = live({ ...liveness, failureThreshold: 6, periodSeconds: 10 });
  assert.equal(fixIsLive(fixed, action), true);
  assert.equal(fixIsLive(live({ ...liveness, failureThreshold: 2 }), action), false, 'a probe that allows too little time is not the fix');
});
