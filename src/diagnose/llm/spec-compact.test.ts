import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { V1PodTemplateSpec } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { compactSpec } from './spec-compact.ts';

const template: V1PodTemplateSpec = {
  metadata: { labels: { app: 'web' }, annotations: { 'checksum/config': 'abc' } },
  spec: {
    securityContext: { runAsNonRoot: true },
    nodeSelector: { disk: 'ssd' },
    containers: [
      { name: 'sidecar', image: 'proxy:1', resources: { limits: { memory: '64Mi' } } },
      {
        name: 'app', image: 'web:2', ports: [{ containerPort: 8080 }],
        env: [{ name: 'TOKEN', value: 's3cr3t' }, { name: 'DB', valueFrom: { secretKeyRef: { name: 'db', key: 'url' } } }],
        readinessProbe: { httpGet: { path: '/ready', port: 8081 } },
        resources: { limits: { memory: '256Mi' } },
      },
    ],
  },
};

test('the failing container first, with the fields its class needs; env values never', () => {
  const text = compactSpec({ template }, 'CrashLoop', 'app') ?? '';
  const [first, second] = text.split('\n');
  assert.match(first ?? '', /^container app \(failing\): \{"image":"web:2","resources"/);
  assert.match(first ?? '', /"readinessProbe":\{"httpGet":\{"path":"\/ready","port":8081\}\}/);
  assert.match(first ?? '', /"env":\["TOKEN=\(set\)","DB<-secret:db\/url"\]/);
  assert.ok(!text.includes('s3cr3t'));
  assert.equal(second, 'container sidecar: {"image":"proxy:1","resources":{"limits":{"memory":"64Mi"}}}');
  assert.ok(!text.includes('checksum') && !text.includes('runAsNonRoot'), 'metadata and security settings say nothing about the failure');
});

test('an OOM needs resources only; unschedulable adds the scheduling constraints', () => {
  assert.ok(!(compactSpec({ template }, 'OOMKilled', 'app') ?? '').includes('readinessProbe'));
  assert.match(compactSpec({ template }, 'Unschedulable', 'app') ?? '', /pod: \{"nodeSelector":\{"disk":"ssd"\}\}/);
});

test('the YAML of the incident evidence is read when no template object is at hand', () => {
  assert.equal(compactSpec({ yamlText: stringify(template) }, 'OOMKilled', 'app'), compactSpec({ template }, 'OOMKilled', 'app'));
  assert.equal(compactSpec({ yamlText: 'not: [valid' }, 'OOMKilled', 'app'), 'not: [valid');
});
