import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseQuantity } from './quantity.ts';

test('parses binary, decimal, milli and exponent quantities', () => {
  assert.equal(parseQuantity('128Mi'), 128 * 1024 * 1024);
  assert.equal(parseQuantity('1Gi'), 1024 ** 3);
  assert.equal(parseQuantity('0.5Gi'), 512 * 1024 * 1024);
  assert.equal(parseQuantity('200M'), 200e6);
  assert.equal(parseQuantity('500m'), 0.5);
  assert.equal(parseQuantity('1e3'), 1000);
  assert.equal(parseQuantity('2'), 2);
  assert.equal(parseQuantity(3), 3);
});

test('rejects what is not a quantity', () => {
  assert.equal(parseQuantity('lots'), undefined);
  assert.equal(parseQuantity('12 Mi'), undefined);
  assert.equal(parseQuantity(''), undefined);
  assert.equal(parseQuantity(undefined), undefined);
});

test('a limit below the need compares as smaller whatever the units', () => {
  assert.ok((parseQuantity('128Mi') ?? 0) < (parseQuantity('200Mi') ?? 0));
  assert.ok((parseQuantity('256M') ?? 0) > (parseQuantity('200Mi') ?? 0));
});
