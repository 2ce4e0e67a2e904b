// The public fault scenarios: each YAML file in this folder is a breaking commit to
// JokeService's GitOps repo (examples/jokeservice/deploy) and what GopherGuard must make
// of it: the signal class, the remedy action, and a healed end. The scenario test runs
// them all end to end on the tier-3 sandbox; `npm run bench -- heal-time` times them.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { SignalClass } from '../../src/api/healing-incident.ts';
import { RemedyAction } from '../../src/diagnose/remedy-action.ts';

const actionTypes = RemedyAction.options.map((option) => option.shape.type.value);

export const Scenario = z.strictObject({
  /** One line on what the commit does and why it breaks the app. */
  description: z.string().min(1),
  commit: z.strictObject({
    message: z.string().min(1),
    edits: z.array(z.strictObject({ file: z.string().min(1), find: z.string().min(1), replace: z.string() })).min(1),
  }),
  /** More of the AegisWatch's spec for this scenario (e.g. metrics with sandbox-short windows). */
  watch: z.record(z.string(), z.unknown()).optional(),
  expect: z.strictObject({
    signalClass: SignalClass,
    action: z.enum(actionTypes as [string, ...string[]]),
    /** The file of the repo the fix edits. */
    fixes: z.string().min(1),
  }),
});
export type Scenario = z.output<typeof Scenario> & { name: string };

const here = import.meta.dirname;

export async function loadScenarios(): Promise<Scenario[]> {
  const files = (await readdir(here)).filter((f) => f.endsWith('.yaml')).sort();
  const scenarios: Scenario[] = [];
  for (const file of files) {
    const parsed = Scenario.safeParse(parse(await readFile(join(here, file), 'utf8')));
    if (!parsed.success) throw new Error(`test/scenarios/${file}: ${z.prettifyError(parsed.error)}`);
    scenarios.push({ ...parsed.data, name: file.replace(/\.yaml$/, '') });
  }
  return scenarios;
}
