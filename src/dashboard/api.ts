// The JSON shapes. Lists are compact (what a table or a script needs); one incident is the
// whole object, as the operator holds it.
import type { HealingIncident } from '../api/healing-incident.ts';
import { detectedAt, isOpen, overviewNumbers, type OverviewNumbers, type TimelineEntry } from './stats.ts';
import { summaryLine } from './timeline.ts';

export interface IncidentSummary {
  namespace: string;
  name: string;
  watch: string;
  workload: { kind: string; namespace: string; name: string };
  container?: string;
  signalClass: string;
  phase: string;
  /** When it entered its current phase. */
  since?: string;
  detected?: string;
  lastSeen?: string;
  occurrences?: number;
  open: boolean;
  message: string;
  action?: string;
  pullRequest?: string;
  verification?: string;
  timeToHealSeconds?: number;
}

export function summarizeIncident(entry: TimelineEntry): IncidentSummary {
  const incident: HealingIncident = entry.incident;
  const status = incident.status;
  const optional = <K extends string, V>(key: K, value: V | undefined) => (value === undefined ? {} : ({ [key]: value } as Record<K, V>));
  return {
    namespace: incident.metadata.namespace ?? '',
    name: incident.metadata.name ?? '',
    watch: incident.spec.watch,
    workload: { kind: incident.spec.workload.kind, namespace: incident.spec.workload.namespace, name: incident.spec.workload.name },
    ...optional('container', incident.spec.container),
    signalClass: incident.spec.signalClass,
    phase: entry.phase,
    ...optional('since', entry.at),
    ...optional('detected', detectedAt(incident)),
    ...optional('lastSeen', status?.lastSeen),
    ...optional('occurrences', status?.occurrences),
    open: isOpen(incident),
    message: summaryLine(incident),
    ...optional('action', status?.diagnosis?.action?.type),
    ...optional('pullRequest', status?.pullRequest?.url),
    ...optional('verification', status?.verification?.result),
    ...optional('timeToHealSeconds', status?.verification?.timeToHealSeconds),
  };
}

export interface OverviewJson extends Omit<OverviewNumbers, 'healingScore' | 'medianTimeToHealSeconds'> {
  /** Percent, 0..100, as the watches report theirs; null before the first verified fix. */
  healingScore: number | null;
  medianTimeToHealSeconds: number | null;
}

export function overviewJson(incidents: readonly HealingIncident[]): OverviewJson {
  const n = overviewNumbers(incidents);
  return {
    ...n,
    healingScore: n.healingScore === undefined ? null : Math.round(n.healingScore * 1000) / 10,
    medianTimeToHealSeconds: n.medianTimeToHealSeconds ?? null,
  };
}
