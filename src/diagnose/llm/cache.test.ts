import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../controller/fake-clock.ts';
import { AnswerCache, evidenceSignature } from './cache.ts';

test('least recently used entries go first, and entries expire', () => {
  const clock = new FakeClock();
  const cache = new AnswerCache<string>(clock, { maxEntries: 2, ttlMs: 1000 });
  cache.set('a', 'A');
  cache.set('b', 'B');
  assert.equal(cache.get('a'), 'A'); // a is now the most recent
  cache.set('c', 'C');
  assert.equal(cache.get('b'), undefined);
  assert.equal(cache.get('a'), 'A');
  clock.advance(1000);
  assert.equal(cache.get('a'), undefined);
});

test('callers of a running computation share its outcome, failures included, and nothing stays in flight', async () => {
  const cache = new AnswerCache<string>(new FakeClock());
  let runs = 0;
  const work = async () => {
    runs++;
    await new Promise((resolve) => setTimeout(resolve, 5));
    return { failed: true };
  };
  const outcomes = await Promise.all([cache.shared('k', work), cache.shared('k', work), cache.shared('k', work)]);
  assert.equal(runs, 1);
  assert.deepEqual(outcomes.map((o) => o.joined), [false, true, true]);
  await cache.shared('k', work);
  assert.equal(runs, 2, 'a finished run is not reused: only set() caches');
});

test('the signature separates its parts', () => {
  assert.notEqual(evidenceSignature(['ab', 'c']), evidenceSignature(['a', 'bc']));
  assert.equal(evidenceSignature(['a', undefined]), evidenceSignature(['a', '']));
});
