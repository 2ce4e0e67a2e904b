// Live updates: one listener on the source, fanned out to every open /events stream. Each
// change is rendered once, not once per browser. The hub listens to the source only while
// someone is connected, and it never lets a rendering error reach the operator's informer.
import type { HealingIncident } from '../api/healing-incident.ts';
import type { ChartRange } from './chart.ts';
import { h } from './html.ts';
import { renderIncidentGone, renderIncidentSection } from './incident-page.ts';
import { renderOverviewSection } from './overview-page.ts';
import type { DashboardChange, DashboardLog, DashboardSource } from './source.ts';
import { keyOf, latestChange, timeline } from './stats.ts';
import { renderTimeline, renderTimelineRow, rowId } from './timeline.ts';

/** SSE events: the whole timeline (on connect), one row, the overview section, or one incident's page body. */
export type LiveEvent = 'timeline' | 'timeline-row' | 'overview' | 'incident';
export type LiveMessage = { event: LiveEvent; data: string } | { comment: string };

export interface LiveSubscriber {
  range: ChartRange;
  /** An incident page's stream ("namespace/name"): it gets that incident's body only, not the overview's events. */
  incident?: string;
  send(message: LiveMessage): void;
  /** Called when the hub closes: end the stream. */
  end(): void;
}

export interface LiveHubOptions {
  source: DashboardSource;
  now: () => Date;
  log: DashboardLog;
  maxSubscribers: number;
  heartbeatMs: number;
  /** Overview refreshes are coalesced: a burst of changes renders it once. */
  overviewDelayMs: number;
}

export interface LiveHub {
  readonly size: number;
  /** At the cap, or closed: a new connection would be refused. */
  readonly full: boolean;
  /** Adds a subscriber and sends it the current state; undefined when full or closed. */
  subscribe(subscriber: LiveSubscriber): (() => void) | undefined;
  /** Ends every stream and stops listening. */
  close(): void;
}

/** An element that makes htmx delete the row with this id before it swaps in the rest. */
export function removal(id: string): string {
  return h`<li id="${id}" hx-swap-oob="delete"></li>`.toString();
}

export function createLiveHub(options: LiveHubOptions): LiveHub {
  const { source, log } = options;
  const subscribers = new Set<LiveSubscriber>();
  // The row each incident has in the browsers, to send only rows that changed and to know
  // whether a row replaces one (which htmx must delete first) or is new.
  const rows = new Map<string, { id: string; html: string }>();
  let stopSource: (() => void) | undefined;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let overviewTimer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const broadcast = (message: LiveMessage, to: (s: LiveSubscriber) => boolean = () => true) => {
    for (const s of subscribers) {
      if (!to(s)) continue;
      try {
        s.send(message);
      } catch (error) {
        log('warn', 'dashboard: a live update could not be sent', { error: String(error) });
      }
    }
  };

  const renderOverview = (range: ChartRange) =>
    renderOverviewSection({ incidents: source.incidents(), watches: source.watches(), now: options.now(), range }).toString();

  const flushOverview = () => {
    overviewTimer = undefined;
    try {
      const byRange = new Map<ChartRange, string>();
      for (const s of subscribers) {
        if (s.incident !== undefined) continue;
        let data = byRange.get(s.range);
        if (data === undefined) byRange.set(s.range, (data = renderOverview(s.range)));
        s.send({ event: 'overview', data });
      }
    } catch (error) {
      log('error', 'dashboard: rendering the overview failed', { error: String(error) });
    }
  };

  const overviewPages = (s: LiveSubscriber) => s.incident === undefined;
  const incidentBody = (key: string, incident: HealingIncident | undefined) =>
    (incident ? renderIncidentSection(incident) : renderIncidentGone(key)).toString();

  const onIncident = (key: string) => {
    const current = source.incidents().find((i) => keyOf(i) === key);
    // Its own page first: it shows more than the row (evidence, occurrences), so any change counts.
    if ([...subscribers].some((s) => s.incident === key)) {
      broadcast({ event: 'incident', data: incidentBody(key, current) }, (s) => s.incident === key);
    }
    const previous = rows.get(key);
    if (!current) {
      if (previous === undefined) return;
      rows.delete(key);
      broadcast({ event: 'timeline-row', data: removal(previous.id) }, overviewPages);
      return;
    }
    const html = renderTimelineRow({ incident: current, ...latestChange(current) }).toString();
    if (html === previous?.html) return; // a new occurrence, say: nothing on the row changed
    rows.set(key, { id: rowId(current), html });
    // The old row goes (out of band, before the swap) and the new one comes in on top.
    broadcast({ event: 'timeline-row', data: previous === undefined ? html : `${removal(previous.id)}\n${html}` }, overviewPages);
  };

  const onChange = (change: DashboardChange) => {
    if (closed) return;
    try {
      if (change.kind === 'incident') onIncident(keyOf(change.object));
    } catch (error) {
      log('error', 'dashboard: rendering a live update failed', { error: String(error) });
    }
    overviewTimer ??= setTimeout(flushOverview, options.overviewDelayMs);
    overviewTimer.unref?.();
  };

  const start = () => {
    rows.clear();
    for (const entry of timeline(source.incidents())) {
      rows.set(keyOf(entry.incident), { id: rowId(entry.incident), html: renderTimelineRow(entry).toString() });
    }
    stopSource = source.onChange(onChange);
    heartbeat = setInterval(() => broadcast({ comment: 'heartbeat' }), options.heartbeatMs);
    heartbeat.unref?.();
  };

  const stop = () => {
    stopSource?.();
    stopSource = undefined;
    clearInterval(heartbeat);
    clearTimeout(overviewTimer);
    heartbeat = overviewTimer = undefined;
    rows.clear();
  };

  return {
    get size() {
      return subscribers.size;
    },
    get full() {
      return closed || subscribers.size >= options.maxSubscribers;
    },
    subscribe(subscriber) {
      if (closed || subscribers.size >= options.maxSubscribers) return undefined;
      if (subscribers.size === 0) start();
      subscribers.add(subscriber);
      // The whole state on every (re)connect, so that a browser that missed events while
      // its connection was down catches up.
      try {
        if (subscriber.incident !== undefined) {
          const key = subscriber.incident;
          subscriber.send({ event: 'incident', data: incidentBody(key, source.incidents().find((i) => keyOf(i) === key)) });
        } else {
          subscriber.send({ event: 'timeline', data: renderTimeline(timeline(source.incidents())).toString() });
          subscriber.send({ event: 'overview', data: renderOverview(subscriber.range) });
        }
      } catch (error) {
        log('error', 'dashboard: sending the state to a new live connection failed', { error: String(error) });
      }
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        subscribers.delete(subscriber);
        if (subscribers.size === 0) stop();
      };
    },
    close() {
      closed = true;
      const all = [...subscribers];
      subscribers.clear();
      stop();
      for (const s of all) s.end();
    },
  };
}
