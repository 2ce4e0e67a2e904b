import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { V1ReplicaSet } from '@kubernetes/client-node';
import { templateChange } from './template-change.ts';

function rs(revision: string, memory: string, image: string): V1ReplicaSet {
  return {
    metadata: { name: `web-${revision}`, annotations: { 'deployment.kubernetes.io/revision': revision } },
    spec: {
      selector: {},
      template: {
        metadata: { labels: { app: 'web', 'pod-template-hash': `h${revision}` } },
        spec: { containers: [{ name: 'app', image, resources: { limits: { memory } } }, { name: 'sidecar', image: 'proxy:1' }] },
      },
    },
  };
}

test('names exactly the fields that changed between the last two revisions', () => {
  const change = templateChange([rs('1', '256Mi', 'joke:1.0.0'), rs('3', '128Mi', 'joke:1.0.0'), rs('2', '256Mi', 'joke:1.0.0')]);
  assert.equal(change, 'revision 2 → 3\nspec.containers[app].resources.limits.memory: 256Mi → 128Mi');
});

test('says nothing without a previous revision or a real change', () => {
  assert.equal(templateChange([rs('1', '256Mi', 'joke:1.0.0')]), undefined);
  assert.equal(templateChange([rs('1', '256Mi', 'joke:1.0.0'), rs('2', '256Mi', 'joke:1.0.0')]), undefined);
});
