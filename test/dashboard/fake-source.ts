// An in-memory DashboardSource that tests change by hand, as the operator's caches would.
import type { AegisWatch } from '../../src/api/aegis-watch.ts';
import type { HealingIncident } from '../../src/api/healing-incident.ts';
import type { DashboardChange, DashboardSource } from '../../src/dashboard/source.ts';

export interface FakeSource extends DashboardSource {
  putIncident(incident: HealingIncident): void;
  deleteIncident(namespace: string, name: string): void;
  putWatch(watch: AegisWatch): void;
  listenerCount(): number;
}

const key = (o: { metadata: { namespace?: string; name?: string } }) => `${o.metadata.namespace}/${o.metadata.name}`;

export function fakeSource(incidents: HealingIncident[] = [], watches: AegisWatch[] = []): FakeSource {
  const incidentMap = new Map(incidents.map((i) => [key(i), i]));
  const watchMap = new Map(watches.map((w) => [key(w), w]));
  const listeners = new Set<(change: DashboardChange) => void>();
  const emit = (change: DashboardChange) => {
    for (const listener of [...listeners]) listener(change);
  };
  return {
    incidents: () => [...incidentMap.values()],
    watches: () => [...watchMap.values()],
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    putIncident(incident) {
      incidentMap.set(key(incident), incident);
      emit({ kind: 'incident', object: incident });
    },
    deleteIncident(namespace, name) {
      const object = incidentMap.get(`${namespace}/${name}`);
      if (!object) return;
      incidentMap.delete(`${namespace}/${name}`);
      emit({ kind: 'incident', object });
    },
    putWatch(watch) {
      watchMap.set(key(watch), watch);
      emit({ kind: 'watch', object: watch });
    },
    listenerCount: () => listeners.size,
  };
}
