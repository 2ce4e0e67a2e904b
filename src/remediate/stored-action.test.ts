import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toIncidentDiagnosis } from '../diagnose/llm/index.ts';
import type { RemedyAction } from '../diagnose/remedy-action.ts';
import { actionFromDiagnosis } from './stored-action.ts';

const roundTrip = (action: RemedyAction) =>
  actionFromDiagnosis(toIncidentDiagnosis({ engine: 'rules', rootCause: 'r', confidence: 0.9, cited: [], action, summary: 's' }));

test('every kind of action survives the trip through the incident status', () => {
  const actions: RemedyAction[] = [
    { type: 'raiseResource', container: 'app', resource: 'memory', field: 'limits', value: '256Mi' },
    { type: 'setImageTag', container: 'app', tag: '1.0.1' },
    { type: 'fixProbe', container: 'app', probe: 'liveness', port: 8080, path: '/healthz', failureThreshold: 5 },
    { type: 'addStartupProbe', container: 'app', startupSeconds: 70 },
    { type: 'restoreEnv', container: 'app', name: 'DATABASE_URL', value: 'postgres://db:5432/shop' },
    { type: 'none', reason: 'a person should look' },
  ];
  for (const action of actions) assert.deepEqual(roundTrip(action), { ok: true, action });
});

test('a status someone edited by hand is refused, not trusted', () => {
  const verdict = actionFromDiagnosis({ rootCause: 'r', confidence: 1, engine: 'rules', action: { type: 'setImageTag', params: { container: 'app', tag: '../evil' } } });
  assert.equal(verdict.ok, false);
  assert.match(!verdict.ok ? verdict.reason : '', /tag/);
});
