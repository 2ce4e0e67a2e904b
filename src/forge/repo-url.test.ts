import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { guessForgeKind, parseRepoUrl, redactUrl, RepoUrlError } from './repo-url.ts';

describe('parseRepoUrl', () => {
  it('reads github.com URLs, with or without .git and a trailing slash', () => {
    for (const url of ['https://github.com/o/r', 'https://github.com/o/r.git', 'https://github.com/o/r/', 'git@github.com:o/r.git', 'ssh://git@github.com/o/r.git']) {
      assert.deepEqual(parseRepoUrl(url), {
        kind: 'github', webUrl: 'https://github.com/o/r', apiBaseUrl: 'https://api.github.com', owner: 'o', name: 'r', fullName: 'o/r',
      }, url);
    }
  });

  it('puts GitHub Enterprise Server under /api/v3 when told it is GitHub', () => {
    const repo = parseRepoUrl('https://ghe.example/o/r', { kind: 'github' });
    assert.equal(repo.apiBaseUrl, 'https://ghe.example/api/v3');
    assert.equal(repo.webUrl, 'https://ghe.example/o/r');
    assert.equal(parseRepoUrl('https://github.acme.corp/team/app.git').apiBaseUrl, 'https://github.acme.corp/api/v3');
  });

  it('keeps nested GitLab groups, drops a /-/ tail, and uses /api/v4', () => {
    const repo = parseRepoUrl('https://gitlab.com/group/sub/r.git');
    assert.deepEqual(repo, {
      kind: 'gitlab', webUrl: 'https://gitlab.com/group/sub/r', apiBaseUrl: 'https://gitlab.com/api/v4', owner: 'group/sub', name: 'r', fullName: 'group/sub/r',
    });
    assert.equal(parseRepoUrl('https://gitlab.com/group/sub/r/-/tree/main/deploy').fullName, 'group/sub/r');
  });

  it('puts Gitea under /api/v1, keeps a port and http for a loopback sandbox', () => {
    const repo = parseRepoUrl('http://127.0.0.1:3000/tester/demo.git', { kind: 'gitea' });
    assert.equal(repo.apiBaseUrl, 'http://127.0.0.1:3000/api/v1');
    assert.equal(repo.webUrl, 'http://127.0.0.1:3000/tester/demo');
    assert.equal(parseRepoUrl('https://gitea.example/o/r').kind, 'gitea');
    assert.equal(parseRepoUrl('https://codeberg.org/o/r').apiBaseUrl, 'https://codeberg.org/api/v1');
  });

  it('drops credentials embedded in the URL', () => {
    const repo = parseRepoUrl('https://x-access-token:ghs_secretsecret@github.com/o/r.git');
    assert.ok(!JSON.stringify(repo).includes('secret'));
    assert.equal(redactUrl('https://user:pw@host/o/r'), 'https://host/o/r');
  });

  it('honours an explicit kind and API root over the guess', () => {
    const repo = parseRepoUrl('https://code.example/team/app', { kind: 'gitlab', apiBaseUrl: 'https://code.example/gitlab/api/v4/' });
    assert.equal(repo.kind, 'gitlab');
    assert.equal(repo.apiBaseUrl, 'https://code.example/gitlab/api/v4');
  });

  it('refuses what it cannot read, without echoing credentials', () => {
    assert.throws(() => parseRepoUrl('https://code.example/o/r'), (e: unknown) => e instanceof RepoUrlError && /spec\.source\.git\.forge/.test(e.message));
    assert.throws(() => parseRepoUrl('https://github.com/o'), RepoUrlError);
    assert.throws(() => parseRepoUrl('https://github.com/o/r/tree/main'), RepoUrlError);
    assert.throws(() => parseRepoUrl('https://gitlab.com/justone'), RepoUrlError);
    assert.throws(() => parseRepoUrl('ftp://github.com/o/r'), RepoUrlError);
    assert.throws(() => parseRepoUrl('https://u:hunter2@github.com/o/r/x'), (e: unknown) => e instanceof Error && !e.message.includes('hunter2'));
  });
});

describe('guessForgeKind', () => {
  it('knows the public hosts and host-name conventions, and admits when it cannot tell', () => {
    assert.equal(guessForgeKind('github.com'), 'github');
    assert.equal(guessForgeKind('gitlab.com'), 'gitlab');
    assert.equal(guessForgeKind('gitlab.internal.example:8443'), 'gitlab');
    assert.equal(guessForgeKind('forgejo.example'), 'gitea');
    assert.equal(guessForgeKind('git.example'), undefined);
    assert.equal(guessForgeKind('mygithubmirror.example'), undefined);
  });
});
