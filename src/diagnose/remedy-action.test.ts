import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RemedyAction } from './remedy-action.ts';

test('accepts each action of the closed set with parameters in bounds', () => {
  const actions = [
    { type: 'raiseResource', container: 'app', resource: 'memory', field: 'limits', value: '256Mi' },
    { type: 'setImageTag', container: 'app', tag: '1.1.0' },
    { type: 'revertField', path: 'spec.containers[app].resources.limits.memory', value: '256Mi' },
    { type: 'revertCommit', commit: 'a1b2c3d' },
    { type: 'fixProbe', container: 'app', probe: 'readiness', path: '/readyz', port: 8080 },
    { type: 'addStartupProbe', container: 'app', startupSeconds: 60 },
    { type: 'fitRequests', container: 'app', cpu: '2' },
    { type: 'restoreEnv', container: 'app', name: 'DATABASE_URL' },
    { type: 'none', reason: 'Secret db does not exist; create it' },
  ];
  for (const action of actions) assert.ok(RemedyAction.safeParse(action).success, JSON.stringify(action));
});

test('rejects what the model must never be able to ask for', () => {
  const rejected = [
    { type: 'patchYaml', yaml: 'privileged: true' },
    { type: 'setImageTag', container: 'app', tag: 'evil.example/miner:latest' },
    { type: 'raiseResource', container: 'app', resource: 'memory', field: 'limits', value: '256Mi; rm -rf /' },
    { type: 'fixProbe', container: 'app', probe: 'readiness', path: 'http://169.254.169.254/' },
    { type: 'restoreEnv', container: '../app', name: 'X' },
    { type: 'addStartupProbe', container: 'app', startupSeconds: 100000 },
  ];
  for (const action of rejected) assert.equal(RemedyAction.safeParse(action).success, false, JSON.stringify(action));
});
