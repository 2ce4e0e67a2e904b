// Time to heal: for each public fault scenario (test/scenarios), from the breaking commit
// to the incident Healed, through detection, diagnosis, the PR, the merge and Flux's
// deploy, on a tier-3 sandbox with Flux polling Git every 10 s and a 10 s verification
// window. Each run gets a fresh namespace, repo and operator; runs go one at a time so
// they do not share the two cores. Phase times come from the incident's own timestamps.
//
// Usage: npm run bench -- heal-time [runs=3] [--only name,name]
import { parseArgs } from 'node:util';
import { Operator } from '../src/operator/operator.ts';
import { breakAndFollow, prepareJokeService, type LoopResult } from '../src/demo/heal-loop.ts';
import { loadScenarios } from '../test/scenarios/scenarios.ts';
import { withSandbox } from './bench-cluster.ts';
import { percentile, printTable } from './table.ts';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { only: { type: 'string' } } });
const runs = Number(positionals[0] ?? 3);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`runs must be a positive integer, got ${positionals[0]}`);
const only = values.only?.split(',');
const scenarios = (await loadScenarios()).filter((s) => !only || only.includes(s.name));
if (scenarios.length === 0) throw new Error(`no scenario named ${values.only}`);

const median = (xs: number[]) => percentile(xs, 50);
const seconds = (ms: number | undefined) => (ms === undefined || Number.isNaN(ms) ? '-' : (ms / 1000).toFixed(1));
const at = (result: LoopResult, phase: string) => result.timeline.find((s) => s.phase === phase)?.afterMs;

await withSandbox(3, async ({ state, client }) => {
  const gitea = { url: state.gitea?.url ?? '', user: state.gitea?.username ?? '', token: state.gitea?.token ?? '' };
  const rows: Array<Array<string | number>> = [];
  for (const scenario of scenarios) {
    const results: LoopResult[] = [];
    for (let run = 1; run <= runs; run++) {
      const namespace = `heal-${scenario.name}-${run}`.slice(0, 63);
      const setup = await prepareJokeService({ client, gitea, namespace, repoName: namespace, ...(scenario.watch ? { watch: scenario.watch } : {}) });
      const operator = new Operator({
        client, namespaces: [namespace], leaderElection: { enabled: false, namespace, name: 'unused' },
        health: { host: '127.0.0.1', port: 0 }, log: () => undefined, remediation: { pullRequestPollMs: 1000 },
        ...(state.prometheus ? { prometheus: { url: state.prometheus.url } } : {}),
      });
      await operator.start();
      const result = await breakAndFollow(setup, scenario.commit, { expectClass: scenario.expect.signalClass, timeoutMs: 300_000 });
      await operator.stop();
      await client.delete(`/api/v1/namespaces/${namespace}`).catch(() => undefined);
      console.error(`${scenario.name} run ${run}: ${result.outcome} in ${seconds(at(result, result.outcome))} s`);
      results.push(result);
    }
    const healed = results.filter((r) => r.outcome === 'Healed');
    const phase = (name: string) => seconds(healed.length ? median(healed.map((r) => at(r, name) ?? NaN)) : undefined);
    rows.push([
      scenario.name, `${healed.length}/${runs}`, phase('Detected'), phase('PullRequestOpen'), phase('Merged'), phase('Synced'), phase('Healed'),
      seconds(healed.length ? Math.max(...healed.map((r) => at(r, 'Healed') ?? 0)) : undefined),
    ]);
  }
  printTable(
    `Breaking commit -> healed, median of ${runs} runs per scenario, seconds after the commit (Flux interval 10 s, verification window 10 s; metric fixes: the rule's for + rate window + interval)`,
    ['scenario', 'healed', 'detected', 'PR open', 'merged', 'synced', 'healed (median)', 'healed (max)'],
    rows,
  );
});
