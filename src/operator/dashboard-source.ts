// The dashboard reads what the operator's cache already holds: no extra API calls, and
// every replica (leader or standby) serves the same view.
import type { AegisWatch } from '../api/aegis-watch.ts';
import type { HealingIncident } from '../api/healing-incident.ts';
import type { DashboardSource } from '../dashboard/index.ts';
import type { ClusterCache } from '../reconcile/cluster-cache.ts';

export function cacheDashboardSource(cache: ClusterCache): DashboardSource {
  return {
    incidents: () => cache.incidents.list() as HealingIncident[],
    watches: () => cache.watches.list() as AegisWatch[],
    onChange: (listener) => {
      const incident = (object: HealingIncident) => listener({ kind: 'incident', object });
      const watch = (object: AegisWatch) => listener({ kind: 'watch', object });
      const off = [
        ...(['add', 'update', 'delete'] as const).map((event) => cache.incidents.on(event, incident)),
        ...(['add', 'update', 'delete'] as const).map((event) => cache.watches.on(event, watch)),
      ];
      return () => off.forEach((unsubscribe) => unsubscribe());
    },
  };
}
