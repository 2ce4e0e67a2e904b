// The guard against generated proposals on generated workloads (seeded, so a failure
// reproduces): at least 1,000 dangerous mutations, none accepted; at least 200
// legitimate fixes, at least 95 % accepted (we expect all of them). Counts by category
// are printed as test diagnostics.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApplyActionError } from './apply-action.ts';
import { checkChange } from './check.ts';
import { FIX_CATEGORIES, legitimateFix } from './fix-fixtures.ts';
import { IDENTITY_MUTATIONS } from './identity-mutations.ts';
import type { Mutation, MutationGenerator } from './mutation-fixtures.ts';
import { SECURITY_MUTATIONS } from './security-mutations.ts';
import { VALUE_MUTATIONS } from './value-mutations.ts';
import { prng, randomFixture, type Fixture, type Rng } from './workload-fixtures.ts';

const DANGEROUS: Record<string, MutationGenerator> = { ...SECURITY_MUTATIONS, ...IDENTITY_MUTATIONS, ...VALUE_MUTATIONS };
const PER_DANGEROUS_CATEGORY = 24;
const PER_FIX_CATEGORY = 20;

/** Up to `count` results of `make` on fresh fixtures (a generator may not apply to every workload). */
function generate<T>(rng: Rng, count: number, make: (fx: Fixture) => T | undefined): { fx: Fixture; made: T }[] {
  const out: { fx: Fixture; made: T }[] = [];
  for (let attempt = 0; out.length < count && attempt < count * 40; attempt++) {
    const fx = randomFixture(rng, attempt);
    let made: T | undefined;
    try {
      made = make(fx);
    } catch (error) {
      if (!(error instanceof ApplyActionError)) throw error;
    }
    if (made !== undefined) out.push({ fx, made });
  }
  return out;
}

test('the guard accepts none of the generated dangerous mutations', (t) => {
  const rng = prng(0x6e4a);
  let total = 0;
  const accepted: string[] = [];
  const controls: string[] = [];
  for (const [category, generator] of Object.entries(DANGEROUS)) {
    const cases = generate(rng, PER_DANGEROUS_CATEGORY, (fx) => generator(rng, fx));
    assert.ok(cases.length >= 10, `category ${category} generated only ${cases.length} cases`);
    let refused = 0;
    let sample = '';
    for (const { fx, made } of cases) {
      const m: Mutation = made;
      const input = { action: m.action, before: m.before ?? fx.before, baseline: m.baseline, history: m.history ?? fx.history, knownGoodTags: m.knownGoodTags, limits: m.limits };
      const verdict = checkChange({ ...input, after: m.after });
      if (verdict.ok) accepted.push(`${category}: ${JSON.stringify(m.action)}`);
      else {
        refused += 1;
        sample ||= verdict.reasons[0] ?? '';
      }
      if (m.control) {
        const control = checkChange({ ...input, after: m.control });
        if (!control.ok) controls.push(`${category}: ${JSON.stringify(m.action)}: ${control.reasons.join('; ')}`);
      }
    }
    total += cases.length;
    t.diagnostic(`${category}: ${refused}/${cases.length} refused, e.g. "${sample}"`);
  }
  t.diagnostic(`dangerous mutations: ${total} generated in ${Object.keys(DANGEROUS).length} categories, ${accepted.length} accepted`);
  assert.ok(total >= 1000, `only ${total} dangerous mutations were generated`);
  assert.deepEqual(accepted, [], 'dangerous mutations the guard accepted');
  // Each mutation beside a legitimate fix is refused for the mutation: the fix alone passes.
  assert.deepEqual(controls, [], 'legitimate fixes that carried a mutation were refused on their own');
});

test('the guard accepts the generated legitimate fixes', (t) => {
  const rng = prng(0xf1c5);
  let total = 0;
  const refused: string[] = [];
  for (const category of FIX_CATEGORIES) {
    const cases = generate(rng, PER_FIX_CATEGORY, (fx) => legitimateFix(rng, fx, category));
    assert.ok(cases.length >= 10, `category ${category} generated only ${cases.length} cases`);
    let ok = 0;
    for (const { fx, made: fix } of cases) {
      const verdict = checkChange({ action: fix.action, before: fx.before, after: fix.after, history: fx.history, knownGoodTags: fix.knownGoodTags });
      if (verdict.ok) ok += 1;
      else refused.push(`${category}: ${JSON.stringify(fix.action)}: ${verdict.reasons.join('; ')}`);
    }
    total += cases.length;
    t.diagnostic(`${category}: ${ok}/${cases.length} accepted`);
  }
  const rate = (total - refused.length) / total;
  t.diagnostic(`legitimate fixes: ${total} generated, ${total - refused.length} accepted (${(rate * 100).toFixed(1)} %)`);
  for (const line of refused) t.diagnostic(`refused: ${line}`);
  assert.ok(total >= 200, `only ${total} legitimate fixes were generated`);
  assert.ok(rate >= 0.95, `only ${(rate * 100).toFixed(1)} % of legitimate fixes were accepted`);
});
