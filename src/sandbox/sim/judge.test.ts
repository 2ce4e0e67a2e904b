import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { judgePod, type World } from './judge.ts';

const IMAGE = 'ghcr.io/gopherguard/jokeservice:1.0.0';
const world: World = {
  images: new Set([IMAGE]),
  configMaps: new Map([['shop/app-config', new Set(['greeting'])]]),
  secrets: new Map([['shop/db', new Set(['password'])]]),
};

function pod(container: Partial<V1Container>, annotations: Record<string, string> = {}): V1Pod {
  return {
    metadata: { name: 'p', namespace: 'shop', annotations },
    spec: { containers: [{ name: 'app', image: IMAGE, ports: [{ containerPort: 8080, name: 'http' }], ...container }] },
  };
}

test('a pod that fits its declared needs is healthy', () => {
  const verdict = judgePod(pod({ resources: { limits: { memory: '256Mi' } } }, { 'sandbox.gopherguard.dev/needs-memory': '200Mi' }), world);
  assert.equal(verdict.behaviour, 'healthy');
});

test('a memory limit below the declared need is an OOM kill with exit 137', () => {
  const verdict = judgePod(pod({ resources: { limits: { memory: '128Mi' } } }, { 'sandbox.gopherguard.dev/needs-memory': '200Mi' }), world);
  assert.deepEqual([verdict.behaviour, verdict.exitCode, verdict.reason, verdict.container], ['oom', 137, 'OOMKilled', 'app']);
});

test('an image missing from the sandbox registry cannot be pulled, before anything else', () => {
  const verdict = judgePod(pod({ image: 'ghcr.io/gopherguard/jokeservice:9.9.9', resources: { limits: { memory: '1Mi' } } }, { 'sandbox.gopherguard.dev/needs-memory': '200Mi' }), world);
  assert.equal(verdict.behaviour, 'image-pull');
  assert.match(verdict.message ?? '', /jokeservice:9\.9\.9/);
});

test('a missing ConfigMap, ConfigMap key or Secret is a container config error', () => {
  const ref = (name: string, key: string) => ({ name: 'X', valueFrom: { configMapKeyRef: { name, key } } });
  assert.equal(judgePod(pod({ env: [ref('nope', 'greeting')] }), world).message, 'configmap "nope" not found');
  assert.equal(judgePod(pod({ env: [ref('app-config', 'farewell')] }), world).message, "couldn't find key farewell in ConfigMap shop/app-config");
  assert.equal(judgePod(pod({ env: [ref('app-config', 'greeting')] }), world).behaviour, 'healthy');
  assert.equal(judgePod(pod({ envFrom: [{ secretRef: { name: 'gone' } }] }), world).behaviour, 'config-error');
  assert.equal(judgePod(pod({ envFrom: [{ secretRef: { name: 'gone', optional: true } }] }), world).behaviour, 'healthy');
});

test('a missing required env var crashes with exit 1 and names the variable', () => {
  const verdict = judgePod(pod({ env: [{ name: 'A', value: '1' }] }, { 'sandbox.gopherguard.dev/requires-env': 'A,DATABASE_URL' }), world);
  assert.deepEqual([verdict.behaviour, verdict.exitCode, verdict.detail?.env], ['crash', 1, 'DATABASE_URL']);
});

test('a bug in the image crashes with the declared exit code and reason', () => {
  const verdict = judgePod(pod({}, { 'sandbox.gopherguard.dev/crash-exit-code': '3', 'sandbox.gopherguard.dev/crash-reason': 'ContainerCannotRun' }), world);
  assert.deepEqual([verdict.behaviour, verdict.exitCode, verdict.reason], ['crash', 3, 'ContainerCannotRun']);
  assert.equal(judgePod(pod({}, { 'sandbox.gopherguard.dev/crash-exit-code': '0' }), world).behaviour, 'healthy');
});

test('a readiness probe on a port or path the app does not serve fails the right way', () => {
  const onPort = judgePod(pod({ readinessProbe: { httpGet: { path: '/readyz', port: 8081 } } }), world);
  assert.deepEqual([onPort.behaviour, onPort.probe], ['readiness-fail', 'refused']);
  const onPath = judgePod(pod({ readinessProbe: { httpGet: { path: '/ready', port: 'http' } } }), world);
  assert.deepEqual([onPath.behaviour, onPath.probe], ['readiness-fail', 'http-404']);
  assert.equal(judgePod(pod({ readinessProbe: { httpGet: { path: '/readyz', port: 8080 } } }), world).behaviour, 'healthy');
});

test('a liveness probe that cannot succeed kills the container after its failure budget', () => {
  const verdict = judgePod(pod({ livenessProbe: { httpGet: { path: '/livez', port: 9090 }, periodSeconds: 2, failureThreshold: 3 } }), world);
  assert.deepEqual([verdict.behaviour, verdict.runsFor, verdict.probe], ['liveness-fail', '6s', 'refused']);
});

test('a slow starter is killed by a short liveness delay and saved by a startup probe', () => {
  const liveness = { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 1, failureThreshold: 3 };
  const slow = { 'sandbox.gopherguard.dev/starts-in': '20s' };
  assert.equal(judgePod(pod({ livenessProbe: liveness }, slow), world).behaviour, 'slow-start');
  const startupProbe = { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 5, failureThreshold: 6 };
  assert.equal(judgePod(pod({ livenessProbe: liveness, startupProbe }, slow), world).behaviour, 'healthy');
  assert.equal(judgePod(pod({ livenessProbe: { ...liveness, initialDelaySeconds: 30 } }, slow), world).behaviour, 'healthy');
});
