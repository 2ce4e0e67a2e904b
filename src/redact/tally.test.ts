import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Redactor } from './redactor.ts';
import { redactObject } from './structural.ts';
import { RedactionTally } from './tally.ts';

describe('RedactionTally', () => {
  it('adds up the redactions of every text and object sent out for an incident', () => {
    const redactor = new Redactor();
    const tally = new RedactionTally();
    tally.add(redactor.redactText('connecting to postgres://app:Pa55word99@db:5432/app'));
    tally.add(redactor.redactText('nothing to see'));
    assert.equal(tally.count, 1);
    tally.add(redactObject({ containers: [{ name: 'app', env: [{ name: 'API_TOKEN', value: 'abc' }] }] }, redactor));
    assert.equal(tally.count, 2);
    assert.deepEqual(tally.rules, ['secret-env-name', 'url-credentials']);
  });
});
