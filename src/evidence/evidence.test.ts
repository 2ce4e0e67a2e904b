import assert from 'node:assert/strict';
import { test } from 'node:test';
import { logExcerpt, podTemplateYaml, summarizeEvidence } from './evidence.ts';

test('the pod template reads like the manifest, without env values or the template hash', () => {
  const yaml = podTemplateYaml({
    metadata: { labels: { app: 'web', 'pod-template-hash': 'abc' } },
    spec: { containers: [{ name: 'app', image: 'joke:1', env: [{ name: 'DB_PASSWORD', value: 'hunter2' }, { name: 'FROM_CM', valueFrom: { configMapKeyRef: { name: 'c', key: 'k' } } }] }] },
  });
  assert.match(yaml, /image: joke:1/);
  assert.match(yaml, /name: DB_PASSWORD\n\s+value: \(value not shown\)/);
  assert.ok(!yaml.includes('hunter2') && !yaml.includes('pod-template-hash'));
  assert.match(yaml, /configMapKeyRef/);
});

test('the summary says what failed where, and evidence stays within its bounds', () => {
  const events = Array.from({ length: 30 }, (_, i) => ({
    metadata: { name: `e${i}` }, involvedObject: { kind: 'Pod', name: 'web-1' }, reason: 'BackOff', message: 'x'.repeat(600), count: i,
    lastTimestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
  }));
  const evidence = summarizeEvidence(
    { class: 'OOMKilled', workload: { kind: 'Deployment', namespace: 'shop', name: 'web' }, container: 'app', object: { kind: 'Pod', name: 'web-1' }, reason: 'OOMKilled', exitCode: 137, restartCount: 4, observedAt: '' },
    events, ['Pod/web-1', 'ReplicaSet/web-1', 'Deployment/web'], undefined,
  );
  assert.equal(evidence.summary, 'OOMKilled in container app of pod web-1, reason OOMKilled, exit code 137, 4 restarts');
  assert.equal(evidence.events?.length, 20);
  assert.equal(evidence.events?.[0]?.count, 29, 'newest first');
  assert.ok(evidence.events?.every((e) => e.message.length <= 512));
});

test('the log excerpt keeps the tail of both instances: a chatty current one never pushes the crash out', () => {
  const crash = `${'starting\n'.repeat(50)}panic: nil map write\n`;
  const chatty = 'GET /healthz 200\n'.repeat(5000);
  const excerpt = logExcerpt(crash, chatty, 2000) ?? '';
  assert.ok(excerpt.length <= 2000, `${excerpt.length} chars`);
  assert.match(excerpt, /^--- previous ---\n[\s\S]*panic: nil map write\n--- current ---\n…[\s\S]*GET \/healthz 200$/);
  assert.ok(excerpt.includes('panic: nil map write'), 'the crash survives');
  // A short previous log leaves its room to the current one.
  const short = logExcerpt('exit 1', chatty, 2000) ?? '';
  assert.ok(short.length > 1900 && short.length <= 2000);
  assert.equal(logExcerpt(undefined, undefined), undefined);
  assert.equal(logExcerpt(undefined, 'only now'), '--- current ---\nonly now');
});
