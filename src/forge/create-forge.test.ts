import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createForge, forgeForRepo } from './create-forge.ts';
import { ForgeError } from './errors.ts';
import { RepoUrlError } from './repo-url.ts';
import { buildUrl } from './http-client.ts';
import { fitBody } from './pr-body.ts';

describe('createForge and forgeForRepo', () => {
  it('builds the forge named by the watch, or the one the host suggests', () => {
    assert.equal(forgeForRepo('https://gitlab.com/g/sub/app', { token: 't0ken' }).forge.kind, 'gitlab');
    const { forge, repo } = forgeForRepo('https://ghe.example/o/r.git', { token: 't0ken', kind: 'github' });
    assert.equal(forge.kind, 'github');
    assert.equal(repo.apiBaseUrl, 'https://ghe.example/api/v3');
    assert.equal(forgeForRepo('http://127.0.0.1:3000/tester/demo', { token: 't0ken', kind: 'gitea' }).repo.apiBaseUrl, 'http://127.0.0.1:3000/api/v1');
  });

  it('refuses an empty token with a message that says where it should come from', () => {
    assert.throws(() => createForge({ kind: 'gitea', apiBaseUrl: 'https://gitea.example/api/v1', token: ' ' }),
      (e: unknown) => e instanceof ForgeError && e.code === 'unauthorized' && /secretRef/.test(e.message));
  });

  it('asks for spec.source.git.forge when the host gives no clue', () => {
    assert.throws(() => forgeForRepo('https://git.example/o/r', { token: 't0ken' }), RepoUrlError);
  });
});

describe('small helpers', () => {
  it('buildUrl joins the API root and path and drops undefined query values', () => {
    assert.equal(buildUrl('https://h/api/v4/', { path: '/projects/a%2Fb', query: { ref: 'x/y', path: undefined, page: 2 } }), 'https://h/api/v4/projects/a%2Fb?ref=x%2Fy&page=2');
  });

  it('fitBody cuts an over-long body to the limit, with a note', () => {
    assert.equal(fitBody('short', 100), 'short');
    const cut = fitBody('x'.repeat(200), 100);
    assert.equal(cut.length, 100);
    assert.match(cut, /cut/);
  });
});
