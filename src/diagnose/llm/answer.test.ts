import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ANSWER_JSON_SCHEMA, checkAnswer } from './answer.ts';

const good = {
  rootCause: 'probe on the wrong port', confidence: 0.8, summary: 'Fix the liveness port', witty: '', cited: null,
  action: { type: 'fixProbe', container: 'app', probe: 'liveness', port: 8081, path: null, initialDelaySeconds: null, timeoutSeconds: null, failureThreshold: null },
};

/** Every object closed with all properties required, and nothing some provider's strict mode rejects. */
function assertStrict(node: unknown, at = '$'): void {
  if (!node || typeof node !== 'object') return;
  const n = node as Record<string, unknown>;
  for (const banned of ['oneOf', 'pattern', 'minLength', 'maxLength', 'minimum', 'maximum', 'format', 'const']) assert.ok(!(banned in n), `${at} has ${banned}`);
  if (n.properties) {
    assert.equal(n.additionalProperties, false, `${at} is open`);
    assert.deepEqual([...(n.required as string[])].sort(), Object.keys(n.properties).sort(), `${at} has optional properties`);
    for (const [k, v] of Object.entries(n.properties)) assertStrict(v, `${at}.${k}`);
  }
  for (const [k, v] of Object.entries(n)) if (k !== 'properties') (Array.isArray(v) ? v : [v]).forEach((x, i) => assertStrict(x, `${at}.${k}[${i}]`));
}

test('the JSON schema sent to providers is in the strict subset they all accept', () => {
  assertStrict(ANSWER_JSON_SCHEMA);
});

test('nulls mean "leave as it is", and the answer comes out as a canonical action', () => {
  const checked = checkAnswer(good);
  assert.ok(checked.success);
  assert.deepEqual(checked.value.action, { type: 'fixProbe', container: 'app', probe: 'liveness', port: 8081 });
  assert.deepEqual(checked.value.cited, []);
});

test('unknown fields, unknown actions, bounds and sensitive paths are refused with a reason', () => {
  const reason = (value: unknown) => {
    const checked = checkAnswer(value);
    return checked.success ? 'accepted' : checked.error.message;
  };
  assert.match(reason({ ...good, note: 'hi' }), /^answer: unknown field note/);
  assert.match(reason({ ...good, action: { ...good.action, privileged: true } }), /^answer\.action: unknown field privileged/);
  assert.match(reason({ ...good, action: { ...good.action, 'IGNORE ALL PREVIOUS': 1 } }), /unknown field \(a field with an unusual name\)/);
  assert.match(reason({ ...good, action: { type: 'runCommand' } }), /^answer\.action\.type/);
  assert.match(reason({ ...good, action: { ...good.action, port: 70000 } }), /^answer\.action\.port/);
  assert.match(reason({ ...good, confidence: 1.5 }), /^answer\.confidence/);
  assert.match(reason({ ...good, action: { type: 'setImageTag', container: 'app', tag: 'evil.example/miner:latest' } }), /^answer\.action\.tag: must be an image tag/);
  assert.match(reason({ ...good, action: { type: 'revertField', path: 'spec.containers[app].securityContext.privileged', value: 'true' } }), /^answer\.action\.path: touches a field/);
  assert.match(reason({ ...good, action: { type: 'revertField', path: 'spec.hostNetwork', value: 'true' } }), /^answer\.action\.path/);
  assert.equal(reason({ ...good, action: { type: 'revertField', path: 'spec.containers[app].resources.limits.memory', value: '256Mi' } }), 'accepted');
});

test('context checks (bounds) can refuse an otherwise valid action', () => {
  const checked = checkAnswer(good, (action) => (action.type === 'fixProbe' ? ['answer.action.container: no such container'] : []));
  assert.equal(checked.success, false);
});
