import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SeriesLabels } from '../api/aegis-watch.ts';
import type { WorkloadKey } from '../reconcile/owners.ts';
import { seriesCanNameWorkload, seriesSubject, unmappedSeriesHint, type OwnerLookup } from './series-workload.ts';

const web: WorkloadKey = { kind: 'Deployment', namespace: 'shop', name: 'web' };
const db: WorkloadKey = { kind: 'StatefulSet', namespace: 'shop', name: 'db' };
const lookup: OwnerLookup = {
  podOwner: (ns, pod) => (ns === 'shop' && pod === 'web-5d9c7-abcde' ? web : undefined),
  replicaSetOwner: (ns, rs) => (ns === 'shop' && rs === 'web-7f8b6' ? web : undefined),
  workloadNamed: (ns, name) => (ns === 'shop' && name === 'web' ? web : ns === 'shop' && name === 'db' ? db : undefined),
};
const labels = SeriesLabels.parse({});

test('a pod series belongs to the pod\'s workload; a pod already gone, through its ReplicaSet\'s name', () => {
  assert.deepEqual(seriesSubject({ namespace: 'shop', pod: 'web-5d9c7-abcde', container: 'app' }, labels, lookup), { workload: web, pod: 'web-5d9c7-abcde', container: 'app' });
  assert.deepEqual(seriesSubject({ namespace: 'shop', pod: 'web-7f8b6-zzzzz' }, labels, lookup), { workload: web, pod: 'web-7f8b6-zzzzz' });
  assert.deepEqual(seriesSubject({ namespace: 'shop', pod: 'db-0' }, labels, lookup), { workload: db, pod: 'db-0' }, 'a StatefulSet pod by its ordinal');
});

test('a workload label, when the watch names one, wins; a series with no namespace or no known owner is nobody\'s', () => {
  const byName = SeriesLabels.parse({ workload: 'deployment', namespace: 'exported_namespace' });
  assert.deepEqual(seriesSubject({ exported_namespace: 'shop', deployment: 'web' }, byName, lookup), { workload: web });
  assert.equal(seriesSubject({ exported_namespace: 'shop', deployment: 'nope' }, byName, lookup), undefined);
  assert.equal(seriesSubject({ pod: 'web-5d9c7-abcde' }, labels, lookup), undefined);
  assert.equal(seriesSubject({ namespace: 'shop', pod: 'stray' }, labels, lookup), undefined);
  assert.equal(seriesSubject({ namespace: 'shop' }, labels, lookup), undefined);
});

test('a series aggregated past its namespace or pod cannot name a workload, and the hint says which labels to keep', () => {
  assert.equal(seriesCanNameWorkload({ namespace: 'shop', pod: 'web-5d9c7-abcde' }, labels), true);
  assert.equal(seriesCanNameWorkload({ namespace: 'shop' }, labels), false, 'sum by (namespace)');
  assert.equal(seriesCanNameWorkload({}, labels), false, 'a bare sum');
  assert.equal(seriesCanNameWorkload({ pod: 'web-5d9c7-abcde' }, labels), false, 'no namespace');
  const byName = SeriesLabels.parse({ workload: 'deployment' });
  assert.equal(seriesCanNameWorkload({ namespace: 'shop', deployment: 'web' }, byName), true);
  assert.equal(seriesCanNameWorkload({ namespace: 'shop', pod: 'web-5d9c7-abcde' }, byName), true, 'the pod still names it');
  assert.match(unmappedSeriesHint(labels), /no 'namespace' and 'pod' labels.*sum by \(namespace, pod\)/);
  assert.match(unmappedSeriesHint(byName), /sum by \(namespace, deployment\)/);
});
