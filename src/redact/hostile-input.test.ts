import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Redactor } from './redactor.ts';

// Inputs that make backtracking engines take exponential or quadratic time on patterns
// like gitleaks' (nested and adjacent quantifiers over overlapping classes). With RE2
// each one is linear; the tests assert that they finish and that the output is right,
// not how fast (the time budget is off so that every character is scanned).
const MiB = 1024 * 1024;
const redactor = new Redactor({ timeBudgetMs: Infinity, maxChars: 2 * MiB });
const fill = (unit: string, length = MiB) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);

describe('a 1 MiB hostile line', () => {
  it('of one repeated letter is left as it is', () => {
    const text = 'a'.repeat(MiB);
    const result = redactor.redactText(text);
    assert.equal(result.count, 0);
    assert.equal(result.text, text);
  });

  it('of near-miss URL credentials ("a:a:a:…" with no @) is left as it is', () => {
    const text = `https://${fill('a:')}`;
    assert.equal(redactor.redactText(text).text, text);
  });

  it('of separators that almost start a key-value pair is left as it is', () => {
    const text = `password${' '.repeat(MiB)}=`;
    assert.equal(redactor.redactText(text).text, text);
  });

  it('of almost-JWTs (eyJ… without a second part) is left as it is', () => {
    const text = fill('eyJhbGciOiJIUzI1NiJ9');
    assert.equal(redactor.redactText(text).text, text);
  });

  it('with tokens planted in it, at block cuts too, loses exactly the tokens', () => {
    const token = (i: number) => `ghp_${String(i).padStart(4, '0')}Zq8Kx2Lm4Np6Rs8Tv0Wy2Ab4Cd6Ef8Gh`;
    const positions = [10, 32 * 1024 - 20, 64 * 1024 - 10, 500_000, MiB - 100];
    let text = 'x'.repeat(MiB);
    for (const [i, at] of positions.entries()) text = `${text.slice(0, at)} ${token(i)} ${text.slice(at + token(i).length + 2)}`;
    const result = redactor.redactText(text);
    assert.equal(result.count, positions.length);
    assert.ok(!result.text.includes('ghp_'));
    assert.equal(result.text.replaceAll('[REDACTED:github-pat]', '').length, MiB - positions.length * token(0).length);
  });

  it('of a PEM body with no END line is redacted to the last line', () => {
    const body = Array.from({ length: MiB / 65 }, (_, i) => `MIIEv${String(i).padStart(7, '0')}${'Q'.repeat(52)}`);
    const text = `-----BEGIN PRIVATE KEY-----\n${body.join('\n')}\n`;
    const result = redactor.redactText(text);
    assert.ok(result.count >= 1);
    for (const line of [body[0], body[1000], body.at(-1)]) assert.ok(!result.text.includes(line as string), `${line} survived`);
  });
});

describe('the worst case', () => {
  it('a line of nothing but key-value pairs stays within the time budget, dropping what it could not scan', () => {
    const text = fill('api_key = "x"; token=y ', 4 * MiB);
    const budgeted = new Redactor({ timeBudgetMs: 300 });
    const started = performance.now();
    const result = budgeted.redactText(text);
    const elapsed = performance.now() - started;
    assert.match(result.text, /\[TRUNCATED: \d+ characters not scanned\]$/);
    // One block (32 KiB) may run past the budget; on this input that is well under a second.
    assert.ok(elapsed < 300 + 2000, `${elapsed} ms`);
  });
});
