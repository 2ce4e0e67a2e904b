import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffLineKind, renderDiff } from './diff.ts';
import { domId, formatDuration, formatTime, h, link, oneLine, safeHref } from './html.ts';

test('interpolations are escaped, our own fragments are not escaped twice', () => {
  const inner = h`<b>${'<i>&'}</b>`;
  assert.equal(h`<p title="${'"x"'}">${inner}</p>`.toString(), '<p title="&quot;x&quot;"><b>&lt;i&gt;&amp;</b></p>');
  assert.equal(h`${['<a>', h`<br>`]}`.toString(), '&lt;a&gt;<br>');
});

test('only http(s) URLs become links', () => {
  assert.equal(safeHref('https://git.example.com/pr/1'), 'https://git.example.com/pr/1');
  assert.equal(safeHref('javascript:alert(1)'), undefined);
  assert.equal(safeHref('data:text/html,<script>'), undefined);
  assert.equal(safeHref('not a url'), undefined);
  assert.equal(link('javascript:alert(1)', '#1').toString(), '#1');
  assert.equal(link('https://x.example/"><script>', 'PR').toString(), '<a href="https://x.example/%22%3E%3Cscript%3E" rel="noopener noreferrer">PR</a>');
});

test('element ids differ for every namespace and name, and are safe in a selector', () => {
  const pairs: Array<[string, string]> = [['a', 'b--c'], ['a--b', 'c'], ['a', 'b.c'], ['a', 'b_2e_c'], ['a~b', 'c'], ['a', 'b~c']];
  const ids = pairs.map(([ns, name]) => domId('tl', ns, name));
  assert.equal(new Set(ids).size, pairs.length);
  for (const id of ids) assert.match(id, /^tl~[a-z0-9_-]*~[a-z0-9_-]*$/);
});

test('durations, times and one-line messages read well', () => {
  assert.deepEqual([2.54, 29, 61, 3600 + 120, undefined].map(formatDuration), ['2.5 s', '29 s', '1 min 1 s', '1 h 2 min', '—']);
  assert.equal(formatTime('2026-11-26T10:05:00Z').toString(), '<time datetime="2026-11-26T10:05:00.000Z">2026-11-26 10:05:00 UTC</time>');
  assert.match(formatTime('garbage').toString(), /—/);
  assert.equal(oneLine('first line\nsecond'), 'first line');
  assert.equal(oneLine('x'.repeat(200), 10), `${'x'.repeat(9)}…`);
});

test('diff lines are classed as additions, removals, hunks and file headers', () => {
  assert.deepEqual(['+++ b/x', '--- a/x', '@@ -1 +1 @@', '+  a: 1', '-  a: 0', '   b: 2', ''].map(diffLineKind), ['meta', 'meta', 'hunk', 'add', 'del', 'context', 'context']);
  const out = renderDiff('--- a/f\n+++ b/f\n@@ -1 +1 @@\n-<old>\n+<new>\n').toString();
  assert.equal(out, '<pre class="diff"><span class="meta">--- a/f</span><span class="meta">+++ b/f</span><span class="hunk">@@ -1 +1 @@</span><span class="del">-&lt;old&gt;</span><span class="add">+&lt;new&gt;</span></pre>');
});
