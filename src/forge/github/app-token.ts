// GitHub App credentials instead of a personal token: the App's id and private key sign a
// short JWT, which buys an installation token (valid one hour) for the repositories the
// App is installed on. @octokit/auth-app does the signing, caches the installation token
// and renews it before it expires.
import { createHash } from 'node:crypto';
import { createAppAuth } from '@octokit/auth-app';
import { request } from '@octokit/request';
import { ForgeError } from '../errors.ts';

export interface GitHubAppCredentials {
  appId: string;
  installationId: string;
  /** PEM, as GitHub issues it. */
  privateKey: string;
}

type InstallationAuth = ReturnType<typeof createAppAuth>;
const auths = new Map<string, InstallationAuth>();

/** An installation token for the App, from a per-process cache keyed by App, installation, key and API. */
export async function githubAppToken(apiBaseUrl: string, credentials: GitHubAppCredentials, fetchImpl?: typeof fetch): Promise<string> {
  const id = [apiBaseUrl, credentials.appId, credentials.installationId, createHash('sha256').update(credentials.privateKey).digest('hex').slice(0, 16)].join('|');
  let auth = auths.get(id);
  if (!auth) {
    auth = createAppAuth({
      appId: credentials.appId,
      privateKey: credentials.privateKey,
      installationId: credentials.installationId,
      request: request.defaults({ baseUrl: apiBaseUrl, ...(fetchImpl ? { request: { fetch: fetchImpl } } : {}) }),
    });
    auths.set(id, auth);
  }
  try {
    return (await auth({ type: 'installation' })).token;
  } catch (error) {
    // Not the library's error: its request options carry the signed JWT.
    const status = typeof (error as { status?: unknown }).status === 'number' ? (error as { status: number }).status : 0;
    throw new ForgeError({
      forge: 'github', code: status === 401 || status === 403 ? 'unauthorized' : 'server', status, retryable: status === 0 || status >= 500, operation: 'mint a GitHub App installation token',
      message: `GitHub refused the App's credentials (HTTP ${status || 'no answer'}): check the App id ${credentials.appId}, installation ${credentials.installationId} and private key in the Secret`,
    });
  }
}
