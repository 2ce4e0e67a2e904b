// What the dashboard reads. The operator implements this over its informer caches; the
// dashboard never talks to the API server itself, so it adds no watches and no RBAC.
import type { AegisWatch } from '../api/aegis-watch.ts';
import type { HealingIncident } from '../api/healing-incident.ts';

export type DashboardChange = { kind: 'incident'; object: HealingIncident } | { kind: 'watch'; object: AegisWatch };

export interface DashboardSource {
  incidents(): HealingIncident[]; // all, any namespace
  watches(): AegisWatch[]; // raw objects with spec and status
  /**
   * Called on every add/update/delete of an incident or watch; returns an unsubscribe.
   * The dashboard treats a change as a hint and re-reads incidents() (level-triggered),
   * so a delete needs no flag: the object is simply gone from the list.
   */
  onChange(listener: (change: DashboardChange) => void): () => void;
}

export type DashboardLog = (level: 'debug' | 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
