// The public fault scenarios end to end on the run's tier-3 sandbox, with the real Flux
// and Gitea: JokeService's repo seeded and applied by Flux, a breaking commit, and then
// GopherGuard alone: the incident, the diagnosis, one PR, merged (autoMerge), Flux deploys
// it, and the workload is verified healed. Each scenario has its own namespace, repo and
// operator, and all run at once; each test asserts on its own scenario's outcome.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Operator } from '../../src/operator/operator.ts';
import { breakAndFollow, prepareJokeService, type LoopResult } from '../../src/demo/heal-loop.ts';
import { appliedCommit, kustomizationStatus } from '../../src/demo/flux-app.ts';
import { headOf, readRepoFile } from '../../src/demo/gitea-repo.ts';
import { deleteNamespace, testCluster } from '../support/cluster.ts';
import { installCrds } from '../support/crds.ts';
import { pullsOf, testGitea } from '../support/gitea.ts';
import { testObservability } from '../support/observability.ts';
import { loadScenarios, type Scenario } from './scenarios.ts';

const cluster = testCluster();
const gitea = testGitea();
const observability = testObservability();
const scenarios = await loadScenarios();
const operators: Operator[] = [];
const namespaces: string[] = [];
const runs = new Map<string, Promise<{ result: LoopResult; repo: string; namespace: string; log: string[]; synced: string | undefined }>>();

async function run(scenario: Scenario) {
  const namespace = `scenario-${scenario.name}-${Math.random().toString(36).slice(2, 6)}`;
  namespaces.push(namespace);
  const setup = await prepareJokeService({ client: cluster.client, gitea, namespace, repoName: namespace, ...(scenario.watch ? { watch: scenario.watch } : {}) });
  const log: string[] = [];
  const operator = new Operator({
    client: cluster.client, namespaces: [namespace], leaderElection: { enabled: false, namespace, name: 'unused' },
    health: { host: '127.0.0.1', port: 0 },
    log: (level, message, fields) => void log.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`),
    remediation: { pullRequestPollMs: 1000 },
    // The sandbox's Prometheus, for scenarios whose watch has metric rules.
    prometheus: { url: observability.prometheusUrl },
  });
  operators.push(operator);
  await operator.start();
  let synced: string | undefined;
  const result = await breakAndFollow(setup, scenario.commit, {
    expectClass: scenario.expect.signalClass, timeoutMs: 240_000,
    onPhase: (phase, incident) => { if (phase === 'Synced') synced = incident.status?.message; },
  });
  return { result, repo: setup.repo.name, namespace, log, synced };
}

before(async () => {
  await installCrds(cluster.client);
  for (const scenario of scenarios) {
    const running = run(scenario);
    running.catch(() => undefined); // each test awaits (and reports) its own
    runs.set(scenario.name, running);
  }
});
after(async () => {
  for (const operator of operators) await operator.stop().catch(() => undefined);
  for (const namespace of namespaces) await deleteNamespace(cluster, namespace);
});

test('there are at least 8 public scenarios, covering every class the issue names', () => {
  assert.ok(scenarios.length >= 8, `${scenarios.length} scenarios`);
  const classes = new Set(scenarios.map((s) => s.expect.signalClass));
  for (const required of ['OOMKilled', 'ImagePull', 'ProbeFailure', 'Unschedulable', 'GitOpsSyncFailed', 'ErrorRate']) assert.ok(classes.has(required as never), required);
});

for (const scenario of scenarios) {
  test(`${scenario.name}: ${scenario.description}`, async () => {
    const { result, repo, namespace, log, synced } = await runs.get(scenario.name)!;
    const explain = () => `timeline ${JSON.stringify(result.timeline)}; incidents ${JSON.stringify(result.incidents.map((i) => [i.metadata.name, i.status?.phase, i.status?.message]))}\noperator log:\n${log.slice(-25).join('\n')}`;
    assert.equal(result.incident?.spec.signalClass, scenario.expect.signalClass, explain());
    assert.equal(result.incident?.status?.diagnosis?.action.type, scenario.expect.action, explain());
    assert.equal(result.outcome, 'Healed', explain());

    // One PR, merged, editing the file the scenario names; Flux runs the merge commit.
    const pulls = await pullsOf(gitea, repo);
    assert.equal(pulls.length, 1, `one PR: ${pulls.map((p) => p.title).join('; ')}`);
    assert.equal(pulls[0]?.merged, true);
    assert.equal(result.incident?.status?.proposal?.file, scenario.expect.fixes);
    const main = await readRepoFile(gitea, repo, scenario.expect.fixes);
    assert.ok(main.content.length > 0);
    const status = await kustomizationStatus(cluster.client, namespace, 'jokeservice');
    assert.equal(appliedCommit(status), await headOf(gitea, repo), 'Flux applied main, fix included');
    // Synced when Flux said it applied the fix, not merely when the workload looked fixed.
    assert.match(synced ?? '', /Kustomization (\S+\/)?jokeservice applied [0-9a-f]{7}/);
  });
}
