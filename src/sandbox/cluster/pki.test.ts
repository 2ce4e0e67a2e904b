import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { createPki, writeKubeconfig } from './pki.ts';

test('issues a CA, a serving certificate for loopback and an admin in system:masters', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pki-'));
  const pki = await createPki(dir);
  const ca = new X509Certificate(await readFile(pki.caCert));
  const serving = new X509Certificate(await readFile(pki.servingCert));
  const admin = new X509Certificate(await readFile(pki.adminCert));
  assert.ok(ca.ca);
  assert.ok(serving.verify(ca.publicKey) && admin.verify(ca.publicKey), 'both are signed by the CA');
  assert.ok(serving.checkIP('127.0.0.1') && serving.checkHost('localhost') && serving.checkHost('kubernetes.default.svc'));
  assert.match(admin.subject, /O=system:masters/);
  assert.match(admin.keyUsage?.join(',') ?? '', /1\.3\.6\.1\.5\.5\.7\.3\.2/, 'client auth');

  const kubeconfig = join(dir, 'kubeconfig');
  await writeKubeconfig(kubeconfig, pki, 'https://127.0.0.1:6443', 'test');
  const config = parse(await readFile(kubeconfig, 'utf8'));
  assert.equal(config.clusters[0].cluster.server, 'https://127.0.0.1:6443');
  assert.equal(Buffer.from(config.users[0].user['client-certificate-data'], 'base64').toString(), await readFile(pki.adminCert, 'utf8'), 'certificates are embedded');
});
