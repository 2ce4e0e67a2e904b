// The watches on the overview: what each guards in which mode, and whether it is healthy.
import type { AegisWatch } from '../api/aegis-watch.ts';
import { h, oneLine, type Html } from './html.ts';

export interface WatchSummary {
  namespace: string;
  name: string;
  mode: string;
  /** The Ready condition: True, False, or Unknown when there is none yet. */
  ready: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  healingScore?: number;
  openIncidents?: number;
  guardedWorkloads?: number;
  /** The MetricsAvailable condition's message when it is False: "metrics unavailable: ...". */
  metricsProblem?: string;
}

export function summarizeWatch(watch: AegisWatch): WatchSummary {
  const ready = watch.status?.conditions?.find((c) => c.type === 'Ready');
  const metrics = watch.status?.conditions?.find((c) => c.type === 'MetricsAvailable');
  return {
    namespace: watch.metadata.namespace ?? '',
    name: watch.metadata.name ?? '',
    // The API server fills the default in; a watch read before that is in the default mode.
    mode: watch.spec?.mode ?? 'pullRequest',
    ready: ready?.status ?? 'Unknown',
    ...(ready?.reason ? { reason: ready.reason } : {}),
    ...(ready?.message ? { message: ready.message } : {}),
    ...(typeof watch.status?.healingScore === 'number' ? { healingScore: watch.status.healingScore } : {}),
    ...(typeof watch.status?.openIncidents === 'number' ? { openIncidents: watch.status.openIncidents } : {}),
    ...(typeof watch.status?.guardedWorkloads === 'number' ? { guardedWorkloads: watch.status.guardedWorkloads } : {}),
    ...(metrics?.status === 'False' ? { metricsProblem: metrics.message } : {}),
  };
}

export function summarizeWatches(watches: readonly AegisWatch[]): WatchSummary[] {
  return watches.map(summarizeWatch).sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}

function health(w: WatchSummary): Html {
  // Ready, but blind to metrics: say so beside it, since metric failures go unseen meanwhile.
  const metrics = w.metricsProblem ? h` <span class="badge health-notready">Metrics unavailable</span> <span class="muted">${oneLine(w.metricsProblem, 200)}</span>` : '';
  if (w.ready === 'True') return h`<span class="badge health-ready">Ready</span>${metrics}`;
  const label = w.ready === 'False' ? 'Not ready' : 'Unknown';
  const detail = [w.reason, oneLine(w.message, 200)].filter(Boolean).join(': ');
  return h`<span class="badge ${w.ready === 'False' ? 'health-notready' : ''}">${label}</span> <span class="muted">${detail}</span>`;
}

export function renderWatches(watches: readonly WatchSummary[]): Html {
  if (watches.length === 0) return h`<p class="muted">No AegisWatch yet: create one to guard a workload.</p>`;
  const rows = watches.map(
    (w) => h`<tr><td>${w.namespace}/${w.name}</td><td>${w.mode}</td><td>${health(w)}</td><td>${w.healingScore === undefined ? '—' : `${Math.round(w.healingScore)}`}</td><td>${w.openIncidents ?? '—'}</td><td>${w.guardedWorkloads ?? '—'}</td></tr>`,
  );
  return h`<table class="watches"><thead><tr><th>Watch</th><th>Mode</th><th>Health</th><th>Healing Score</th><th>Open incidents</th><th>Guarded workloads</th></tr></thead><tbody>${rows}</tbody></table>`;
}
