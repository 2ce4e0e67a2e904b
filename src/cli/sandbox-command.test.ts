import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSandboxOptions } from './sandbox-command.ts';
import { UsageError } from './usage-error.ts';

test('defaults to tier 2, three nodes and a folder per sandbox name', () => {
  const { command, options } = parseSandboxOptions(['up', '--name', 'blue']);
  assert.equal(command, 'up');
  assert.deepEqual([options.tier, options.nodes], [2, 3]);
  assert.match(options.dir, /gopherguard\/sandboxes\/blue$/);
});

test('rejects options that make no sense with a sentence that says why', () => {
  const usage = (args: string[], message: RegExp) =>
    assert.throws(() => parseSandboxOptions(args), (e: unknown) => e instanceof UsageError && message.test(e.message));
  usage(['up', '--tier', '4'], /--tier must be 1, 2 or 3, not 4/);
  usage(['up', '--nodes', '0'], /--nodes must be a whole number from 1 to 100/);
  usage(['up', '--name', '../etc'], /--name must be lower-case letters/);
});
