import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { plantAll, SECRET_FORMATS, type PlantedSecret } from '../../test/fixtures/redaction/secret-corpus.ts';
import { blocks, Redactor } from './redactor.ts';

const SEED = Number(process.env.REDACTION_SEED ?? 20240514);
const BENIGN = readFileSync(new URL('../../test/fixtures/redaction/benign.log', import.meta.url), 'utf8').split('\n').filter((l) => l.trim() !== '');
// The one benign line redacted by design (see 'benign logs'); neighbours must survive as they are.
const STABLE = BENIGN.filter((l) => !l.startsWith('Set-Cookie:'));
const redactor = new Redactor();

/**
 * The planted secrets of which a substring of 8 or more characters survives (the S3
 * criterion); every such substring contains an 8-gram, so the output's 8-grams suffice.
 */
function leaks(output: string, secrets: string[]): string[] {
  const grams = new Set<string>();
  for (let i = 0; i + 8 <= output.length; i += 1) grams.add(output.slice(i, i + 8));
  const found: string[] = [];
  for (const secret of secrets) {
    if (secret.length < 8 ? output.includes(secret) : secretGrams(secret).some((g) => grams.has(g))) found.push(`${secret.slice(0, 12)}…`);
  }
  return found;
}

function secretGrams(secret: string): string[] {
  return Array.from({ length: secret.length - 7 }, (_, i) => secret.slice(i, i + 8));
}

/** Benign lines from the fixture, chosen by position so each planted secret has different neighbours. */
function around(i: number, n: number): string[] {
  return Array.from({ length: n }, (_, k) => STABLE[(i * 7 + k * 13) % STABLE.length] ?? '');
}

describe('the secret corpus', () => {
  const planted = plantAll(SEED);

  it('has at least 40 distinct formats', () => {
    assert.ok(SECRET_FORMATS.length >= 40, `${SECRET_FORMATS.length} formats`);
    assert.equal(new Set(SECRET_FORMATS.map((f) => f.format)).size, SECRET_FORMATS.length);
  });

  for (const [i, p] of planted.entries()) {
    it(`redacts ${p.format} and keeps the log around it`, () => {
      const before = around(i, 3);
      const after = around(i + 1, 3);
      const result = redactor.redactText([...before, p.text, ...after].join('\n'));
      assert.deepEqual(leaks(result.text, p.secrets), [], result.text);
      assert.ok(result.count >= 1);
      const lines = result.text.split('\n');
      assert.deepEqual(lines.slice(0, 3), before);
      assert.deepEqual(lines.slice(-3), after);
    });
  }

  it('redacts 20 seeds of every format planted in 64 KiB logs', () => {
    let total = 0;
    for (let seed = SEED; seed < SEED + 20; seed += 1) {
      const secrets = plantAll(seed);
      const log = plantIn(secrets, 64 * 1024, seed);
      const result = redactor.redactText(log);
      assert.deepEqual(leaks(result.text, secrets.flatMap((p) => p.secrets)), [], `seed ${seed}`);
      total += secrets.length;
    }
    assert.ok(total >= 1000);
  });
});

describe('benign logs', () => {
  it('are left unchanged, except cookies, which are credentials by design', () => {
    const changed = BENIGN.map((line) => [line, redactor.redactText(line)] as const).filter(([, r]) => r.count > 0);
    // The one line flagged: a Set-Cookie value is redacted whatever it holds, since most
    // cookies are sessions. gitleaks' own rules flag none of these lines.
    assert.deepEqual(changed.map(([line, r]) => [line.slice(0, 20), r.rules]), [['Set-Cookie: lang=en-', ['credential-header']]]);
    assert.ok(changed.length / BENIGN.length <= 0.02);
  });

  it('redacting twice changes nothing more', () => {
    const once = redactor.redactText(plantIn(plantAll(SEED), 16 * 1024, SEED));
    const twice = redactor.redactText(once.text);
    assert.equal(twice.text, once.text);
    assert.equal(twice.count, 0);
  });
});

describe('outbound requests', () => {
  it('carry none of the planted secrets', async () => {
    // Stands in for the LLM endpoint: the prompt is built from redacted evidence, sent
    // over real HTTP, and the bytes that arrive are what is checked.
    const captured: string[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        captured.push(Buffer.concat(chunks).toString('utf8'));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"choices":[]}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const secrets = plantAll(SEED + 1);
      for (const [i, p] of secrets.entries()) {
        const evidence = [...around(i, 5), p.text, ...around(i + 2, 5)].join('\n');
        const body = { model: 'test', messages: [{ role: 'system', content: 'Diagnose the failure.' }, { role: 'user', content: redactor.redactText(evidence).text }] };
        const res = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        await res.text();
      }
      assert.equal(captured.length, secrets.length);
      for (const [i, raw] of captured.entries()) {
        const content = (JSON.parse(raw) as { messages: Array<{ content: string }> }).messages.map((m) => m.content).join('\n');
        const p = secrets[i] as PlantedSecret;
        assert.deepEqual([...leaks(raw, p.secrets), ...leaks(content, p.secrets)], [], p.format);
      }
    } finally {
      server.close();
    }
  });
});

describe('blocks', () => {
  it('cover the text, overlap, and cut after a newline when one is near', () => {
    const text = Array.from({ length: 400 }, (_, i) => `line ${i} ${'x'.repeat(i % 50)}`).join('\n');
    const ranges = blocks(text, 1024, 128);
    assert.equal(ranges[0]?.[0], 0);
    assert.equal(ranges.at(-1)?.[1], text.length);
    for (const [i, [start, end]] of ranges.entries()) {
      assert.ok(end - start <= 1024);
      if (end < text.length) assert.equal(text[end - 1], '\n');
      const next = ranges[i + 1];
      if (next) assert.ok(next[0] < end && next[0] >= end - 128 && text[next[0] - 1] === '\n');
    }
  });

  it('find a secret that straddles a cut inside a long line', () => {
    const small = new Redactor({ blockChars: 1024, overlapChars: 256 });
    const token = `ghp_${'aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3hJk'}`;
    for (const offset of [1000, 1010, 1020, 1030]) {
      const text = `${'word '.repeat(offset / 5)}${token} ${'word '.repeat(300)}`;
      const result = small.redactText(text);
      assert.ok(!result.text.includes('ghp_'), `offset ${offset}`);
      assert.equal(result.count, 1);
    }
  });

  it('redact a PEM key longer than a block on both sides of the cut', () => {
    const small = new Redactor({ blockChars: 1024, overlapChars: 256 });
    const body = Array.from({ length: 40 }, (_, i) => `${'MIIEowIBAAKCAQEA'}${String(i).padStart(4, '0')}${'q'.repeat(44)}`);
    const text = `starting\n-----BEGIN RSA PRIVATE KEY-----\n${body.join('\n')}\n-----END RSA PRIVATE KEY-----\ndone`;
    const result = small.redactText(text);
    for (const line of body) assert.ok(!result.text.includes(line.slice(16, 40)), result.text);
    assert.match(result.text, /^starting\n/);
    assert.match(result.text, /\ndone$/);
  });
});

describe('bounds', () => {
  it('drops text beyond maxChars with a marker, without splitting a secret at the cut', () => {
    const token = `glpat-${'Zx8Kq2Lm4Np6Rs8Tv0Wy'}`;
    const text = `${'a'.repeat(990)} ${token} ${'b'.repeat(5000)}`;
    const result = new Redactor({ blockChars: 4096, overlapChars: 512, maxChars: 1000 }).redactText(text);
    assert.ok(!result.text.includes('glpat-Zx8'));
    assert.match(result.text, /\[REDACTED:gitlab-pat\]\n\[TRUNCATED: \d+ characters not scanned\]$/);
  });

  it('drops the blocks not scanned within the time budget', () => {
    let clock = 0;
    const slow = new Redactor({ blockChars: 4096, overlapChars: 512, timeBudgetMs: 10, now: () => (clock += 6) });
    const text = Array.from({ length: 2000 }, (_, i) => `line ${i}`).join('\n');
    const result = slow.redactText(text);
    assert.match(result.text, /\[TRUNCATED: \d+ characters not scanned\]$/);
    assert.ok(result.text.length < text.length);
    assert.ok(result.text.startsWith('line 0\nline 1\n'));
  });
});

/** Secrets scattered among benign lines until the log is about `size` characters long. */
function plantIn(secrets: PlantedSecret[], size: number, seed: number): string {
  const lines: string[] = [];
  let length = 0;
  let next = 0;
  for (let i = 0; length < size || next < secrets.length; i += 1) {
    const line = next < secrets.length && i % 9 === seed % 9 ? (secrets[next++] as PlantedSecret).text : (BENIGN[(i * 31 + seed) % BENIGN.length] ?? '');
    lines.push(line);
    length += line.length + 1;
  }
  return lines.join('\n');
}
