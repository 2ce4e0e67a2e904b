import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SIGNAL_CLASSES } from '../api/healing-incident.ts';
import { builtInWit } from './wit.ts';

test('every class has a short line, the same one for the same incident, and none when plain', () => {
  for (const signalClass of SIGNAL_CLASSES) {
    const line = builtInWit(signalClass, '0123456789abcdef');
    assert.ok(line && line.length <= 80, `${signalClass}: ${line}`);
    assert.equal(builtInWit(signalClass, '0123456789abcdef'), line);
    assert.equal(builtInWit(signalClass, '0123456789abcdef', 'plain'), undefined);
  }
  const lines = new Set(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((f) => builtInWit('CrashLoop', f)));
  assert.ok(lines.size > 1, 'incidents get different lines');
});
