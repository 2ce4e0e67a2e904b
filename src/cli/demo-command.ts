import { parseArgs } from 'node:util';
import type { HealingIncident, IncidentPhase } from '../api/healing-incident.ts';
import { installCrds } from '../api/install-crds.ts';
import { breakAndFollow, prepareJokeService, type BreakingChange, type TimelineStep } from '../demo/heal-loop.ts';
import { llmDefaultsFromEnv } from '../diagnose/llm/index.ts';
import { Operator } from '../operator/operator.ts';
import { startSandbox, stopSandbox } from '../sandbox/cluster/sandbox.ts';
import { defaultSandboxDir } from '../sandbox/paths.ts';
import { connect } from './kubeconfig.ts';
import { usageLines } from './sandbox-command.ts';
import { UsageError } from './usage-error.ts';

export const DEMO_USAGE = `Usage: gopherguard demo [--fault oom|error-rate] [--once]

The whole loop on a local tier-3 sandbox: JokeService deployed by Flux from the sandbox's
Gitea, a commit that breaks it, and GopherGuard healing it through a pull request.
  --fault oom         cut the memory limit below what the app needs (default)
  --fault error-rate  release a tag that answers 30 % of requests with 500 (seen in Prometheus)
  --once              exit when the incident ends: 0 if healed`;

const NAMESPACE = 'jokes';

interface Fault {
  change: BreakingChange;
  /** What the commit does, for the narration. */
  what: string;
  expectClass: string;
  /** More of the watch's spec (metric rules with sandbox-short windows). */
  watch?: Record<string, unknown>;
}

/** The commits that break JokeService (`--fault`). */
export const FAULTS: Record<string, Fault> = {
  // Its working set is 96Mi.
  oom: {
    change: { message: 'Trim jokeservice memory to save costs', edits: [{ file: 'deploy/base/deployment.yaml', find: 'memory: 128Mi', replace: 'memory: 80Mi' }] },
    what: 'memory limit 128Mi -> 80Mi; the app needs 96Mi',
    expectClass: 'OOMKilled',
  },
  // 1.5.0 starts and passes its probes, but answers 30 % of requests with 500: only Prometheus sees it.
  'error-rate': {
    change: { message: 'Release jokeservice 1.5.0', edits: [{ file: 'deploy/base/deployment.yaml', find: 'jokeservice:1.0.0', replace: 'jokeservice:1.5.0' }] },
    what: 'image 1.0.0 -> 1.5.0, a release that answers 30 % of requests with HTTP 500',
    expectClass: 'ErrorRate',
    watch: { metrics: { intervalSeconds: 5, rateWindowSeconds: 10, builtIn: { errorRate: { forSeconds: 10 } } } },
  },
};

const LABELS: Partial<Record<IncidentPhase, string>> = {
  Detected: 'incident detected',
  Diagnosed: 'diagnosed',
  Proposed: 'fix checked by the guard',
  PullRequestOpen: 'pull request open',
  Merged: 'merged (demo auto-merge)',
  Synced: 'Flux deployed the fix',
  Healed: 'healed',
  Failed: 'the fix did not heal it',
};

/**
 * `npm run demo`: the whole loop on a tier-3 sandbox. JokeService's GitOps repo is seeded
 * in the sandbox's Gitea and applied by Flux; GopherGuard guards it (rules, or a model
 * when GOPHERGUARD_LLM_* is set); a commit breaks it, and GopherGuard detects, diagnoses,
 * opens a PR, merges it (autoMerge, for the demo), Flux deploys it, and the workload is
 * verified healed. `--once` exits 0 only when it healed; otherwise Ctrl-C cleans up.
 */
export async function runDemo(args: string[] = [], env: Record<string, string | undefined> = process.env): Promise<number> {
  const { values } = parseArgs({ args, options: { once: { type: 'boolean', default: false }, fault: { type: 'string', default: 'oom' } } });
  const fault = FAULTS[values.fault];
  if (!fault) throw new UsageError(`--fault must be one of ${Object.keys(FAULTS).join(', ')}, not ${values.fault}`, DEMO_USAGE);
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s`;
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const llmDefaults = llmDefaultsFromEnv(env);
  const dir = defaultSandboxDir('demo');
  await stopSandbox(dir); // a demo killed earlier may have left processes behind
  let stopping = false;
  const running: { operator?: Operator } = {};
  const cleanUp = async () => {
    if (stopping) return;
    stopping = true;
    await running.operator?.stop().catch(() => undefined);
    await stopSandbox(dir);
  };
  const onSignal = () => void cleanUp().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  say(`${elapsed()}  starting the sandbox: Kubernetes, KWOK, Gitea and Flux (the first run builds them from source: about 40 min)`);
  const state = await startSandbox({ dir, tier: 3, report: (line) => process.stderr.write(`[sandbox] ${line}\n`) });
  if (!state.gitea) throw new Error('the tier-3 sandbox has no Gitea');
  say(`${elapsed()}  sandbox ready: ${state.server}, Gitea at ${state.gitea.url}`);
  const client = connect(state.kubeconfig);
  await installCrds(client);
  const gitea = { url: state.gitea.url, user: state.gitea.username, token: state.gitea.token };
  const setup = await prepareJokeService({
    client, gitea, namespace: NAMESPACE, repoName: 'jokeservice',
    ...(llmDefaults ? { diagnoser: { engine: 'llm' } } : {}),
    ...(fault.watch ? { watch: fault.watch } : {}),
    progress: (line) => say(`${elapsed()}  ${line}`),
  });

  const operator = new Operator({
    client, namespaces: [NAMESPACE], leaderElection: { enabled: false, namespace: NAMESPACE, name: 'gopherguard-demo' },
    health: { host: '127.0.0.1', port: 0 }, dashboard: { host: '127.0.0.1', port: Number(env.GOPHERGUARD_DEMO_DASHBOARD_PORT ?? 0) },
    llm: { defaults: llmDefaults },
    remediation: { pullRequestPollMs: 1000 },
    ...(state.prometheus ? { prometheus: { url: state.prometheus.url } } : {}),
    log: (level, message, fields) => { if (level === 'error') process.stderr.write(`[operator] ${message} ${JSON.stringify(fields ?? {})}\n`); },
  });
  running.operator = operator;
  await operator.start();
  say(`${elapsed()}  GopherGuard guards ${NAMESPACE}/jokeservice with ${llmDefaults ? `the model ${llmDefaults.settings.model ?? ''} (${llmDefaults.settings.provider})` : 'its rules'}, mode autoMerge`);
  say(`Dashboard: ${operator.dashboardUrl ?? '(not started)'}`);
  if (state.prometheus) say(`Prometheus: ${state.prometheus.url}`);

  say(`${elapsed()}  a commit breaks it: "${fault.change.message}" (${fault.what})`);
  const result = await breakAndFollow(setup, fault.change, {
    expectClass: fault.expectClass,
    timeoutMs: 300_000,
    onPhase: (phase, incident, afterMs) => say(`${elapsed()}  ${`+${(afterMs / 1000).toFixed(1)}s`.padStart(7)}  ${LABELS[phase] ?? phase}${detail(phase, incident)}`),
  });

  say('');
  if (result.outcome === 'Healed') {
    say(`Healed ${((result.timeline.at(-1)?.afterMs ?? 0) / 1000).toFixed(1)} s after the breaking commit:`);
    for (const line of timeline(result.timeline)) say(`  ${line}`);
  } else {
    say(`Not healed (${result.outcome}): ${result.incident?.status?.message ?? 'no incident was recorded'}; logs are in ${dir}/logs`);
  }

  if (!values.once) {
    say('');
    for (const line of usageLines(state)) say(`  ${line}`);
    say(`  kubectl get healingincidents -n ${NAMESPACE} -o yaml`);
    say(`  the repo: ${setup.repo.webUrl}`);
    say('\nPress Ctrl-C to stop.');
    await new Promise<void>((resolve) => { process.once('SIGINT', resolve); process.once('SIGTERM', resolve); });
  }
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  await cleanUp();
  return result.outcome === 'Healed' ? 0 : 1;
}

function detail(phase: IncidentPhase, incident: HealingIncident): string {
  const status = incident.status;
  if (phase === 'Detected') return `: ${incident.spec.signalClass} of ${incident.spec.workload.kind} ${incident.spec.workload.name}`;
  if (phase === 'Diagnosed' && status?.diagnosis) {
    const d = status.diagnosis;
    const params = Object.entries(d.action.params ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`).join(' ');
    return `: ${d.rootCause}\n           remedy action: ${d.action.type} ${params} (${d.engine}, confidence ${d.confidence})${d.witty ? `\n           "${d.witty}"` : ''}`;
  }
  if (phase === 'Proposed' && status?.proposal?.diff) {
    const changed = status.proposal.diff.split('\n').filter((l) => /^[-+](?![-+])/.test(l));
    return `: ${status.proposal.file}\n${changed.map((l) => `           ${l}`).join('\n')}`;
  }
  if (phase === 'PullRequestOpen' && status?.pullRequest) return `: ${status.pullRequest.url}`;
  if ((phase === 'Healed' || phase === 'Failed') && status?.message) return `: ${status.message.replace(/^healed: /, '')}`;
  return '';
}

/** Each phase with the time since the one before: where the minute goes. */
function timeline(steps: TimelineStep[]): string[] {
  const lines = [`${'breaking commit'.padEnd(28)} +${'0.0'.padStart(5)}s`];
  let previous = 0;
  for (const step of steps) {
    lines.push(`${(LABELS[step.phase] ?? step.phase).padEnd(28)} +${(step.afterMs / 1000).toFixed(1).padStart(5)}s  (${((step.afterMs - previous) / 1000).toFixed(1)}s)`);
    previous = step.afterMs;
  }
  return lines;
}
