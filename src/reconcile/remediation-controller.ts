import type { KubernetesObject } from '@kubernetes/client-node';
import type { AegisWatchSpec } from '../api/aegis-watch.ts';
import { parseAegisWatch } from '../api/crd.ts';
import type { HealingIncident, IncidentPhase, PullRequest as PullRequestStatus, Revert } from '../api/healing-incident.ts';
import { ControllerLoop, WorkQueue, type ReconcileResult, type WorkerHooks } from '../controller/index.ts';
import type { RemedyAction } from '../diagnose/remedy-action.ts';
import { forgeForRepo, githubAppToken, openRepoTree, parseRepoUrl, type Forge, type ForgeKind, type RepoRef } from '../forge/index.ts';
import { IncidentStore } from '../incident/incident-store.ts';
import { EventRecorder } from '../k8s/event-recorder.ts';
import { readSecret } from '../k8s/secrets.ts';
import type { KubeApiError, KubeClient, ListResult } from '../k8s/kube-client.ts';
import { proposeEdit } from '../remediate/edit/index.ts';
import { recursiveTree } from '../remediate/forge-tree.ts';
import type { ReplacedValue } from '../remediate/edit/replaced-values.ts';
import { applyAction, guardChange, DEFAULT_GUARD_LIMITS, type Workload as GuardWorkload } from '../remediate/guard/index.ts';
import { pullRequestAllowance } from '../remediate/limits.ts';
import { openPullRequest, type PullRequestStep } from '../remediate/open-pull-request.ts';
import { pullRequestBody, pullRequestTitle } from '../remediate/pull-request-body.ts';
import { baseBranch } from '../remediate/source/base-branch.ts';
import { locateSource, SourceError, type ArgoApplicationObject, type FluxGitRepositoryObject, type FluxKustomizationObject, type GitSource } from '../remediate/source/index.ts';
import { MAX_REVERT_FILES, planRevert } from '../remediate/revert/plan-revert.ts';
import { actionFromDiagnosis } from '../remediate/stored-action.ts';
import { commitOf } from '../diagnose/gitops-analyzer.ts';
import type { ClusterCache } from './cluster-cache.ts';
import type { WorkloadKey } from './owners.ts';
import { workloadObject, replicaSetsOf } from './workload-view.ts';

export interface RemediationControllerOptions {
  client: KubeClient;
  cache: ClusterCache;
  redact: (text: string) => { text: string; count: number };
  hooks?: WorkerHooks;
  /** How often an open PR is looked at (merged? closed by a person?). */
  pullRequestPollMs?: number;
  /** Tests: another forge client (a fake of GitHub's API), or a crash after a step. */
  forgeFor?: (repoURL: string, options: { kind?: ForgeKind; token: string; apiBaseUrl?: string }) => { forge: Forge; repo: RepoRef };
  afterStep?: (step: PullRequestStep, incident: string) => void;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

/** Why nothing reaches Git for this incident, recorded on it, never retried by itself. */
class Refusal extends Error {}

/**
 * From a diagnosis to Git: finds the workload's source, makes the minimal edit, passes it
 * through the guard (policy and a server-side dry-run), records the proposal (Proposed),
 * and, in pullRequest or autoMerge mode, opens exactly one PR per incident (PullRequestOpen),
 * then follows it: merged → Merged, closed by a person → Suppressed; an incident that
 * resolved itself closes its PR with a comment. Keys are incidents ("ns/name").
 */
export class RemediationController {
  readonly queue = new WorkQueue();
  private readonly loop = new ControllerLoop(this.queue);
  private readonly options: RemediationControllerOptions;
  private readonly store: IncidentStore;
  private readonly events: EventRecorder;

  constructor(options: RemediationControllerOptions) {
    this.options = options;
    this.store = new IncidentStore(options.client);
    this.events = new EventRecorder(options.client);
    const enqueue = (incident: HealingIncident, old?: HealingIncident) => {
      if (old && old.status?.phase === incident.status?.phase && old.status?.pullRequest?.state === incident.status?.pullRequest?.state) return;
      if (wantsWork(incident)) this.queue.add(`${incident.metadata.namespace}/${incident.metadata.name}`);
    };
    this.loop.subscribe(options.cache.incidents.on('add', enqueue), options.cache.incidents.on('update', enqueue));
  }

  start(): void {
    for (const incident of this.options.cache.incidents.list()) {
      if (wantsWork(incident)) this.queue.add(`${incident.metadata.namespace}/${incident.metadata.name}`);
    }
    this.loop.run(1, (key) => this.reconcile(key), {
      ...this.options.hooks,
      onError: (key, error) => this.options.log?.('remediation failed', { key, error: String(error) }),
    });
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const [namespace = '', name = ''] = key.split('/');
    const incident = this.options.cache.incidents.get(namespace, name);
    if (!incident?.status || !wantsWork(incident)) return;
    const watchObject = this.options.cache.watches.get(namespace, incident.spec.watch);
    const parsed = watchObject ? parseAegisWatch(watchObject) : undefined;
    if (!parsed?.ok) return; // the watch's own status says what is wrong with it
    const spec = parsed.value.spec;
    const phase = incident.status.phase;
    if (phase === 'Resolved') return this.closeResolved(incident, spec);
    if (phase === 'PullRequestOpen') return this.follow(incident, spec);
    if (phase === 'Failed') return this.revertFailedFix(incident, spec);
    try {
      return await this.propose(incident, spec);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      await this.record(incident, { rejectedReason: error.message }, undefined, error.message);
      this.options.log?.('no fix proposed', { incident: name, reason: error.message });
    }
  }

  private async propose(incident: HealingIncident, spec: AegisWatchSpec): Promise<ReconcileResult | void> {
    if (spec.mode === 'observe') return;
    const stored = incident.status?.diagnosis;
    if (!stored) return;
    const parsedAction = actionFromDiagnosis(stored);
    if (!parsedAction.ok) throw new Refusal(parsedAction.reason);
    const action = parsedAction.action;
    if (action.type === 'none') return; // explained; nothing to change in Git
    if (action.type === 'revertCommit') return this.proposeRevert(incident, spec, action);
    const ref = incident.spec.workload as WorkloadKey;
    const live = workloadObject(this.options.cache, ref) as (KubernetesObject & GuardWorkload) | undefined;
    if (!live?.metadata?.name) throw new Refusal(`${ref.kind} ${ref.namespace}/${ref.name} is gone`);
    // Objects from a list carry no kind or apiVersion; the guard and the dry-run need both.
    const workload = { ...live, apiVersion: 'apps/v1', kind: ref.kind, metadata: { ...live.metadata, name: live.metadata.name } };

    const located = await this.source(workload, spec);
    const { forge, repo } = await this.forge(located, spec, incident.metadata.namespace ?? '');
    const source = { ...located, ref: await this.base(forge, repo, located) };
    const tree = recursiveTree(await openRepoTree(forge, repo, source.ref));
    const proposal = await proposeEdit({ tree, source, workload, action });
    if (!proposal.ok) throw new Refusal(`${proposal.kind === 'not-located' ? 'the field to change could not be located with certainty' : 'no edit'}: ${proposal.reason}`);

    // The guard judges the object the edit is meant to produce, against the live one.
    const revisions = replicaSetsOf(this.options.cache, ref).map((rs) => rs.spec?.template).filter((t) => t !== undefined);
    const history = { revisions };
    let after: GuardWorkload;
    try {
      after = applyAction(workload, action, { history });
    } catch (error) {
      throw new Refusal(`the action does not apply to ${ref.kind} ${ref.name}: ${(error as Error).message}`);
    }
    // A raised value is bounded by what Git declared where the edit writes it; the live
    // object (what the engine applied) stands in where Git declared nothing there yet.
    const baseline = gitBaseline(workload, action, proposal.replaced);
    const verdict = await guardChange(this.options.client, { action, before: workload, after, history, limits: DEFAULT_GUARD_LIMITS, ...(baseline ? { baseline } : {}) });
    if (!verdict.ok) {
      if (verdict.retryable) return { requeueAfterMs: 30_000 };
      throw new Refusal(`the guard refused the change (${verdict.stage}): ${verdict.reasons.join('; ')}`);
    }
    return this.submit(incident, spec, action, { source, forge, repo }, proposal.edits, proposal.summary);
  }

  /**
   * A commit the GitOps engine cannot apply, reverted through the forge. Only the commit
   * right after the last revision the engine applied: with several commits in between,
   * which one broke it is a person's call. The revert itself is refused unless it is
   * exactly `git revert` of manifests on the branch as it is (plan-revert.ts).
   */
  private async proposeRevert(incident: HealingIncident, spec: AegisWatchSpec, action: Extract<RemedyAction, { type: 'revertCommit' }>): Promise<ReconcileResult | void> {
    const { kind, namespace, name } = incident.spec.workload;
    const located = await this.source({ kind, metadata: { name, namespace } }, spec);
    const { forge, repo } = await this.forge(located, spec, incident.metadata.namespace ?? '');
    const source = { ...located, ref: await this.base(forge, repo, located) };
    const plan = await planRevert(forge, repo, action.commit, source.ref);
    if (!plan.ok) throw new Refusal(`no revert: ${plan.reason}`);
    const applied = commitOf(incident.status?.evidence?.appliedRevision);
    if (applied && !plan.parent.startsWith(applied)) {
      throw new Refusal(`no revert: commit ${plan.commit.slice(0, 7)} does not directly follow ${applied.slice(0, 7)}, the last revision applied; which of the commits in between broke it is a person's call`);
    }
    return this.submit(incident, spec, action, { source, forge, repo }, plan.edits, plan.summary);
  }

  /** A checked change on its way to Git: recorded, announced (suggest), or a PR (within the limits). */
  private async submit(
    incident: HealingIncident, spec: AegisWatchSpec, action: RemedyAction,
    { source, forge, repo }: { source: GitSource; forge: Forge; repo: RepoRef },
    edits: Array<{ path: string; after: string; diff: string }>, summary: string,
  ): Promise<ReconcileResult | void> {
    const edit = edits[0];
    const files = edits.map((e) => ({ path: e.path, content: e.after }));
    const diff = edits.map((e) => e.diff).join('\n');
    const proposed = `fix proposed in ${edits.map((e) => e.path).join(', ')}: ${summary}`;
    await this.record(incident, { file: edit?.path, diff: diff.slice(0, 16384) }, 'Proposed', proposed);
    if (spec.mode === 'suggest') {
      // The suggestion is announced where kubectl shows it (chat notifications build on these).
      if (incident.status?.phase !== 'Proposed') await this.event(incident, 'FixProposed', `${proposed} (mode suggest: no pull request; the diff is in status.proposal)`);
      return;
    }

    const allowance = pullRequestAllowance(incident, this.options.cache.incidents.list(), source.repoURL, spec.limits);
    if (!allowance.ok) {
      await this.record(incident, undefined, undefined, `pull request waiting: ${allowance.reason}`);
      return { requeueAfterMs: allowance.retryAfterMs };
    }
    const redact = (text: string) => this.options.redact(text).text;
    const outcome = await openPullRequest({
      forge, repo, fingerprint: incident.spec.fingerprint, base: source.ref, files,
      title: pullRequestTitle(incident, action),
      body: pullRequestBody({ incident, action, file: edit?.path ?? '', diff, bounds: boundsOf(action), redact, personality: spec.personality }),
      message: `${pullRequestTitle(incident, action)}\n\nHealingIncident ${incident.metadata.namespace}/${incident.metadata.name}: ${redact(incident.status?.diagnosis?.rootCause ?? '')}`,
      afterStep: (step) => this.options.afterStep?.(step, incident.metadata.name ?? ''),
    });
    const pullRequest: PullRequestStatus & { repo: string } = {
      url: outcome.pullRequest.url, number: outcome.pullRequest.number, branch: outcome.pullRequest.branch,
      state: outcome.kind === 'merged' ? 'merged' : outcome.kind === 'rejected' ? 'closed' : 'open', repo: source.repoURL,
      ...mergeCommitOf(outcome.pullRequest),
    };
    if (outcome.kind === 'rejected') {
      await this.record(incident, undefined, 'Suppressed', `pull request #${pullRequest.number} was closed without merging: this fix will not be proposed again`, pullRequest);
      return;
    }
    await this.record(incident, undefined, outcome.kind === 'merged' ? 'Merged' : 'PullRequestOpen', `pull request #${pullRequest.number} ${outcome.kind === 'merged' ? 'is merged' : 'is open'}: ${pullRequest.url}`, pullRequest);
    if (outcome.kind === 'open' && outcome.created) {
      await this.event(incident, 'PullRequestOpened', `pull request #${pullRequest.number}: ${pullRequest.url}`);
    }
    if (outcome.kind === 'open' && spec.mode === 'autoMerge') return { requeueAfterMs: 1000 };
  }

  /** An open PR: merged (or mergeable, in autoMerge mode) → Merged; closed by a person → Suppressed. */
  private async follow(incident: HealingIncident, spec: AegisWatchSpec): Promise<ReconcileResult | void> {
    const recorded = incident.status?.pullRequest as (PullRequestStatus & { repo?: string }) | undefined;
    if (!recorded?.repo) return;
    const { forge, repo } = await this.forge({ repoURL: recorded.repo } as GitSource, spec, incident.metadata.namespace ?? '');
    let current = await forge.findPullRequest(repo, { branch: recorded.branch, state: 'all' });
    if (current?.state === 'open' && spec.mode === 'autoMerge' && (await forge.isMergeable(repo, current.number)).state === 'mergeable') {
      const merged = await forge.mergePullRequest(repo, current.number, 'squash');
      current = { ...current, state: 'merged', ...(merged.sha ? { mergeCommitSha: merged.sha } : {}) };
    }
    if (current?.state === 'merged') {
      await this.record(incident, undefined, 'Merged', `pull request #${current.number} is merged`, { ...recorded, state: 'merged', ...mergeCommitOf(current) });
      return;
    }
    if (current?.state === 'closed') {
      await this.record(incident, undefined, 'Suppressed', `pull request #${current.number} was closed without merging: this fix will not be proposed again`, { ...recorded, state: 'closed' });
      return;
    }
    return { requeueAfterMs: this.options.pullRequestPollMs ?? 60_000 };
  }

  /**
   * A merged fix that did not heal (Failed) should not stay in Git as if it had: propose
   * its exact revert as a PR, which a person merges (never automatically: the workload is
   * failing either way). Refused, with the reason on the incident, when the revert would
   * not be exact (the file changed since) or the merge commit is unknown.
   */
  private async revertFailedFix(incident: HealingIncident, spec: AegisWatchSpec): Promise<void> {
    if (spec.mode === 'observe') return;
    const recorded = incident.status?.pullRequest as (PullRequestStatus & { repo?: string }) | undefined;
    if (!recorded?.repo || recorded.state !== 'merged') return;
    const refuse = async (reason: string) => {
      await this.recordRevert(incident, { state: 'refused', reason }, `no automatic revert: ${reason}`);
      await this.event(incident, 'RevertNotProposed', `the fix in pull request #${recorded.number} did not heal it; no revert: ${reason}`, 'Warning');
    };
    if (!recorded.mergeCommit) return refuse('the forge did not say which commit the merge made');
    const { forge, repo } = await this.forge({ repoURL: recorded.repo } as GitSource, spec, incident.metadata.namespace ?? '');
    const base = (await forge.findPullRequest(repo, { branch: recorded.branch, state: 'all' }))?.base;
    if (!base) return refuse(`pull request #${recorded.number} is no longer on the forge`);
    const plan = await planRevert(forge, repo, recorded.mergeCommit, base);
    if (!plan.ok) return refuse(plan.reason);
    if (spec.mode === 'suggest') return refuse(`mode suggest: revert ${plan.commit.slice(0, 7)} by hand`);
    const { kind, name } = incident.spec.workload;
    const title = `Revert GopherGuard's fix of ${kind} ${name}: it did not heal it`;
    const diff = plan.edits.map((e) => e.diff).join('\n');
    const outcome = await openPullRequest({
      forge, repo, fingerprint: `${incident.spec.fingerprint}-revert`, base, files: plan.edits.map((e) => ({ path: e.path, content: e.after })),
      title,
      body: [
        `GopherGuard's fix in #${recorded.number} (${recorded.url}) was merged and deployed, but ${kind} \`${name}\` did not heal: ${this.options.redact(incident.status?.message ?? '').text}`,
        '',
        `This reverts ${plan.commit}, so that Git does not keep a change that did not help. Review it: the original failure is still there either way (HealingIncident \`${incident.metadata.namespace}/${incident.metadata.name}\`).`,
        '',
        '```diff', diff.slice(0, 30_000), '```',
      ].join('\n'),
      message: `${title}\n\nThis reverts commit ${plan.commit}.`,
    });
    const revert = { state: outcome.kind === 'rejected' ? 'closed' : outcome.kind, url: outcome.pullRequest.url, number: outcome.pullRequest.number } as const;
    await this.recordRevert(incident, revert, `pull request #${revert.number} reverts the fix: ${revert.url}`);
    await this.event(incident, 'RevertProposed', `the fix in pull request #${recorded.number} did not heal it; pull request #${revert.number} reverts it: ${revert.url}`, 'Warning');
  }

  /** Records the revert (or why there is none) after the verification's message, which stays first. */
  private async recordRevert(incident: HealingIncident, revert: Revert, addition: string): Promise<void> {
    const { namespace = '', name = '' } = incident.metadata;
    await this.store.updateStatus(namespace, name, (current) => {
      if (!current.status || current.status.revert) return undefined;
      const message = current.status.message ? `${current.status.message}; ${addition}` : addition;
      return { ...current.status, revert, message: message.slice(0, 1024) };
    });
  }

  /** The failure went away with nothing merged: the PR is not needed any more. */
  private async closeResolved(incident: HealingIncident, spec: AegisWatchSpec): Promise<void> {
    const recorded = incident.status?.pullRequest as (PullRequestStatus & { repo?: string }) | undefined;
    if (!recorded?.repo || recorded.state !== 'open') return;
    const { forge, repo } = await this.forge({ repoURL: recorded.repo } as GitSource, spec, incident.metadata.namespace ?? '');
    const current = await forge.findPullRequest(repo, { branch: recorded.branch, state: 'all' });
    if (current?.state === 'open') {
      await forge.comment(repo, current.number, `The failure this fixes (HealingIncident \`${incident.metadata.namespace}/${incident.metadata.name}\`) has not been seen for a while and the workload is healthy without it, so GopherGuard closes this pull request.`);
      await forge.closePullRequest(repo, current.number);
    }
    await this.record(incident, undefined, undefined, `resolved by itself; pull request #${recorded.number} closed`, { ...recorded, state: current?.state === 'merged' ? 'merged' : 'closed' });
  }

  private async source(workload: KubernetesObject & { kind: string; metadata: { name: string } }, spec: AegisWatchSpec): Promise<GitSource> {
    const list = async <T>(path: string): Promise<T[]> => {
      try {
        return (await this.options.client.get<ListResult<T>>(path)).items;
      } catch (error) {
        if ((error as KubeApiError).code === 404 || (error as KubeApiError).code === 403) return []; // not installed, or not ours to read
        throw error;
      }
    };
    try {
      return locateSource({
        workload: workload as Parameters<typeof locateSource>[0]['workload'],
        watch: { metadata: { namespace: workload.metadata.namespace }, spec },
        kustomizations: spec.source.git ? [] : await list<FluxKustomizationObject>('/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations'),
        gitRepositories: spec.source.git ? [] : await list<FluxGitRepositoryObject>('/apis/source.toolkit.fluxcd.io/v1/gitrepositories'),
        applications: spec.source.git ? [] : await list<ArgoApplicationObject>('/apis/argoproj.io/v1alpha1/applications'),
      });
    } catch (error) {
      if (error instanceof SourceError) throw new Refusal(error.message);
      throw error;
    }
  }

  /** The branch the PR targets (see base-branch.ts); refused, not a 404, when the source follows no branch. */
  private async base(forge: Forge, repo: RepoRef, source: GitSource): Promise<string> {
    try {
      return await baseBranch(forge, repo, source);
    } catch (error) {
      if (error instanceof SourceError) throw new Refusal(error.message);
      throw error;
    }
  }

  /** The forge of a source, with the token from the Secret the watch names. */
  private async forge(source: Pick<GitSource, 'repoURL'>, spec: AegisWatchSpec, namespace: string): Promise<{ forge: Forge; repo: RepoRef }> {
    const git = spec.source.git;
    const secretRef = git?.secretRef ?? spec.forge?.secretRef;
    if (!secretRef) throw new Refusal('no forge token: set spec.source.git.secretRef (or spec.forge.secretRef for Argo CD and Flux sources)');
    const data = await readSecret(this.options.client, namespace, secretRef.name) ?? {};
    const kind = git?.forge ?? spec.forge?.type;
    let token = data[secretRef.key];
    // A GitHub App instead of a token: the Secret holds appId, installationId and privateKey.
    if (!token && data.appId && data.installationId && data.privateKey) {
      const { apiBaseUrl } = parseRepoUrl(source.repoURL, { ...(kind ? { kind } : {}), ...(spec.forge?.apiURL ? { apiBaseUrl: spec.forge.apiURL } : {}) });
      token = await githubAppToken(apiBaseUrl, { appId: data.appId, installationId: data.installationId, privateKey: data.privateKey });
    }
    if (!token) throw new Refusal(`the forge Secret ${namespace}/${secretRef.name} has no ${secretRef.key} (nor GitHub App appId, installationId and privateKey)`);
    const options = { token, ...(kind ? { kind } : {}), ...(spec.forge?.apiURL ? { apiBaseUrl: spec.forge.apiURL } : {}) };
    return (this.options.forgeFor ?? ((url, o) => forgeForRepo(url, { ...o, log: (m: string) => this.options.log?.(m) })))(source.repoURL, options);
  }

  private async record(incident: HealingIncident, proposal: { file?: string; diff?: string; rejectedReason?: string } | undefined, phase: IncidentPhase | undefined, message: string, pullRequest?: PullRequestStatus): Promise<void> {
    const { namespace = '', name = '' } = incident.metadata;
    await this.store.updateStatus(namespace, name, (current) => {
      if (!current.status) return undefined;
      const at = new Date().toISOString();
      const next = {
        ...current.status,
        message: message.slice(0, 1024),
        ...(proposal ? { proposal: Object.fromEntries(Object.entries(proposal).filter(([, v]) => v !== undefined)) } : {}),
        ...(pullRequest ? { pullRequest } : {}),
        ...(phase && phase !== current.status.phase ? { phase, phaseTimestamps: { ...current.status.phaseTimestamps, [phase]: at } } : {}),
      };
      return JSON.stringify(next) === JSON.stringify(current.status) ? undefined : next;
    });
  }

  private async event(incident: HealingIncident, reason: string, message: string, type: 'Normal' | 'Warning' = 'Normal'): Promise<void> {
    await this.events.record(
      { apiVersion: 'gopherguard.dev/v1alpha1', kind: 'HealingIncident', name: incident.metadata.name, namespace: incident.metadata.namespace, uid: incident.metadata.uid },
      type, reason, message,
    ).catch((error: unknown) => this.options.log?.('could not record an event', { error: String(error) }));
  }
}

function mergeCommitOf(pull: { mergeCommitSha?: string }): { mergeCommit?: string } {
  return pull.mergeCommitSha ? { mergeCommit: pull.mergeCommitSha } : {};
}

function wantsWork(incident: HealingIncident): boolean {
  const status = incident.status;
  if (!status) return false;
  if (status.phase === 'Diagnosed') return !status.proposal?.rejectedReason;
  if (status.phase === 'Proposed') return !status.pullRequest;
  if (status.phase === 'PullRequestOpen') return true;
  if (status.phase === 'Failed') return status.pullRequest?.state === 'merged' && !status.revert;
  return status.phase === 'Resolved' && status.pullRequest?.state === 'open';
}

/** The guard's bounds for an action, in words, for the PR body. */
function boundsOf(action: RemedyAction): string[] {
  const common = ['only the fields this action may change were changed (checked on the resulting object)', 'no security setting was loosened; image repository, command, service account, kind and namespace unchanged', 'the API server accepted the result in a dry-run (fieldValidation=Strict)'];
  switch (action.type) {
    case 'raiseResource':
      return [`${action.resource} ${action.field} at most ${DEFAULT_GUARD_LIMITS.maxFactor}x its current value and under ${action.resource === 'memory' ? DEFAULT_GUARD_LIMITS.memoryCap : DEFAULT_GUARD_LIMITS.cpuCap}`, ...common];
    case 'setImageTag':
      return ['the image repository is unchanged: only the tag, to one a previous revision ran', ...common];
    case 'revertCommit':
      return [
        'an exact revert: each file the commit changed gets its content from the commit\'s parent, and only if nothing changed it since',
        `YAML or JSON manifests only, at most ${MAX_REVERT_FILES} files, each of which parses`,
        'the commit directly follows the last revision the GitOps engine applied',
      ];
    default:
      return common;
  }
}

/**
 * The workload as Git declares the raised field: the live object with that field set to
 * the value the edit replaces in Git. Undefined for other actions, or when Git had no
 * value there (the edit adds it).
 */
function gitBaseline(workload: GuardWorkload, action: RemedyAction, replaced: ReplacedValue[]): GuardWorkload | undefined {
  if (action.type !== 'raiseResource') return undefined;
  const declared = replaced.find((r) => String(r.after) === action.value)?.before;
  if (declared === undefined) return undefined;
  return applyAction(workload, { ...action, value: String(declared) });
}
