import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RuleDiagnosis } from '../rule-diagnosis.ts';
import { shouldAskModel } from './policy.ts';

const rules = (confidence: number, none = false): RuleDiagnosis => ({
  rootCause: 'x', confidence, cited: [],
  action: none ? { type: 'none', reason: 'r' } : { type: 'raiseResource', container: 'app', resource: 'memory', field: 'limits', value: '512Mi' },
});

test('never, always, and fallback when the rules are unsure or have nothing to do', () => {
  assert.equal(shouldAskModel('never', rules(0.1, true)), false);
  assert.equal(shouldAskModel('always', rules(0.99)), true);
  assert.equal(shouldAskModel('fallback', rules(0.9)), false);
  assert.equal(shouldAskModel('fallback', rules(0.75)), false);
  assert.equal(shouldAskModel('fallback', rules(0.74)), true);
  assert.equal(shouldAskModel('fallback', rules(0.9, true)), true);
  assert.equal(shouldAskModel('fallback', rules(0.8), 0.85), true);
});
