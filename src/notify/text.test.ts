import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { capList, duration, httpUrl, truncate } from './text.ts';

describe('text helpers', () => {
  it('truncate keeps short text and cuts long text to the limit with an ellipsis', () => {
    assert.equal(truncate('abc', 3), 'abc');
    assert.equal(truncate('abcdef', 4), 'abc…');
    assert.equal(truncate('abcdef', 4).length, 4);
    assert.equal(truncate('abc', 0), '');
  });

  it('truncate never splits a surrogate pair', () => {
    const text = `${'a'.repeat(8)}😀😀😀`;
    for (let max = 1; max < text.length; max++) {
      const cut = truncate(text, max);
      assert.ok(cut.length <= max, `max ${max}`);
      assert.ok(cut.isWellFormed(), `well-formed at ${max}`);
    }
  });

  it('capList keeps the first items and counts the rest in the last place', () => {
    assert.deepEqual(capList([1, 2, 3], 3, (n) => -n), [1, 2, 3]);
    assert.deepEqual(capList([1, 2, 3, 4, 5], 3, (n) => -n), [1, 2, -3]);
  });

  it('duration and httpUrl', () => {
    assert.equal(duration(29.4), '29 s');
    assert.equal(duration(125), '2 min 5 s');
    assert.equal(duration(3780), '1 h 3 min');
    assert.equal(httpUrl('https://x.example/a'), 'https://x.example/a');
    assert.equal(httpUrl('javascript:alert(1)'), undefined);
    assert.equal(httpUrl('[REDACTED:url]'), undefined);
  });
});
