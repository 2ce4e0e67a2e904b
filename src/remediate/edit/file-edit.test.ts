import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import type { EditOp } from './edit-op.ts';
import { editFile } from './file-edit.ts';

function after(text: string, ops: EditOp[], docIndex = 0): string {
  const result = editFile('f.yaml', text, docIndex, ops);
  assert.ok(result.ok, result.ok ? '' : result.reason);
  return result.edit.after;
}

function refusal(text: string, ops: EditOp[], docIndex = 0): string {
  const result = editFile('f.yaml', text, docIndex, ops);
  assert.equal(result.ok, false, 'expected a refusal');
  return result.ok ? '' : result.reason;
}

test('keeps the quote style of the scalar it replaces', () => {
  assert.equal(after('a: "1Gi" # c\nb: \'x\'\n', [{ op: 'set', path: ['a'], value: '2Gi' }, { op: 'set', path: ['b'], value: 'y' }]), 'a: "2Gi" # c\nb: \'y\'\n');
});

test('quotes a new plain value that would read as something else', () => {
  assert.equal(after('tag: 1.9\n', [{ op: 'set', path: ['tag'], value: '1.10' }]), 'tag: "1.10"\n');
  assert.equal(after('v: x\n', [{ op: 'set', path: ['v'], value: 'no' }]), 'v: "no"\n');
  assert.equal(after('v: x\n', [{ op: 'set', path: ['v'], value: '0644' }]), 'v: "0644"\n');
  assert.equal(after('m: {a: b}\n', [{ op: 'set', path: ['m', 'a'], value: 'c, d' }]), 'm: {a: "c, d"}\n');
});

test('types a string like the number it replaces, unless that would change its text', () => {
  assert.equal(after('count: 3\n', [{ op: 'set', path: ['count'], value: '5' }]), 'count: 5\n');
  assert.deepEqual(parse(after('tag: 2\n', [{ op: 'set', path: ['tag'], value: '2.10' }])), { tag: '2.10' });
});

test('adds keys at the indentation of their siblings, after the last one and before trailing comments', () => {
  const text = 'spec:\n    a: 1   # one\n    # about b\n    b:\n        c: 2\n    # trailing\nnext: 3\n';
  assert.equal(
    after(text, [{ op: 'set', path: ['spec', 'b', 'd', 'e'], value: 'f' }]),
    'spec:\n    a: 1   # one\n    # about b\n    b:\n        c: 2\n        d:\n            e: f\n    # trailing\nnext: 3\n',
  );
});

test('follows the file in indenting sequences or not', () => {
  assert.equal(
    after('env:\n- name: A\n  value: a\n', [{ op: 'set', path: ['env', { name: 'B' }, 'value'], value: 'b' }]),
    'env:\n- name: A\n  value: a\n- name: B\n  value: b\n',
  );
  assert.equal(
    after('c:\n  - name: x\n', [{ op: 'set', path: ['c', { name: 'x' }, 'env', { name: 'A' }, 'value'], value: '1' }]),
    'c:\n  - name: x\n    env:\n      - name: A\n        value: "1"\n',
  );
});

test('edits flow collections in flow style, JSON as JSON', () => {
  assert.equal(after('r: {a: 1}\n', [{ op: 'set', path: ['r', 'b', 'c'], value: 2 }]), 'r: {a: 1, b: {c: 2}}\n');
  assert.equal(after('{"a": {"b": 1}}\n', [{ op: 'set', path: ['a', 'c'], value: 'x' }]), '{"a": {"b": 1, "c": "x"}}\n');
  assert.equal(after('l: ["a"]\n', [{ op: 'append', path: ['l'], value: 'b' }]), 'l: ["a", "b"]\n');
});

test('turns an empty or null value into a block, keeping a comment on the key line', () => {
  assert.equal(after('a:\n  r: {} # none\n', [{ op: 'set', path: ['a', 'r', 'x'], value: 1 }]), 'a:\n  r: # none\n    x: 1\n');
  assert.equal(after('a:\n  r:\nb: 1\n', [{ op: 'set', path: ['a', 'r', 'x'], value: 1 }]), 'a:\n  r:\n    x: 1\nb: 1\n');
  assert.equal(after('r: ~\n', [{ op: 'set', path: ['r', 'x'], value: 1 }]), 'r:\n  x: 1\n');
});

test('deletes a key with the comments inside it, and nothing else', () => {
  assert.equal(
    after('- name: A\n  valueFrom: # ref\n    key: k # old\n  x: 1\n', [{ op: 'delete', path: [{ name: 'A' }, 'valueFrom'] }]),
    '- name: A\n  x: 1\n',
  );
});

test('leaves 0644 and on: as written in the rest of the file', () => {
  const text = 'mode: 0644\non: yes\nx: 1\n';
  assert.equal(after(text, [{ op: 'set', path: ['x'], value: 2 }]), 'mode: 0644\non: yes\nx: 2\n');
});

test('edits one document of a multi-document file', () => {
  const text = '# one\na: 1\n---\n# two\na: 1\n...\n---\na: 1\n';
  assert.equal(after(text, [{ op: 'set', path: ['a'], value: 2 }], 1), '# one\na: 1\n---\n# two\na: 2\n...\n---\na: 1\n');
});

test('edits YAML inside a literal block scalar, keeping its indentation and CRLF', () => {
  const text = 'patches:\r\n  - patch: |-\r\n      - op: replace\r\n        value: 1\r\n    target: {kind: X}\r\n';
  assert.equal(
    after(text, [{ op: 'embedded', path: ['patches', 0, 'patch'], docIndex: 0, ops: [{ op: 'set', path: [0, 'value'], value: 2 }] }]),
    'patches:\r\n  - patch: |-\r\n      - op: replace\r\n        value: 2\r\n    target: {kind: X}\r\n',
  );
});

test('refuses an edit that an anchor would carry to other fields', () => {
  assert.match(refusal('a: &x 1\nb: *x\n', [{ op: 'set', path: ['a'], value: 2 }]), /anchored as &x and aliased elsewhere/);
  assert.match(refusal('a: &m {c: 1}\nb: *m\n', [{ op: 'set', path: ['a', 'c'], value: 2 }]), /would also change b\.c/);
  assert.match(refusal('a: &m {c: 1}\nb: *m\n', [{ op: 'set', path: ['b', 'c'], value: 2 }]), /is an alias \(\*m\)/);
});

test('overrides a merged key locally: only that field changes', () => {
  assert.equal(after('d: &d {m: 1}\nx:\n  <<: *d\n  n: 2\n', [{ op: 'set', path: ['x', 'm'], value: 3 }]), 'd: &d {m: 1}\nx:\n  <<: *d\n  n: 2\n  m: 3\n');
});

test('refuses a rewrite that would drop a comment', () => {
  assert.match(refusal('args:\n  - a # keep me\n  - b\n', [{ op: 'set', path: ['args'], value: ['c'] }]), /lose the comment "keep me"/);
});

test('refuses a no-op and a missing document', () => {
  assert.match(refusal('a: 1\n', [{ op: 'set', path: ['a'], value: 1 }]), /already has the intended value/);
  assert.match(refusal('a: 1\n', [{ op: 'set', path: ['a'], value: 2 }], 3), /no document 3/);
  assert.match(refusal('a: [1\n', [{ op: 'set', path: ['a'], value: 2 }]), /does not parse/);
});

test('produces a unified diff of the change', () => {
  const result = editFile('k/f.yaml', 'a: 1\nb: 2\n', 0, [{ op: 'set', path: ['b'], value: 3 }]);
  assert.ok(result.ok);
  assert.equal(result.edit.diff, '--- a/k/f.yaml\n+++ b/k/f.yaml\n@@ -1,2 +1,2 @@\n a: 1\n-b: 2\n+b: 3\n');
});

test('falls back to the Document API of that one document where a splice cannot go', () => {
  const text = 'a: 1\n---\n# two\nenv:\n- valueFrom: {x: 1}\n  name: A # the name\n...\n---\nz: 1\n';
  assert.equal(
    after(text, [{ op: 'set', path: ['env', { name: 'A' }, 'value'], value: 'v' }, { op: 'delete', path: ['env', { name: 'A' }, 'valueFrom'] }], 1),
    'a: 1\n---\n# two\nenv:\n- name: A # the name\n  value: v\n...\n---\nz: 1\n',
  );
});

test('refuses an edit under a key YAML 1.1 reads as a boolean, as Kubernetes would', () => {
  assert.match(refusal('y: 1\n', [{ op: 'set', path: ['y'], value: 2 }]), /would also change/);
});
