import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keywordScanner } from './keyword-scan.ts';

describe('keywordScanner', () => {
  it('finds the same keywords as one includes() per keyword, also when they overlap', () => {
    const keywords = ['sk', 'sk_live', 'live', 'ghp_', 'a.b', '-----begin', 'x', 'never'];
    const scan = keywordScanner(keywords);
    for (const text of ['', 'sk_live_123', 'task list', 'ghp_x a.b', 'aXb', '-----begin rsa', 'nothing here']) {
      assert.deepEqual([...scan(text)].sort(), keywords.filter((k) => text.includes(k)).sort(), text);
    }
  });

  it('handles an empty keyword list', () => {
    assert.deepEqual(keywordScanner([])('anything'), new Set());
  });
});
