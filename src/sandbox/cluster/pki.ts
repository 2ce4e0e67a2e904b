import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { requireTools } from '../preflight.ts';

const exec = promisify(execFile);

/** Paths of every key and certificate a sandbox uses, all under one folder. */
export interface Pki {
  dir: string;
  caCert: string;
  caKey: string;
  servingCert: string;
  servingKey: string;
  adminCert: string;
  adminKey: string;
  kubeletClientCert: string;
  kubeletClientKey: string;
  serviceAccountKey: string;
  serviceAccountPub: string;
}

const SERVING_SANS = [
  'IP:127.0.0.1',
  'DNS:localhost',
  // The first address of --service-cluster-ip-range and the in-cluster names, so a
  // client given the in-cluster config would also verify the certificate.
  'IP:10.0.0.1',
  'DNS:kubernetes',
  'DNS:kubernetes.default',
  'DNS:kubernetes.default.svc',
  'DNS:kubernetes.default.svc.cluster.local',
];

/**
 * Creates a throwaway CA and the certificates of one sandbox with the openssl CLI
 * (Node can verify X.509 but not issue it). ECDSA P-256, as envtest uses: fast to make.
 */
export async function createPki(dir: string): Promise<Pki> {
  requireTools(['openssl'], 'to create the sandbox certificates');
  await mkdir(dir, { recursive: true });
  const p = (name: string) => join(dir, name);
  const pki: Pki = {
    dir,
    caCert: p('ca.crt'),
    caKey: p('ca.key'),
    servingCert: p('serving.crt'),
    servingKey: p('serving.key'),
    adminCert: p('admin.crt'),
    adminKey: p('admin.key'),
    kubeletClientCert: p('kubelet-client.crt'),
    kubeletClientKey: p('kubelet-client.key'),
    serviceAccountKey: p('sa.key'),
    serviceAccountPub: p('sa.pub'),
  };
  await openssl('req', '-x509', '-new', '-nodes', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
    '-keyout', pki.caKey, '-out', pki.caCert, '-days', '3650', '-subj', '/CN=gopherguard-sandbox-ca',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  await issue(pki, 'serving', '/CN=gopherguard-sandbox', 'serverAuth', SERVING_SANS);
  // system:masters is the group the API server trusts without any RBAC binding.
  await issue(pki, 'admin', '/O=system:masters/CN=admin', 'clientAuth');
  await issue(pki, 'kubelet-client', '/O=system:masters/CN=kube-apiserver-kubelet-client', 'clientAuth');
  await openssl('genrsa', '-out', pki.serviceAccountKey, '2048');
  await openssl('rsa', '-in', pki.serviceAccountKey, '-pubout', '-out', pki.serviceAccountPub);
  return pki;
}

async function issue(pki: Pki, name: string, subject: string, usage: 'serverAuth' | 'clientAuth', sans: string[] = []): Promise<void> {
  const key = join(pki.dir, `${name}.key`);
  const csr = join(pki.dir, `${name}.csr`);
  const ext = join(pki.dir, `${name}.ext`);
  await openssl('req', '-new', '-nodes', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
    '-keyout', key, '-out', csr, '-subj', subject);
  const lines = ['basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', `extendedKeyUsage=${usage}`];
  if (sans.length > 0) lines.push(`subjectAltName=${sans.join(',')}`);
  await writeFile(ext, `${lines.join('\n')}\n`);
  await openssl('x509', '-req', '-in', csr, '-CA', pki.caCert, '-CAkey', pki.caKey, '-CAcreateserial',
    '-out', join(pki.dir, `${name}.crt`), '-days', '3650', '-extfile', ext);
}

async function openssl(...args: string[]): Promise<void> {
  try {
    await exec('openssl', args);
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`openssl ${args[0]} failed: ${stderr.trim()}`, { cause: error });
  }
}

/** A kubeconfig with the certificates embedded, so it stays valid if copied elsewhere. */
export async function writeKubeconfig(path: string, pki: Pki, server: string, name: string): Promise<void> {
  const b64 = async (file: string) => (await readFile(file)).toString('base64');
  const text = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${name}`,
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${await b64(pki.caCert)}`,
    'users:',
    '- name: admin',
    '  user:',
    `    client-certificate-data: ${await b64(pki.adminCert)}`,
    `    client-key-data: ${await b64(pki.adminKey)}`,
    'contexts:',
    `- name: ${name}`,
    '  context:',
    `    cluster: ${name}`,
    '    user: admin',
    `current-context: ${name}`,
    '',
  ].join('\n');
  await writeFile(path, text, { mode: 0o600 });
}
