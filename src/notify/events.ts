// What an incident's change means to the people watching it. The operator sees every
// status write (an informer update carries the old and the new object); only four of
// them are worth a message, and which one is decided here, from the phase.
import type { NOTIFICATION_EVENTS } from '../api/aegis-watch.ts';
import type { HealingIncident, IncidentPhase } from '../api/healing-incident.ts';

/** The names users subscribe to in an AegisWatch's `notifications[].events`. */
export type EventName = (typeof NOTIFICATION_EVENTS)[number];

export interface NotificationEvent {
  name: EventName;
  /**
   * Only on `failed`: the revert pull request, recorded after the failure was already
   * announced. The remediation controller writes the revert in a later status update
   * than the verifier's Failed (and only after a forge round trip, or never: refused,
   * observe or suggest mode), so waiting for it would delay the bad news; it follows
   * instead, under the same subscription name.
   */
  followUp?: 'revert';
}

const EVENT_OF_PHASE: Partial<Record<IncidentPhase, EventName>> = {
  Detected: 'detected',
  Proposed: 'fixProposed',
  PullRequestOpen: 'pullRequestOpened',
  Healed: 'healed',
  Failed: 'failed',
};

const PHASE_OF_EVENT: Record<EventName, IncidentPhase> = {
  detected: 'Detected',
  fixProposed: 'Proposed',
  pullRequestOpened: 'PullRequestOpen',
  healed: 'Healed',
  failed: 'Failed',
};

/**
 * The event a status change means, if any: a move into Detected, PullRequestOpen,
 * Healed or Failed, or a revert PR opened on an incident that had already failed.
 *
 * `previous` undefined (an informer's add: its first list, a relist) yields nothing. The
 * incident store creates incidents without a status and sets phase Detected in a second
 * write, so a genuine detection always arrives as an update; an add that already has a
 * phase is an incident the operator had before it restarted, announced then.
 */
export function eventFor(previous: HealingIncident | undefined, current: HealingIncident): NotificationEvent | undefined {
  if (!previous) return undefined;
  const phase = current.status?.phase;
  if (!phase) return undefined;
  if (previous.status?.phase !== phase) {
    const name = EVENT_OF_PHASE[phase];
    return name ? { name } : undefined;
  }
  if (phase === 'Failed' && openRevert(current) && !openRevert(previous)) return { name: 'failed', followUp: 'revert' };
  return undefined;
}

/** The revert pull request, when one is open (a refused or closed revert is not news). */
export function openRevert(incident: HealingIncident): { url: string; number?: number } | undefined {
  const revert = incident.status?.revert;
  return revert?.state === 'open' && revert.url ? { url: revert.url, ...(revert.number ? { number: revert.number } : {}) } : undefined;
}

/**
 * What makes one announcement the same as another, for de-duplication: the incident, the
 * event, and the time the incident entered the phase (so an incident that comes back
 * after it resolved itself, and is detected again, is announced again), or the revert PR.
 */
export function eventKey(incident: HealingIncident, event: NotificationEvent): string {
  const { namespace = '', name = '' } = incident.metadata;
  const occasion = event.followUp === 'revert'
    ? `revert:${incident.status?.revert?.url ?? ''}`
    : (incident.status?.phaseTimestamps?.[PHASE_OF_EVENT[event.name]] ?? '');
  return `${namespace}/${name}|${event.name}|${occasion}`;
}

/** `'failed'` and `{ name: 'failed' }` alike. */
export function toEvent(event: EventName | NotificationEvent): NotificationEvent {
  return typeof event === 'string' ? { name: event } : event;
}
