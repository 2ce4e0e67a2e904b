import type { HealingIncident } from '../api/healing-incident.ts';
import type { IncidentStore } from './incident-store.ts';

/**
 * Phases in which no fix has been made yet, so a recovery is the subject's own. An open
 * pull request is not merged: when the failure goes away meanwhile, its PR is closed.
 */
export const UNTOUCHED_PHASES: ReadonlySet<string> = new Set(['Detected', 'Diagnosed', 'Proposed', 'PullRequestOpen']);

export interface QuietIncidents {
  store: IncidentStore;
  /** Incidents in the watch's namespace (from the cache). */
  incidents: HealingIncident[];
  watch: { name: string; namespace: string; resolveAfterSeconds: number };
  /** The workload or GitOps object whose incidents are considered. */
  subject: { kind: string; name: string };
  /** Names of the incidents whose failure is seen right now. */
  active: ReadonlySet<string>;
  now?: number;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

/**
 * Closes, as Resolved, the subject's incidents on which nothing was done yet and whose
 * failure has not been seen for the watch's resolveAfterSeconds: it recovered by itself
 * (or someone fixed it by hand). Returns when to look again for those still inside the
 * window, if any.
 */
export async function resolveQuietIncidents(q: QuietIncidents): Promise<number | undefined> {
  const now = q.now ?? Date.now();
  const windowMs = q.watch.resolveAfterSeconds * 1000;
  let soonest: number | undefined;
  for (const { spec, status, metadata } of q.incidents) {
    if (spec.watch !== q.watch.name || spec.workload.kind !== q.subject.kind || spec.workload.name !== q.subject.name) continue;
    if (!status || !UNTOUCHED_PHASES.has(status.phase) || q.active.has(metadata.name ?? '')) continue;
    const quietMs = now - Date.parse(status.lastSeen ?? status.firstSeen ?? new Date(now).toISOString());
    if (quietMs >= windowMs) {
      await q.store.transition(q.watch.namespace, metadata.name ?? '', 'Resolved',
        `not seen for ${Math.round(quietMs / 1000)}s and no fix was made: the ${q.subject.kind} recovered by itself`);
      q.log?.('incident resolved itself', { incident: metadata.name });
    } else {
      soonest = Math.min(soonest ?? Infinity, windowMs - quietMs + 250);
    }
  }
  return soonest;
}
