// The whole loop on a sandbox, for `npm run demo`, the public fault scenarios and the
// heal-time benchmark: JokeService's GitOps repo seeded in Gitea and applied by Flux, a
// watch on it, then a breaking commit and the incident followed to its end. Times come
// from the incident's own phase timestamps, measured from the moment of the commit.
import type { V1Deployment } from '@kubernetes/client-node';
import type { HealingIncident, IncidentPhase } from '../api/healing-incident.ts';
import type { KubeApiError, KubeClient, ListResult } from '../k8s/kube-client.ts';
import { rolledOut } from '../k8s/rollout.ts';
import { repoPath } from '../sandbox/paths.ts';
import { appliedCommit, deployWithFlux, kustomizationStatus } from './flux-app.ts';
import { commitEdits, createRepository, filesOf, headOf, type GiteaAccess, type Repository, type TextEdit } from './gitea-repo.ts';

export const APP = 'jokeservice';
/** The folder of the repo Flux applies: the sandbox overlay of examples/jokeservice/deploy. */
export const OVERLAY = './deploy/overlays/sandbox';

export interface JokeServiceSetup {
  client: KubeClient;
  gitea: GiteaAccess;
  namespace: string;
  repo: Repository;
}

export interface PrepareOptions {
  client: KubeClient;
  gitea: GiteaAccess;
  namespace: string;
  repoName: string;
  /** Flux's poll interval (the benchmark's goal assumes 10 s). */
  fluxIntervalSeconds?: number;
  /** How long a fix must stay healthy before the incident is Healed. */
  verifySeconds?: number;
  mode?: 'autoMerge' | 'pullRequest' | 'suggest' | 'observe';
  /** LLM settings for the watch's diagnoser; the rules engine when absent. */
  diagnoser?: Record<string, unknown>;
  /** More of the AegisWatch's spec (metrics, detectors), merged over the defaults here. */
  watch?: Record<string, unknown>;
  progress?: (line: string) => void;
  timeoutMs?: number;
}

/**
 * Seeds the repo, hands it to Flux, waits for a healthy JokeService, and creates the
 * AegisWatch (source: the Flux Kustomization; PRs through the Gitea token in Secret
 * `forge`). The operator is the caller's to run.
 */
export async function prepareJokeService(options: PrepareOptions): Promise<JokeServiceSetup> {
  const { client, gitea, namespace } = options;
  const progress = options.progress ?? (() => undefined);
  const deadline = Date.now() + (options.timeoutMs ?? 180_000);
  await client.create('/api/v1/namespaces', { metadata: { name: namespace } }).catch((error: KubeApiError) => {
    if (error.code !== 409) throw error;
  });
  const repo = await createRepository(gitea, options.repoName, await filesOf(repoPath('examples', APP, 'deploy'), 'deploy'));
  progress(`seeded ${repo.webUrl}`);
  await client.create(`/api/v1/namespaces/${namespace}/secrets`, { metadata: { name: 'forge' }, stringData: { token: gitea.token } });
  await deployWithFlux(client, {
    namespace, name: APP, repoUrl: repo.cloneUrl, path: OVERLAY, username: gitea.user, password: gitea.token,
    intervalSeconds: options.fluxIntervalSeconds ?? 10,
  });
  const head = await headOf(gitea, repo.name);
  await until(deadline, `Flux to apply ${head.slice(0, 7)}`, async () => appliedCommit(await kustomizationStatus(client, namespace, APP)) === head);
  progress(`Flux applied ${OVERLAY} at ${head.slice(0, 7)}`);
  await until(deadline, `${APP} to be available`, async () => rolledOut(await client.get<V1Deployment>(`/apis/apps/v1/namespaces/${namespace}/deployments/${APP}`)));
  progress(`${APP} is up`);
  await client.create(`/apis/gopherguard.dev/v1alpha1/namespaces/${namespace}/aegiswatches`, {
    apiVersion: 'gopherguard.dev/v1alpha1', kind: 'AegisWatch', metadata: { name: APP },
    spec: {
      targets: { workloads: [{ kind: 'Deployment', name: APP }] },
      source: { flux: { kustomization: APP } },
      forge: { type: 'gitea', secretRef: { name: 'forge' } },
      detectors: { verifySeconds: options.verifySeconds ?? 10, resolveAfterSeconds: 600 },
      ...(options.diagnoser ? { diagnoser: options.diagnoser } : {}),
      mode: options.mode ?? 'autoMerge',
      limits: { pullRequestsPerHour: 100, cooldownSeconds: 0 },
      ...options.watch,
    },
  });
  return { client, gitea, namespace, repo };
}

export interface BreakingChange {
  message: string;
  edits: TextEdit[];
}

export interface TimelineStep {
  phase: IncidentPhase;
  /** Milliseconds after the breaking commit. */
  afterMs: number;
}

export interface LoopResult {
  commit: string;
  /** The incident the loop followed (of `expectClass` when given, else the first). */
  incident: HealingIncident | undefined;
  /** Every incident the watch has at the end. */
  incidents: HealingIncident[];
  timeline: TimelineStep[];
  /** The phase the incident ended in (Resolved: it went away by itself), or TimedOut. */
  outcome: 'Healed' | 'Failed' | 'Resolved' | 'Suppressed' | 'TimedOut';
}

export interface BreakOptions {
  expectClass?: string;
  timeoutMs?: number;
  /** Called once per phase the followed incident reaches, in order. */
  onPhase?: (phase: IncidentPhase, incident: HealingIncident, afterMs: number) => void;
}

const ENDS: ReadonlySet<IncidentPhase> = new Set(['Healed', 'Failed', 'Resolved', 'Suppressed']);

/** Pushes the breaking commit, then follows the incident it causes until it ends. */
export async function breakAndFollow(setup: JokeServiceSetup, change: BreakingChange, options: BreakOptions = {}): Promise<LoopResult> {
  const committedAt = Date.now();
  const commit = await commitEdits(setup.gitea, setup.repo.name, change.message, change.edits);
  const deadline = committedAt + (options.timeoutMs ?? 180_000);
  const reported = new Set<IncidentPhase>();
  let incidents: HealingIncident[];
  let followed: HealingIncident | undefined;
  for (;;) {
    incidents = (await setup.client.get<ListResult<HealingIncident>>(`/apis/gopherguard.dev/v1alpha1/namespaces/${setup.namespace}/healingincidents`)).items;
    followed = incidents.find((i) => !options.expectClass || i.spec.signalClass === options.expectClass) ?? followed;
    const stamps = followed?.status?.phaseTimestamps ?? {};
    const reached = Object.entries(stamps)
      .map(([phase, at]) => ({ phase: phase as IncidentPhase, afterMs: Date.parse(at ?? '') - committedAt }))
      .sort((a, b) => a.afterMs - b.afterMs);
    for (const step of reached) {
      if (followed && !reported.has(step.phase)) {
        reported.add(step.phase);
        options.onPhase?.(step.phase, followed, step.afterMs);
      }
    }
    const phase = followed?.status?.phase;
    if (phase && ENDS.has(phase)) {
      return { commit, incident: followed, incidents, timeline: reached, outcome: phase as LoopResult['outcome'] };
    }
    if (Date.now() > deadline) return { commit, incident: followed, incidents, timeline: reached, outcome: 'TimedOut' };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function until(deadline: number, what: string, check: () => Promise<boolean>): Promise<void> {
  let lastError: unknown;
  for (;;) {
    try {
      if (await check()) return;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${lastError ? ` (${String(lastError)})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

