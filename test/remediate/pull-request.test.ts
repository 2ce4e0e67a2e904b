// Remediation against the run's real Gitea and API server: a crashing Deployment whose
// manifest lives in a Gitea repository gets exactly one PR whose diff is the intended
// line; an operator killed after each step and restarted still ends with one PR; an
// incident that resolves itself closes its PR with a comment.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import { CustomObjectsApi, type V1Deployment } from '@kubernetes/client-node';
import type { HealingIncident } from '../../src/api/healing-incident.ts';
import { Operator } from '../../src/operator/operator.ts';
import type { PullRequestStep } from '../../src/remediate/open-pull-request.ts';
import { createNamespace, deleteNamespace, eventsFor, testCluster, waitFor } from '../support/cluster.ts';
import { installCrds } from '../support/crds.ts';
import { createRepo, giteaApi, pullsOf, testGitea } from '../support/gitea.ts';
import { createWatch, listIncidents } from '../support/gopherguard.ts';
import { oomManifest } from '../support/manifests.ts';

const cluster = testCluster();
const gitea = testGitea();
let ns: string;
const operators: Operator[] = [];

const manifest = oomManifest;

before(async () => {
  await installCrds(cluster.client);
  ns = await createNamespace(cluster, 'remediate');
  await cluster.core.createNamespacedSecret({ namespace: ns, body: { metadata: { name: 'forge' }, stringData: { token: gitea.token } } });
});
after(async () => {
  for (const operator of operators) await operator.stop().catch(() => undefined);
  await deleteNamespace(cluster, ns);
});

/** A repo with the app's manifest, the same Deployment applied (as the GitOps engine would), and a watch on it. */
async function deployFromGit(name: string, resolveAfterSeconds = 600, mode = 'pullRequest', needs = '200Mi'): Promise<string> {
  const text = manifest(name, needs);
  const { name: repo, cloneUrl } = await createRepo(gitea, name, { [`apps/${name}/deployment.yaml`]: text });
  await cluster.apps.createNamespacedDeployment({ namespace: ns, body: parse(text) as V1Deployment });
  await createWatch(cluster.kubeConfig, ns, name, {
    targets: { workloads: [{ kind: 'Deployment', name }] },
    source: { git: { repo: cloneUrl, forge: 'gitea', branch: 'main', path: `apps/${name}`, secretRef: { name: 'forge' } } },
    detectors: { resolveAfterSeconds, verifySeconds: 5 },
    limits: { pullRequestsPerHour: 100 },
    mode,
  });
  return repo;
}

function startOperator(afterStep?: (step: PullRequestStep, incident: string) => void): Operator {
  const operator = new Operator({
    client: cluster.client, namespaces: [ns], leaderElection: { enabled: false, namespace: ns, name: 'unused' },
    health: { host: '127.0.0.1', port: 0 }, log: () => undefined,
    remediation: { afterStep, pullRequestPollMs: 1000 },
  });
  operators.push(operator);
  return operator;
}

const incidentOf = async (name: string): Promise<HealingIncident | undefined> =>
  (await listIncidents(cluster.kubeConfig, ns)).find((i) => i.spec.workload.name === name && i.spec.signalClass === 'OOMKilled');

async function prDiff(repo: string, number: number): Promise<string> {
  const response = await fetch(`${gitea.url}/api/v1/repos/${gitea.user}/${repo}/pulls/${number}.diff`, { headers: { Authorization: `token ${gitea.token}` } });
  return response.text();
}

test('an OOM-killed Deployment defined in Gitea gets one PR whose diff is exactly the memory line', async () => {
  const repo = await deployFromGit('jokes');
  const operator = startOperator();
  await operator.start();
  const incident = await waitFor('a PR on the incident', async () => {
    const i = await incidentOf('jokes');
    return i?.status?.phase === 'PullRequestOpen' ? i : undefined;
  }, 120_000);
  const pulls = await pullsOf(gitea, repo);
  assert.equal(pulls.length, 1);
  const [pull] = pulls;
  assert.equal(pull?.head.ref, `gopherguard/${incident.spec.fingerprint}`);
  assert.equal(incident.status?.pullRequest?.number, pull?.number);
  assert.match(pull?.body ?? '', /raiseResource/);
  const diff = await prDiff(repo, pull?.number ?? 0);
  const changed = diff.split('\n').filter((l) => /^[-+](?![-+])/.test(l));
  assert.deepEqual(changed, ['-              memory: 128Mi   # too small: see the incident', '+              memory: 256Mi   # too small: see the incident']);
  assert.match(incident.status?.proposal?.diff ?? '', /\+ {14}memory: 256Mi/);
  await operator.stop();
});

for (const crashAfter of ['commit', 'pull-request'] as const) {
  test(`an operator killed after the ${crashAfter} step and restarted still ends with exactly one PR`, async () => {
    const name = `crash-${crashAfter}`;
    const repo = await deployFromGit(name);
    let crashed = false;
    const first = startOperator((step, incident) => {
      if (step === crashAfter && incident.startsWith(name) && !crashed) {
        crashed = true;
        throw new Error(`simulated crash after ${step}`);
      }
    });
    await first.start();
    await waitFor(`the crash after ${crashAfter}`, async () => crashed, 120_000);
    await first.stop();
    const second = startOperator();
    await second.start();
    await waitFor('a PR on the incident', async () => (await incidentOf(name))?.status?.phase === 'PullRequestOpen', 120_000);
    // Give a duplicate every chance to appear.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await second.stop();
    const third = startOperator();
    await third.start();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const pulls = await pullsOf(gitea, repo);
    assert.equal(pulls.length, 1, `one PR after a crash after ${crashAfter} and two restarts`);
    const branches = await giteaApi<Array<{ name: string }>>(gitea, 'GET', `/repos/${gitea.user}/${repo}/branches`);
    assert.equal(branches.filter((b) => b.name.startsWith('gopherguard/')).length, 1);
    await third.stop();
  });
}

test('an incident that resolves itself closes its PR with a comment', async () => {
  const name = 'healer';
  const repo = await deployFromGit(name, 10);
  const operator = startOperator();
  await operator.start();
  const incident = await waitFor('a PR', async () => {
    const i = await incidentOf(name);
    return i?.status?.phase === 'PullRequestOpen' ? i : undefined;
  }, 120_000);
  // Someone fixes it by hand in the cluster: the failure stops and the incident resolves.
  const live = await cluster.apps.readNamespacedDeployment({ name, namespace: ns });
  const container = live.spec?.template.spec?.containers[0];
  if (container) container.resources = { limits: { memory: '256Mi' } };
  await cluster.apps.replaceNamespacedDeployment({ name, namespace: ns, body: live });
  await waitFor('the PR closed', async () => (await pullsOf(gitea, repo))[0]?.state === 'closed', 120_000);
  const number = incident.status?.pullRequest?.number ?? 0;
  const comments = await giteaApi<Array<{ body: string }>>(gitea, 'GET', `/repos/${gitea.user}/${repo}/issues/${number}/comments`);
  assert.match(comments.at(-1)?.body ?? '', /has not been seen for a while/);
  const resolved = await waitFor('the incident to record it', async () => {
    const i = await incidentOf(name);
    return i?.status?.pullRequest?.state === 'closed' ? i : undefined;
  }, 30_000);
  assert.equal(resolved.status?.phase, 'Resolved');
  await operator.stop();
});

test('suggest mode records the diff on the incident and opens no PR; autoMerge merges it', async () => {
  const suggested = await deployFromGit('suggested', 600, 'suggest');
  const merged = await deployFromGit('merged', 600, 'autoMerge');
  const operator = startOperator();
  await operator.start();
  const proposal = await waitFor('a proposal', async () => {
    const i = await incidentOf('suggested');
    return i?.status?.phase === 'Proposed' ? i.status.proposal : undefined;
  }, 120_000);
  assert.equal(proposal?.file, 'apps/suggested/deployment.yaml');
  const suggestedIncident = await incidentOf('suggested');
  await waitFor('a FixProposed event', async () => (await eventsFor(cluster, ns, suggestedIncident?.metadata.name ?? '')).some((e) => e.reason === 'FixProposed' && /mode suggest/.test(e.message ?? '')), 30_000);
  assert.match(proposal?.diff ?? '', /-\s+memory: 128Mi.*\n\+\s+memory: 256Mi/);
  await waitFor('the autoMerge incident merged', async () => (await incidentOf('merged'))?.status?.phase === 'Merged', 120_000);
  const [pull] = await pullsOf(gitea, merged);
  assert.equal(pull?.merged, true);
  const file = await giteaApi<{ content: string }>(gitea, 'GET', `/repos/${gitea.user}/${merged}/contents/apps/merged/deployment.yaml?ref=main`);
  assert.match(Buffer.from(file.content, 'base64').toString(), /memory: 256Mi {3}# too small/);
  assert.deepEqual(await pullsOf(gitea, suggested), [], 'suggest opens nothing');
  await operator.stop();
});

/** Deploys what main now says, as a GitOps engine (or a person with kubectl) would after the merge. */
async function deployMain(repo: string, name: string): Promise<void> {
  const file = await giteaApi<{ content: string }>(gitea, 'GET', `/repos/${gitea.user}/${repo}/contents/apps/${name}/deployment.yaml?ref=main`);
  const desired = parse(Buffer.from(file.content, 'base64').toString()) as V1Deployment;
  const live = await cluster.apps.readNamespacedDeployment({ name, namespace: ns });
  await cluster.apps.replaceNamespacedDeployment({ name, namespace: ns, body: { ...desired, metadata: { ...desired.metadata, resourceVersion: live.metadata?.resourceVersion } } });
}

test('after the merge: the fix goes live, the workload stays healthy, the incident is Healed; a fix that does not heal is Failed', async () => {
  const good = await deployFromGit('verified', 600, 'autoMerge');
  const bad = await deployFromGit('unlucky', 600, 'autoMerge', '300Mi'); // 256Mi is still too little
  const operator = startOperator();
  await operator.start();
  for (const [repo, name] of [[good, 'verified'], [bad, 'unlucky']] as const) {
    await waitFor(`${name} merged`, async () => (await incidentOf(name))?.status?.phase === 'Merged', 120_000);
    await deployMain(repo, name);
  }
  const healed = await waitFor('verified healed', async () => {
    const i = await incidentOf('verified');
    return i?.status?.phase === 'Healed' ? i : undefined;
  }, 120_000);
  assert.equal(healed.status?.verification?.result, 'Healed');
  assert.ok((healed.status?.verification?.timeToHealSeconds ?? 0) > 0);
  assert.ok(healed.status?.phaseTimestamps?.Synced, 'it went through Synced');
  const failed = await waitFor('unlucky failed', async () => {
    const i = await incidentOf('unlucky');
    return i?.status?.phase === 'Failed' ? i : undefined;
  }, 120_000);
  assert.equal(failed.status?.verification?.result, 'Failed');
  assert.match(failed.status?.message ?? '', /the fix did not heal it: OOMKilled again/);
  // A fix that did not heal does not stay in Git as if it had: its exact revert is proposed, not merged.
  const reverted = await waitFor('a revert PR', async () => {
    const i = await incidentOf('unlucky');
    return i?.status?.revert?.state === 'open' ? i : undefined;
  }, 60_000);
  const pulls = await pullsOf(gitea, bad);
  assert.deepEqual(pulls.map((p) => [p.number, p.state, p.merged]).sort(), [[1, 'closed', true], [2, 'open', false]]);
  assert.equal(reverted.status?.revert?.number, 2);
  assert.equal(reverted.status?.pullRequest?.mergeCommit?.length, 40);
  const revertDiff = (await prDiff(bad, 2)).split('\n').filter((l) => /^[-+](?![-+])/.test(l));
  assert.deepEqual(revertDiff, ['-              memory: 256Mi   # too small: see the incident', '+              memory: 128Mi   # too small: see the incident']);
  assert.match(pulls.find((p) => p.number === 2)?.body ?? '', /did not heal[\s\S]*This reverts [0-9a-f]{40}/);
  const metrics = await operator.metrics.registry.metrics();
  assert.match(metrics, /gopherguard_time_to_heal_seconds_count\{class="OOMKilled"\} 1/, 'one heal timed');
  assert.match(metrics, /gopherguard_time_to_pull_request_seconds_count\{class="OOMKilled"\} [1-9]/);
  assert.match(metrics, /gopherguard_forge_requests\{forge="gitea",outcome="success"\} [1-9]\d*/);
  await waitFor('a RevertProposed event', async () => (await eventsFor(cluster, ns, reverted.metadata.name ?? '')).some((e) => e.reason === 'RevertProposed' && e.type === 'Warning'), 30_000);
  await waitFor('the watch scores', async () => {
    const list = await cluster.kubeConfig.makeApiClient(CustomObjectsApi).getNamespacedCustomObject({ group: 'gopherguard.dev', version: 'v1alpha1', namespace: ns, plural: 'aegiswatches', name: 'verified' }) as { status?: { healingScore?: number } };
    return list.status?.healingScore === 100;
  }, 30_000);
  await operator.stop();
});

/**
 * A watch over these Git files and this live Deployment, and an operator: the incident once
 * its fix is refused, after checking that no PR was opened.
 */
async function refusedFix(name: string, files: Record<string, string>, live: V1Deployment): Promise<HealingIncident> {
  const { name: repo, cloneUrl } = await createRepo(gitea, name, files);
  await cluster.apps.createNamespacedDeployment({ namespace: ns, body: live });
  await createWatch(cluster.kubeConfig, ns, name, {
    targets: { workloads: [{ kind: 'Deployment', name }] },
    source: { git: { repo: cloneUrl, forge: 'gitea', branch: 'main', path: `apps/${name}`, secretRef: { name: 'forge' } } },
    limits: { pullRequestsPerHour: 100 },
  });
  const operator = startOperator();
  await operator.start();
  try {
    const incident = await waitFor('the refusal on the incident', async () => {
      const i = await incidentOf(name);
      return i?.status?.proposal?.rejectedReason ? i : undefined;
    }, 120_000);
    assert.equal(incident.status?.pullRequest, undefined);
    assert.deepEqual(await pullsOf(gitea, repo), [], 'no PR');
    return incident;
  } finally {
    await operator.stop();
  }
}

test('a fix whose field cannot be located in Git is refused: the reason is on the incident, and no PR is opened', async () => {
  const name = 'elsewhere';
  // The watch's path holds another app only: the Deployment's manifest is not where it says.
  const incident = await refusedFix(name, { 'apps/other/deployment.yaml': manifest('other', '64Mi'), [`apps/${name}/README.md`]: 'manifests moved\n' }, parse(manifest(name, '200Mi')) as V1Deployment);
  assert.match(incident.status?.proposal?.rejectedReason ?? '', /could not be located with certainty/);
});

test('a limit that drifted from Git is bounded by Git: doubling the live 512Mi would be 8x the 128Mi Git declares, so no PR', async () => {
  const name = 'drifted';
  const text = manifest(name, '600Mi');
  // Someone raised the limit by hand in the cluster; Git still says 128Mi.
  const live = parse(text) as V1Deployment;
  const container = live.spec?.template.spec?.containers[0];
  if (container) container.resources = { limits: { memory: '512Mi' } };
  const incident = await refusedFix(name, { [`apps/${name}/deployment.yaml`]: text }, live);
  assert.deepEqual(incident.status?.diagnosis?.action, { type: 'raiseResource', params: { container: 'app', resource: 'memory', field: 'limits', value: '1024Mi' } }, 'the rules double the live limit');
  assert.match(incident.status?.proposal?.rejectedReason ?? '', /the guard refused the change \(policy\): raises the memory limit of container app to 1024Mi, more than 2x its value in Git \(128Mi\)/);
});
