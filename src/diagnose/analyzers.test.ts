import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { V1PodTemplateSpec, V1ReplicaSet } from '@kubernetes/client-node';
import { analyzeImagePull, splitImage } from './image-analyzer.ts';
import { analyzeOomKilled } from './oom-analyzer.ts';
import { RemedyAction } from './remedy-action.ts';

const template = (image: string, memory?: string): V1PodTemplateSpec => ({
  spec: { containers: [{ name: 'app', image, ...(memory ? { resources: { limits: { memory } } } : {}) }] },
});
const rs = (revision: string, image: string): V1ReplicaSet => ({
  metadata: { name: `web-${revision}`, annotations: { 'deployment.kubernetes.io/revision': revision } },
  spec: { selector: {}, template: template(image) },
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

test('image pull: back to the tag the previous revision ran, in the same repository', () => {
  const d = analyzeImagePull({ container: 'app', replicaSets: [rs('1', 'ghcr.io/g/joke:1.0.0'), rs('3', 'ghcr.io/g/joke:1.1.O'), rs('2', 'ghcr.io/g/joke:1.0.1')] });
  assert.deepEqual(d.action, { type: 'setImageTag', container: 'app', tag: '1.0.1' });
  assert.match(d.rootCause, /revision 2 ran ghcr\.io\/g\/joke:1\.0\.1/);
});

test('image pull: a previous revision in another repository is never a fix', () => {
  const d = analyzeImagePull({ container: 'app', replicaSets: [rs('1', 'evil.example/joke:1.0.0'), rs('2', 'ghcr.io/g/joke:9')] });
  assert.equal(d.action.type, 'none');
});

test('image references split at the tag, not at a registry port', () => {
  assert.deepEqual(splitImage('registry.local:5000/team/app:2.1'), { repository: 'registry.local:5000/team/app', tag: '2.1' });
  assert.deepEqual(splitImage('registry.local:5000/team/app'), { repository: 'registry.local:5000/team/app' });
});
