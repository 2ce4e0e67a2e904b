// The run's real Gitea (tier-3 sandbox, see test/global-setup.ts): a fresh repository per
// test, created through its REST API with the admin token.

export interface TestGitea {
  url: string;
  token: string;
  user: string;
}

export function testGitea(): TestGitea {
  const url = process.env.GOPHERGUARD_TEST_GITEA_URL;
  const token = process.env.GOPHERGUARD_TEST_GITEA_TOKEN;
  if (!url || !token) throw new Error('GOPHERGUARD_TEST_GITEA_URL and _TOKEN are not set: run the tests with npm test, which starts a tier-3 sandbox');
  return { url, token, user: process.env.GOPHERGUARD_TEST_GITEA_USER ?? 'gopherguard' };
}

export async function giteaApi<T>(gitea: TestGitea, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${gitea.url}/api/v1${path}`, {
    method,
    headers: { Authorization: `token ${gitea.token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A new repository with the given files on main, committed in one go; returns its clone URL. */
export async function createRepo(gitea: TestGitea, prefix: string, files: Record<string, string>): Promise<{ name: string; cloneUrl: string }> {
  const name = `${prefix}-${Math.random().toString(36).slice(2, 7)}`;
  await giteaApi(gitea, 'POST', '/user/repos', { name, auto_init: true, default_branch: 'main', private: true });
  if (Object.keys(files).length > 0) {
    await giteaApi(gitea, 'POST', `/repos/${gitea.user}/${name}/contents`, {
      branch: 'main',
      message: 'the manifests',
      files: Object.entries(files).map(([path, content]) => ({ operation: 'create', path, content: Buffer.from(content).toString('base64') })),
    });
  }
  return { name, cloneUrl: `${gitea.url}/${gitea.user}/${name}.git` };
}

export interface GiteaPull {
  number: number;
  state: string;
  merged: boolean;
  title: string;
  body: string;
  head: { ref: string };
}

export async function pullsOf(gitea: TestGitea, repo: string): Promise<GiteaPull[]> {
  return giteaApi<GiteaPull[]>(gitea, 'GET', `/repos/${gitea.user}/${repo}/pulls?state=all&limit=50`);
}
