// The AegisWatch the README shows is valid as written.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { parseAegisWatch } from '../../src/api/crd.ts';

test('examples/aegiswatch.yaml parses, and says the defaults it claims', async () => {
  const object = parse(await readFile(join(import.meta.dirname, '..', '..', 'examples', 'aegiswatch.yaml'), 'utf8'));
  const parsed = parseAegisWatch(object);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.problems.join('; '));
  const defaults = parseAegisWatch({ ...object, spec: { targets: object.spec.targets, source: object.spec.source } });
  assert.ok(defaults.ok);
  assert.deepEqual(parsed.value.spec, defaults.value.spec, 'every optional value in the example is the default');
});
