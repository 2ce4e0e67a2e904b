import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IncidentPhase } from '../api/healing-incident.ts';
import { eventFor, eventKey, toEvent } from './events.ts';
import { incidentIn } from './fixtures.ts';

describe('eventFor', () => {
  it('maps moves into Detected, Proposed, PullRequestOpen, Healed and Failed to the five events', () => {
    assert.deepEqual(eventFor(incidentIn(undefined), incidentIn('Detected')), { name: 'detected' });
    // Sent only in suggest mode (the notification controller checks the watch): otherwise a PR follows.
    assert.deepEqual(eventFor(incidentIn('Diagnosed'), incidentIn('Proposed')), { name: 'fixProposed' });
    assert.deepEqual(eventFor(incidentIn('Proposed'), incidentIn('PullRequestOpen')), { name: 'pullRequestOpened' });
    assert.deepEqual(eventFor(incidentIn('Synced'), incidentIn('Healed')), { name: 'healed' });
    assert.deepEqual(eventFor(incidentIn('Synced'), incidentIn('Failed')), { name: 'failed' });
    // A skipped write (a relist after a watch gap) still lands on the phase reached.
    assert.deepEqual(eventFor(incidentIn('Detected'), incidentIn('PullRequestOpen')), { name: 'pullRequestOpened' });
    assert.deepEqual(eventFor(incidentIn('Resolved'), incidentIn('Detected')), { name: 'detected' }, 'a failure that came back');
  });

  it('says nothing for the other phases, or when the phase did not change', () => {
    const quiet: Array<[IncidentPhase | undefined, IncidentPhase]> = [
      ['Detected', 'Diagnosed'], ['PullRequestOpen', 'Merged'], ['Merged', 'Synced'],
      ['Detected', 'Suppressed'], ['PullRequestOpen', 'Resolved'], ['Detected', 'Detected'], ['Healed', 'Healed'],
    ];
    for (const [from, to] of quiet) assert.equal(eventFor(incidentIn(from), incidentIn(to)), undefined, `${from} -> ${to}`);
    assert.equal(eventFor(incidentIn('Detected'), incidentIn(undefined)), undefined, 'no status');
  });

  it('announces nothing for an add: a first list after a restart must not replay every incident', () => {
    for (const phase of ['Detected', 'PullRequestOpen', 'Healed', 'Failed'] as const) assert.equal(eventFor(undefined, incidentIn(phase)), undefined);
  });

  it('a revert PR opened on a failed incident is a follow-up failed event, once', () => {
    const failed = incidentIn('Failed');
    const reverted = incidentIn('Failed', { revert: { state: 'open', url: 'https://gitea.example/shop/deploy/pulls/8', number: 8 } });
    assert.deepEqual(eventFor(failed, reverted), { name: 'failed', followUp: 'revert' });
    assert.equal(eventFor(reverted, reverted), undefined);
    const refused = incidentIn('Failed', { revert: { state: 'refused', reason: 'mode suggest' } });
    assert.equal(eventFor(failed, refused), undefined, 'a refused revert is already in the message');
    // Failed and reverted in one step (seen late): one failed event, which carries the revert.
    assert.deepEqual(eventFor(incidentIn('Synced'), reverted), { name: 'failed' });
  });
});

describe('eventKey', () => {
  it('is the incident, the event and when the phase was entered', () => {
    const detected = incidentIn('Detected');
    assert.equal(eventKey(detected, { name: 'detected' }), 'shop/jokeservice-oomkilled-3f9a2c1d|detected|2026-03-01T10:00:00Z');
    const again = incidentIn('Detected', { phaseTimestamps: { Detected: '2026-03-02T08:00:00Z' } });
    assert.notEqual(eventKey(again, { name: 'detected' }), eventKey(detected, { name: 'detected' }), 'a reopened incident is news again');
    const reverted = incidentIn('Failed', { revert: { state: 'open', url: 'https://gitea.example/r/8', number: 8 } });
    assert.notEqual(eventKey(reverted, { name: 'failed', followUp: 'revert' }), eventKey(reverted, { name: 'failed' }));
  });

  it('toEvent takes a name or an event', () => {
    assert.deepEqual(toEvent('healed'), { name: 'healed' });
    assert.deepEqual(toEvent({ name: 'failed', followUp: 'revert' }), { name: 'failed', followUp: 'revert' });
  });
});
