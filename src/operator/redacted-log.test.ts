import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Redactor } from '../redact/index.ts';
import { redactedLog } from './redacted-log.ts';

test('a secret quoted in a log message or its fields, however nested, is masked before the line is written', () => {
  const lines: string[] = [];
  const redactor = new Redactor();
  const log = redactedLog((level, message, fields) => lines.push(`${level} ${message} ${JSON.stringify(fields)}`), (t) => redactor.redactText(t).text);
  const pat = `ghp_${'a1B2c3D4e5'.repeat(3)}123456`;
  log('warn', `forge said: bad credentials for ${pat}`, { error: `Authorization: token ${pat}`, nested: { url: `https://x:${pat}@github.com/a/b` }, count: 3 });
  assert.equal(lines.length, 1);
  assert.ok(!lines[0]?.includes(pat), lines[0]);
  assert.match(lines[0] ?? '', /"count":3/);
});
