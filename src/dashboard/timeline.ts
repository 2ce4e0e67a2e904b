// The timeline of interventions: one row per incident, at its latest phase change. Rows are
// rendered here for the page and for the live updates alike, so both look the same.
import type { HealingIncident } from '../api/healing-incident.ts';
import { domId, formatTime, h, incidentPath, oneLine, type Html } from './html.ts';
import type { TimelineEntry } from './stats.ts';

/** How many rows the page shows; the JSON API has them all. */
export const TIMELINE_LIMIT = 100;

export function rowId(incident: HealingIncident): string {
  return domId('tl', incident.metadata.namespace, incident.metadata.name);
}

export function summaryLine(incident: HealingIncident): string {
  const status = incident.status;
  return oneLine(status?.message ?? status?.diagnosis?.summary ?? status?.evidence?.summary);
}

export function renderTimelineRow(entry: TimelineEntry): Html {
  const { incident, phase, at } = entry;
  const { namespace, name } = incident.metadata;
  const workload = incident.spec.workload;
  return h`<li id="${rowId(incident)}" class="row">
<span class="when">${formatTime(at)}</span>
<span class="badge phase-${phase}">${phase}</span>
<span class="class">${incident.spec.signalClass}</span>
<a class="workload" href="${incidentPath(namespace, name)}">${workload.kind} ${workload.namespace}/${workload.name}</a>
<span class="message">${summaryLine(incident)}</span>
</li>`;
}

export function renderTimelineRows(entries: readonly TimelineEntry[]): Html {
  // The placeholder hides itself by CSS once a live row arrives beside it.
  if (entries.length === 0) return h`<li class="empty">No incidents yet.</li>`;
  const shown = entries.slice(0, TIMELINE_LIMIT).map(renderTimelineRow);
  const more = entries.length > TIMELINE_LIMIT ? h`<li class="more">${entries.length - TIMELINE_LIMIT} older incidents are in <a href="api/incidents">the JSON API</a>.</li>` : '';
  return h`${shown}${more}`;
}

/**
 * The list itself, which the live updates replace whole on (re)connect and prepend rows
 * to afterwards. Its parent swaps on "timeline"; the list on "timeline-row".
 */
export function renderTimeline(entries: readonly TimelineEntry[]): Html {
  return h`<ol id="timeline" class="timeline" sse-swap="timeline-row" hx-swap="afterbegin">${renderTimelineRows(entries)}</ol>`;
}
