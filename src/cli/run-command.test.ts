import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseNamespaces } from './run-command.ts';

test('-n takes a list, repeated or comma-separated, and refuses a name that is not a namespace', () => {
  assert.deepEqual(parseNamespaces(['shop', 'pay,ops', ' shop ']), ['shop', 'pay', 'ops']);
  assert.deepEqual(parseNamespaces([]), [], 'none: every namespace');
  assert.deepEqual(parseNamespaces(['shop,,']), ['shop'], 'empty pieces are ignored');
  assert.throws(() => parseNamespaces(['shop,Pay_2']), /"Pay_2" is not a namespace name/);
});
