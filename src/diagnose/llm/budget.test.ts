import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../controller/fake-clock.ts';
import { TokenBudget } from './budget.ts';

const limits = { perIncident: 1000, perHour: 2500 };

test('reservations count at once and settle to what was spent', () => {
  const budget = new TokenBudget(new FakeClock());
  const first = budget.reserve('watch', 'a', 800, limits);
  assert.ok(first.ok);
  assert.equal(budget.reserve('watch', 'a', 300, limits).ok, false, 'the reservation already counts for the incident');
  first.reservation.settle(500);
  assert.equal(budget.spentOnIncident('a'), 500);
  assert.equal(budget.spentThisHour('watch'), 500);
  assert.ok(budget.reserve('watch', 'a', 300, limits).ok);
});

test('the hourly budget is a rolling hour per scope', () => {
  const clock = new FakeClock();
  const budget = new TokenBudget(clock);
  for (const incident of ['a', 'b']) assert.ok(budget.reserve('watch', incident, 1000, limits).ok);
  clock.advance(30 * 60 * 1000);
  const spent = budget.reserve('watch', 'c', 1000, limits);
  assert.equal(spent.ok, false);
  assert.match(spent.ok ? '' : spent.reason, /^hourly token budget spent \(2000 of 2500/);
  assert.ok(budget.reserve('other-watch', 'c', 1000, limits).ok, 'another scope has its own hour');
  clock.advance(30 * 60 * 1000 + 1);
  assert.ok(budget.reserve('watch', 'd', 1000, limits).ok, 'the first hour has rolled off');
});

test('what the incident status says it spent counts, so a restart does not reset the incident budget', () => {
  const budget = new TokenBudget(new FakeClock());
  const result = budget.reserve('watch', 'a', 300, limits, 900);
  assert.equal(result.ok, false);
  assert.match(result.ok ? '' : result.reason, /^incident token budget spent \(900 of 1000/);
});
