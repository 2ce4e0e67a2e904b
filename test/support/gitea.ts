// The run's real Gitea (tier-3 sandbox, see test/global-setup.ts): a fresh repository per
// test, created through its REST API with the admin token.

import { createRepository, giteaApi, type GiteaAccess } from '../../src/demo/gitea-repo.ts';

export { giteaApi };
export type TestGitea = GiteaAccess;

export function testGitea(): TestGitea {
  const url = process.env.GOPHERGUARD_TEST_GITEA_URL;
  const token = process.env.GOPHERGUARD_TEST_GITEA_TOKEN;
  if (!url || !token) throw new Error('GOPHERGUARD_TEST_GITEA_URL and _TOKEN are not set: run the tests with npm test, which starts a tier-3 sandbox');
  return { url, token, user: process.env.GOPHERGUARD_TEST_GITEA_USER ?? 'gopherguard' };
}

/** A new repository with the given files on main, committed in one go; returns its clone URL. */
export async function createRepo(gitea: TestGitea, prefix: string, files: Record<string, string>): Promise<{ name: string; cloneUrl: string }> {
  return createRepository(gitea, `${prefix}-${Math.random().toString(36).slice(2, 7)}`, files);
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
