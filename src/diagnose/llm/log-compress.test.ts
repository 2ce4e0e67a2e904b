import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compressLog, normalizeLine } from './log-compress.ts';

test('near-duplicates collapse to one line with a count, shown as last printed', () => {
  const log = Array.from({ length: 40 }, (_, i) => `2025-05-12T09:00:${String(i).padStart(2, '0')}Z WARN retrying connection to 10.0.0.${i % 3}:5432 attempt ${i}`).join('\n');
  const { text, distinctLines } = compressLog(log);
  assert.equal(distinctLines, 1);
  assert.equal(text, '2025-05-12T09:00:39Z WARN retrying connection to 10.0.0.0:5432 attempt 39 (x40)');
});

test('normalization hides what changes between repeats: times, ids, pod names, addresses, numbers', () => {
  assert.equal(
    normalizeLine('2025-05-12T09:00:01.123Z pod shop-5d4c3b2a9f-xk2p9 req 1b4e28ba-2fa1-11d2-883f-0016d3cca427 from 10.1.2.3:8080 took 17ms sha 9f86d081884c'),
    '<ts> pod shop-<pod> req <id> from <ip> took #ms sha <hex>',
  );
});

test('errors, a few frames of each trace, context and the last lines are kept; the rest is counted', () => {
  const noise = Array.from({ length: 500 }, (_, i) => `INFO handled request /items/${i} for user${i % 7}x${i}`);
  const trace = ['java.lang.IllegalStateException: pool closed', ...Array.from({ length: 40 }, (_, i) => `\tat com.example.Frame${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}.run(Frame.java)`)];
  const { text } = compressLog([...noise.slice(0, 250), 'INFO about to connect', ...trace, ...noise.slice(250), 'INFO shutting down'].join('\n'));
  assert.deepEqual(text.split('\n'), [
    'INFO about to connect',
    'java.lang.IllegalStateException: pool closed',
    ...trace.slice(1, 6),
    '  … 35 more frames',
    'INFO handled request /items/499 for user2x499 (x500)',
    'INFO shutting down',
  ]);
});

test('the result stays under the character budget, keeping the errors first', () => {
  const lines = Array.from({ length: 2000 }, (_, i) => (i % 10 === 0 ? `ERROR failure number ${String.fromCharCode(65 + (i % 26))}${i} in module m${i}` : `DEBUG step ${i} of ${'x'.repeat(i % 50)} done ${String.fromCharCode(97 + (i % 26))}`));
  const { text } = compressLog(lines.join('\n'), { maxChars: 1500 });
  assert.ok(text.length <= 1500, `${text.length} chars`);
  assert.match(text, /ERROR failure/);
});

test('ANSI colours and blank lines go; over-long lines are cut', () => {
  const { text } = compressLog(`\u001b[31mERROR red\u001b[0m\n\n${'y'.repeat(1000)}`, { maxLineChars: 100 });
  assert.equal(text.split('\n')[0], 'ERROR red');
  assert.equal(text.split('\n')[1]?.length, 100);
});
