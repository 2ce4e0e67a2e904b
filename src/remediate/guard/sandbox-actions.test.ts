// The rules' own actions on the failures the tier-2 sandbox produced: applied to the
// captured Deployment, with its ReplicaSets as history, each one passes the guard. A
// guard that refused what the rules rightly propose would only ever explain.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { V1Deployment } from '@kubernetes/client-node';
import { diagnoseWithRules } from '../../diagnose/rules.ts';
import { analyzerInputFor, fixtureSignals, loadSandboxFixture, sandboxScenarios } from '../../diagnose/sandbox-fixtures.ts';
import { applyAction } from './apply-action.ts';
import { checkChange } from './check.ts';

test('every action the rules choose on the sandbox scenarios passes the guard', (t) => {
  let checked = 0;
  for (const scenario of sandboxScenarios()) {
    const fixture = loadSandboxFixture(scenario);
    const before: V1Deployment = { apiVersion: 'apps/v1', kind: 'Deployment', ...fixture.deployment };
    const history = { revisions: fixture.replicaSets.map((rs) => rs.spec?.template ?? {}) };
    for (const signal of new Set(fixtureSignals(fixture).map((s) => s.class))) {
      const { action } = diagnoseWithRules(analyzerInputFor(fixture, signal).input);
      if (action.type === 'none' || action.type === 'revertCommit') continue;
      const after = applyAction(before, action, { history });
      const verdict = checkChange({ action, before, after, history });
      assert.deepEqual(verdict, { ok: true }, `${scenario}/${signal}: ${JSON.stringify(action)}`);
      t.diagnostic(`${scenario}/${signal}: ${action.type} passes`);
      checked += 1;
    }
  }
  assert.ok(checked >= 8, `only ${checked} actions were checked`);
});
