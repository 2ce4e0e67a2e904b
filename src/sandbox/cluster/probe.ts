import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { readFileSync } from 'node:fs';
import type { Pki } from './pki.ts';

export interface ProbeTarget {
  url: string;
  /** Verify the server against the sandbox CA and present the admin certificate. */
  pki?: Pick<Pki, 'caCert' | 'adminCert' | 'adminKey'>;
  /** Components that serve a self-signed certificate of their own (scheduler, KCM). */
  insecure?: boolean;
}

/** One GET; true on a 2xx answer. Used to wait for components to become ready. */
export function probeOk(target: ProbeTarget, timeoutMs = 2000): Promise<boolean> {
  const url = new URL(target.url);
  const tls = target.pki
    ? { ca: readFileSync(target.pki.caCert), cert: readFileSync(target.pki.adminCert), key: readFileSync(target.pki.adminKey) }
    : {};
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', timeout: timeoutMs, rejectUnauthorized: !target.insecure, ...tls }, (res) => {
      res.resume();
      resolve((res.statusCode ?? 500) < 300);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}
