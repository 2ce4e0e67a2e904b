// Hard limits on pull requests, counted from the HealingIncidents in the cluster (the
// operator's only memory), so that a restart, a second replica or a flood of incidents
// cannot open more than the watch allows.
import type { HealingIncident } from '../api/healing-incident.ts';

export interface PullRequestLimits {
  maxOpenPullRequests: number;
  pullRequestsPerHour: number;
  /** No new PR for a workload this soon after its last one. */
  cooldownSeconds: number;
}

export type Allowance = { ok: true } | { ok: false; reason: string; retryAfterMs: number };

const HOUR_MS = 3_600_000;

/** The repository a PR of an incident went to (recorded with the PR). */
function repoOf(incident: HealingIncident): string | undefined {
  return (incident.status?.pullRequest as { repo?: string } | undefined)?.repo;
}

/**
 * Whether one more PR may be opened now for `incident` in `repo`: at most
 * `maxOpenPullRequests` open in that repository, at most `pullRequestsPerHour` opened
 * there in the last rolling hour, and none for the same workload within the cooldown.
 */
export function pullRequestAllowance(incident: HealingIncident, all: HealingIncident[], repo: string, limits: PullRequestLimits, now = Date.now()): Allowance {
  const others = all.filter((i) => i.metadata.name !== incident.metadata.name || i.metadata.namespace !== incident.metadata.namespace);
  const inRepo = others.filter((i) => repoOf(i) === repo);
  const open = inRepo.filter((i) => i.status?.pullRequest?.state === 'open').length;
  if (open >= limits.maxOpenPullRequests) {
    return { ok: false, reason: `${open} GopherGuard pull requests are open in ${repo} (limit ${limits.maxOpenPullRequests}): waiting for one to close`, retryAfterMs: 5 * 60_000 };
  }
  const opened = inRepo.map((i) => Date.parse(i.status?.phaseTimestamps?.PullRequestOpen ?? '')).filter((t) => now - t < HOUR_MS).sort((a, b) => a - b);
  if (opened.length >= limits.pullRequestsPerHour) {
    const wait = (opened[opened.length - limits.pullRequestsPerHour] ?? now) + HOUR_MS - now;
    return { ok: false, reason: `${opened.length} pull requests opened in ${repo} in the last hour (limit ${limits.pullRequestsPerHour})`, retryAfterMs: Math.max(1000, wait) };
  }
  const { kind, name, namespace } = incident.spec.workload;
  const sameWorkload = others.filter((i) => i.spec.workload.kind === kind && i.spec.workload.name === name && i.spec.workload.namespace === namespace);
  const last = Math.max(...sameWorkload.map((i) => Date.parse(i.status?.phaseTimestamps?.PullRequestOpen ?? '')).filter((t) => !Number.isNaN(t)), -Infinity);
  const cooldownMs = limits.cooldownSeconds * 1000;
  if (now - last < cooldownMs) {
    return { ok: false, reason: `a pull request for ${kind} ${namespace}/${name} was opened ${Math.round((now - last) / 1000)} s ago (cooldown ${limits.cooldownSeconds} s)`, retryAfterMs: Math.max(1000, last + cooldownMs - now) };
  }
  return { ok: true };
}
