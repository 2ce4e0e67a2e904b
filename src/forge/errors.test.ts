import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { conflictIf, errorFromStatus, ForgeError, networkError, scrubSecrets, serverMessage } from './errors.ts';

const base = { forge: 'gitlab' as const, operation: 'read branch x of g/r', rateLimited: false, retryAfterMs: undefined, secrets: ['s3cr3t-token'] };

describe('forge errors', () => {
  it('reads the message out of each forge\'s error body', () => {
    assert.equal(serverMessage({ message: 'Validation Failed', errors: [{ resource: 'PullRequest', code: 'custom', message: 'A pull request already exists for o:b.' }] }),
      'Validation Failed: A pull request already exists for o:b.');
    assert.equal(serverMessage({ message: ['Another open merge request already exists for this source branch: !7'] }), 'Another open merge request already exists for this source branch: !7');
    assert.equal(serverMessage({ message: { title: ["can't be blank"], source_branch: ['is invalid'] } }), "title can't be blank; source_branch is invalid");
    assert.equal(serverMessage({ error: 'invalid_token', error_description: 'Token was revoked.' }), 'Token was revoked.');
    assert.equal(serverMessage({ message: 'branch already exists [name: x]', url: 'https://gitea/api/swagger' }), 'branch already exists [name: x]');
    assert.equal(serverMessage(undefined), '');
  });

  it('classifies statuses, with a hint and the retry verdict', () => {
    const cases: Array<[number, string, boolean]> = [[401, 'unauthorized', false], [403, 'forbidden', false], [404, 'not-found', false], [409, 'conflict', false], [422, 'invalid', false], [500, 'server', true], [501, 'server', false]];
    for (const [status, code, retryable] of cases) {
      const error = errorFromStatus({ ...base, status, said: 'x' });
      assert.equal(error.code, code, String(status));
      assert.equal(error.retryable, retryable, String(status));
      assert.equal(error.status, status);
    }
    const limited = errorFromStatus({ ...base, status: 429, said: 'Retry later', rateLimited: true, retryAfterMs: 90_000 });
    assert.equal(limited.code, 'rate-limited');
    assert.equal(limited.retryAfterMs, 90_000);
    assert.match(limited.message, /try again in 90 s/);
    assert.match(errorFromStatus({ ...base, status: 403, said: 'nope' }).message, /api scope/);
  });

  it('never lets a token through: the given ones and anything shaped like one', () => {
    const error = errorFromStatus({ ...base, status: 401, said: 'bad token s3cr3t-token and glpat-abcdefghijklmnopqrstu and ghp_abcdefghijklmnopqrstuvwxyz0123456789' });
    assert.ok(!error.message.includes('s3cr3t-token'));
    assert.ok(!error.message.includes('glpat-abc'));
    assert.ok(!error.message.includes('ghp_abc'));
    assert.equal(scrubSecrets('a s3cr3t-token b', ['s3cr3t-token']), 'a [REDACTED] b');
    const network = networkError('gitea', 'op', new Error('connect ECONNREFUSED for s3cr3t-token'), ['s3cr3t-token']);
    assert.ok(!network.message.includes('s3cr3t-token'));
    assert.equal(network.retryable, true);
    assert.equal(network.status, 0);
  });

  it('re-labels a lost race as a retryable conflict, keeping the original as cause', () => {
    const original = errorFromStatus({ ...base, status: 400, said: "A branch called 'x' already exists." });
    const conflict = conflictIf(original, [400], /already exists/);
    assert.ok(conflict instanceof ForgeError);
    assert.equal(conflict.code, 'conflict');
    assert.equal(conflict.retryable, true);
    assert.equal(conflict.cause, original);
    assert.equal(conflictIf(original, [422], /already exists/), original);
  });
});
