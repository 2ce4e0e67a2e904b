// The numbers on the overview and the order of the timeline, computed from incidents alone
// so that they are the same on the page, in the JSON and in the tests.
import type { HealingIncident, IncidentPhase } from '../api/healing-incident.ts';

/** Phases after which nothing more happens to an incident. */
export const CLOSED_PHASES: ReadonlySet<IncidentPhase> = new Set<IncidentPhase>(['Healed', 'Failed', 'Resolved', 'Suppressed']);

export function isOpen(incident: HealingIncident): boolean {
  // No status yet means the operator has just created it: it is open (Detected).
  return !CLOSED_PHASES.has(incident.status?.phase ?? 'Detected');
}

export interface OverviewNumbers {
  /** Verified fixes that healed, and those that did not. */
  healed: number;
  failed: number;
  /** healed / (healed + failed), 0..1; undefined before the first verified fix. */
  healingScore: number | undefined;
  medianTimeToHealSeconds: number | undefined;
  open: number;
  total: number;
}

export function overviewNumbers(incidents: readonly HealingIncident[]): OverviewNumbers {
  let healed = 0;
  let failed = 0;
  let open = 0;
  const times: number[] = [];
  for (const incident of incidents) {
    const verification = incident.status?.verification;
    if (verification?.result === 'Healed') {
      healed++;
      if (typeof verification.timeToHealSeconds === 'number') times.push(verification.timeToHealSeconds);
    } else if (verification?.result === 'Failed') {
      failed++;
    }
    if (isOpen(incident)) open++;
  }
  return {
    healed,
    failed,
    healingScore: healed + failed > 0 ? healed / (healed + failed) : undefined,
    medianTimeToHealSeconds: median(times),
    open,
    total: incidents.length,
  };
}

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** A Kubernetes timestamp as an ISO string: client-node gives Dates, raw JSON gives strings. */
export function isoOf(value: unknown): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return value;
  return undefined;
}

/** When the failure was first seen: the Detected transition, else the first sighting, else creation. */
export function detectedAt(incident: HealingIncident): string | undefined {
  const status = incident.status;
  return isoOf(status?.phaseTimestamps?.Detected) ?? isoOf(status?.firstSeen) ?? isoOf(incident.metadata.creationTimestamp);
}

export interface PhaseChange {
  phase: IncidentPhase;
  at: string | undefined;
}

/** The incident's latest phase change: entering its current phase. */
export function latestChange(incident: HealingIncident): PhaseChange {
  const status = incident.status;
  const phase = status?.phase ?? 'Detected';
  const stamps = Object.values(status?.phaseTimestamps ?? {})
    .map(isoOf)
    .filter((at): at is string => at !== undefined)
    .sort((a, b) => Date.parse(b) - Date.parse(a));
  const at = isoOf(status?.phaseTimestamps?.[phase]) ?? stamps[0] ?? isoOf(status?.lastSeen) ?? detectedAt(incident);
  return { phase, at };
}

export interface TimelineEntry extends PhaseChange {
  incident: HealingIncident;
}

/** Newest phase change first; ties by namespace and name so that the order is stable. */
export function timeline(incidents: readonly HealingIncident[]): TimelineEntry[] {
  const entries = incidents.map((incident) => ({ incident, ...latestChange(incident) }));
  const ms = (at: string | undefined) => (at ? Date.parse(at) : -Infinity);
  return entries.sort(
    (a, b) => ms(b.at) - ms(a.at) || keyOf(a.incident).localeCompare(keyOf(b.incident)),
  );
}

export function keyOf(incident: HealingIncident): string {
  return `${incident.metadata.namespace ?? ''}/${incident.metadata.name ?? ''}`;
}
