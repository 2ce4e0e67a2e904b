// GitHub App credentials: the App's key signs a JWT that buys an installation token (over
// real HTTP, against a loopback GitHub that checks the signature with the App's public
// key), and that token is what the forge then uses.
import assert from 'node:assert/strict';
import { createVerify, generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { createForge, githubAppToken, parseRepoUrl } from '../../src/forge/index.ts';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });

function verifyJwt(jwt: string): Record<string, unknown> | undefined {
  const [header, payload, signature] = jwt.split('.');
  if (!header || !payload || !signature) return undefined;
  const ok = createVerify('RSA-SHA256').update(`${header}.${payload}`).verify(publicKey, Buffer.from(signature, 'base64url'));
  return ok ? JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown> : undefined;
}

test('an installation token is minted with a JWT signed by the App key, cached, and used by the forge', async () => {
  const calls: string[] = [];
  const server = createServer((req, res) => {
    calls.push(`${req.method} ${req.url}`);
    const auth = req.headers.authorization ?? '';
    if (req.method === 'POST' && req.url === '/app/installations/4242/access_tokens') {
      const claims = /^bearer (.+)$/i.exec(auth)?.[1];
      const verified = claims && verifyJwt(claims);
      if (!verified || verified.iss !== '1234') {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"A JSON web token could not be decoded"}');
        return;
      }
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ token: 'ghs_installation0123456789abcdefghijklmno', expires_at: new Date(Date.now() + 3_600_000).toISOString(), permissions: { contents: 'write', pull_requests: 'write' }, repository_selection: 'all' }));
      return;
    }
    if (req.method === 'GET' && req.url?.startsWith('/repos/o/r/pulls') && auth === 'token ghs_installation0123456789abcdefghijklmno') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
      return;
    }
    res.writeHead(599).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const credentials = { appId: '1234', installationId: '4242', privateKey };
    const token = await githubAppToken(base, credentials);
    assert.equal(token, 'ghs_installation0123456789abcdefghijklmno');
    assert.equal(await githubAppToken(base, credentials), token, 'cached until it expires');
    assert.equal(calls.filter((c) => c.startsWith('POST')).length, 1);

    const forge = createForge({ kind: 'github', apiBaseUrl: base, token });
    assert.equal(await forge.findPullRequest(parseRepoUrl('https://github.com/o/r'), { branch: 'gopherguard/x', state: 'open' }), undefined);

    const wrong = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    await assert.rejects(githubAppToken(base, { ...credentials, privateKey: wrong.privateKey }), (error: Error) => /refused the App's credentials \(HTTP 401\)/.test(error.message) && !error.message.includes('BEGIN'));
  } finally {
    server.close();
  }
});
