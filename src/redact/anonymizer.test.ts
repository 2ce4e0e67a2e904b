import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Anonymizer } from './anonymizer.ts';

function cluster(): Anonymizer {
  const a = new Anonymizer();
  a.add('payments', 'namespace');
  a.add('orders', 'workload');
  a.add('orders-api', 'workload');
  a.add('orders-api-7d9f8b6c5d-x2k4p', 'pod');
  a.add('api', 'container');
  return a;
}

const LOG = [
  'Back-off restarting failed container api in pod orders-api-7d9f8b6c5d-x2k4p_payments(5c3f2a1e)',
  'Scaled up replica set orders-api-5c6b7a8d9e to 3',
  'GET /api/v1/orders from orders.payments.svc.cluster.local: 502',
  'rapid retries against capital-orders-db',
].join('\n');

describe('Anonymizer', () => {
  it('replaces names with stable placeholders, longest first, and restores them', () => {
    const a = cluster();
    const hidden = a.anonymize(LOG);
    assert.equal(hidden, [
      'Back-off restarting failed container container-1 in pod pod-1_namespace-1(5c3f2a1e)',
      'Scaled up replica set workload-2-5c6b7a8d9e to 3',
      'GET /container-1/v1/workload-1 from workload-1.namespace-1.svc.cluster.local: 502',
      'rapid retries against capital-workload-1-db',
    ].join('\n'));
    assert.equal(a.restore(hidden), LOG);
    assert.equal(a.add('orders', 'workload'), 'workload-1');
  });

  it('restores names in a model answer, without touching longer placeholders or words', () => {
    const a = new Anonymizer();
    for (let i = 1; i <= 12; i += 1) a.add(`svc-${String(i).padStart(2, '0')}`, 'workload');
    const answer = 'Raise the memory limit of workload-1 (not workload-10 or workload-12); workload-1s and myworkload-1 are prose.';
    assert.equal(a.restore(answer), 'Raise the memory limit of svc-01 (not svc-10 or svc-12); workload-1s and myworkload-1 are prose.');
  });

  it('round-trips names that look like placeholders, whichever is added first', () => {
    const text = 'web talks to workload-1';
    const first = new Anonymizer();
    first.add('workload-1', 'pod');
    assert.equal(first.add('web', 'workload'), 'workload-2', 'a registered name is never a placeholder');
    assert.equal(first.anonymize(text), 'workload-2 talks to pod-1');
    assert.equal(first.restore(first.anonymize(text)), text);

    const later = new Anonymizer();
    later.add('web', 'workload');
    later.add('workload-1', 'pod');
    assert.equal(later.anonymize(text), 'workload-1 talks to pod-1');
    assert.equal(later.restore(later.anonymize(text)), text);
  });

  it('leaves names shorter than three characters and empty anonymizers alone', () => {
    const a = new Anonymizer();
    assert.equal(a.anonymize('db is down'), 'db is down');
    assert.equal(a.add('db', 'workload'), 'db');
    assert.equal(a.anonymize('db is down'), 'db is down');
    assert.equal(a.restore('workload-1'), 'workload-1');
  });

  it('escapes names, so regex characters in them are literal', () => {
    const a = new Anonymizer();
    a.add('img.v1+build', 'image');
    assert.equal(a.anonymize('pulled img.v1+build, not imgXv1+build'), 'pulled image-1, not imgXv1+build');
    assert.deepEqual([...a.mapping], [['img.v1+build', 'image-1']]);
  });
});
