import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unifiedDiff } from './unified-diff.ts';

const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`);

test('shows a changed line with three lines of context', () => {
  const before = lines(10).join('\n') + '\n';
  const after = before.replace('line 5\n', 'line five\n');
  assert.equal(unifiedDiff('a.yaml', before, after), [
    '--- a/a.yaml', '+++ b/a.yaml', '@@ -2,7 +2,7 @@',
    ' line 2', ' line 3', ' line 4', '-line 5', '+line five', ' line 6', ' line 7', ' line 8', '',
  ].join('\n'));
});

test('splits distant changes into hunks and joins near ones', () => {
  const before = lines(20).join('\n') + '\n';
  const after = before.replace('line 2\n', 'two\n').replace('line 18\n', 'eighteen\n');
  const diff = unifiedDiff('a', before, after);
  assert.deepEqual(diff.split('\n').filter((l) => l.startsWith('@@')), ['@@ -1,5 +1,5 @@', '@@ -15,6 +15,6 @@']);
  const near = unifiedDiff('a', before, before.replace('line 2\n', 'two\n').replace('line 7\n', 'seven\n'));
  assert.deepEqual(near.split('\n').filter((l) => l.startsWith('@@')), ['@@ -1,10 +1,10 @@']);
});

test('shows additions, removals, and a missing final newline', () => {
  assert.equal(unifiedDiff('f', 'a\nb\n', 'a\nx\ny\nb\n'), '--- a/f\n+++ b/f\n@@ -1,2 +1,4 @@\n a\n+x\n+y\n b\n');
  assert.equal(unifiedDiff('f', 'a\nb\nc\n', 'a\nc\n'), '--- a/f\n+++ b/f\n@@ -1,3 +1,2 @@\n a\n-b\n c\n');
  assert.equal(unifiedDiff('f', 'a\nb', 'a\nc'), '--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n');
  assert.equal(unifiedDiff('f', '', 'a\n'), '--- a/f\n+++ b/f\n@@ -0,0 +1 @@\n+a\n');
  assert.equal(unifiedDiff('f', 'same\n', 'same\n'), '');
});
