import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SeenKeys, TokenBucket } from './limits.ts';

describe('SeenKeys', () => {
  it('remembers a key for its TTL, then lets it through again', () => {
    const seen = new SeenKeys(1000, 10);
    assert.equal(seen.add('a', 0), true);
    assert.equal(seen.add('a', 999), false);
    assert.equal(seen.add('a', 1000), true, 'expired');
  });

  it('keeps at most maxEntries, forgetting the oldest', () => {
    const seen = new SeenKeys(60_000, 3);
    for (const key of ['a', 'b', 'c', 'd']) seen.add(key, 0);
    assert.equal(seen.size, 3);
    assert.equal(seen.add('a', 1), true, 'a was pushed out');
    assert.equal(seen.add('d', 1), false);
  });

  it('delete forgets a key at once', () => {
    const seen = new SeenKeys(60_000, 3);
    seen.add('a', 0);
    seen.delete('a');
    assert.equal(seen.add('a', 1), true);
    assert.throws(() => new SeenKeys(0, 1), RangeError);
  });
});

describe('TokenBucket', () => {
  it('lets a burst through, then one per 60/perMinute seconds', () => {
    const bucket = new TokenBucket({ perMinute: 20, burst: 5 }, 0);
    assert.deepEqual(Array.from({ length: 6 }, () => bucket.take(0)), [true, true, true, true, true, false]);
    assert.equal(bucket.take(2999), false);
    assert.equal(bucket.take(3000), true, 'one token every 3 s');
    assert.equal(bucket.take(3000), false);
    assert.deepEqual(Array.from({ length: 6 }, () => bucket.take(3_600_000)), [true, true, true, true, true, false], 'never more than the burst');
    assert.throws(() => new TokenBucket({ perMinute: 0, burst: 1 }, 0), RangeError);
  });
});
