// Incidents at each stage of the loop, for the notification tests (here and under
// test/notify). Shaped like what the controllers write.
import type { HealingIncident, IncidentPhase } from '../api/healing-incident.ts';

export const FAKE_SECRET = 'ghp_aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3hJk';

const STAMPS: Partial<Record<IncidentPhase, string>> = {
  Detected: '2026-03-01T10:00:00Z',
  Diagnosed: '2026-03-01T10:00:01Z',
  Proposed: '2026-03-01T10:00:03Z',
  PullRequestOpen: '2026-03-01T10:00:04Z',
  Merged: '2026-03-01T10:01:00Z',
  Synced: '2026-03-01T10:01:05Z',
  Healed: '2026-03-01T10:01:15Z',
  Failed: '2026-03-01T10:01:15Z',
};

const ORDER: IncidentPhase[] = ['Detected', 'Diagnosed', 'Proposed', 'PullRequestOpen', 'Merged', 'Synced'];

/** The jokeservice OOM incident in `phase`, with what the controllers had recorded by then. */
export function incidentIn(phase: IncidentPhase | undefined, status: Partial<NonNullable<HealingIncident['status']>> = {}): HealingIncident {
  const reached = phase === undefined ? [] : ORDER.includes(phase) ? ORDER.slice(0, ORDER.indexOf(phase) + 1) : [...ORDER, phase];
  const after = (p: IncidentPhase) => reached.includes(p);
  const base: HealingIncident = {
    apiVersion: 'gopherguard.dev/v1alpha1',
    kind: 'HealingIncident',
    metadata: { name: 'jokeservice-oomkilled-3f9a2c1d', namespace: 'shop' },
    spec: {
      watch: 'shop-guard',
      fingerprint: '3f9a2c1d5e6f7a8b',
      workload: { kind: 'Deployment', namespace: 'shop', name: 'jokeservice' },
      container: 'app',
      signalClass: 'OOMKilled',
    },
  };
  if (phase === undefined) return base;
  return {
    ...base,
    status: {
      phase,
      phaseTimestamps: Object.fromEntries(reached.map((p) => [p, STAMPS[p] ?? '2026-03-01T10:02:00Z'])),
      occurrences: 3,
      evidence: { summary: `container app was OOMKilled 3 times (limit 64Mi, working set ~90Mi); env GITHUB_TOKEN=${FAKE_SECRET}` },
      ...(after('Diagnosed')
        ? {
            diagnosis: {
              rootCause: `The memory limit (64Mi) is below the working set (~90Mi) since commit 1a2b3c. Log: token=${FAKE_SECRET}`,
              confidence: 0.9,
              action: { type: 'raiseMemoryLimit', params: { container: 'app', memory: '128Mi' } },
              engine: 'rules',
              summary: 'Raise the memory limit of app from 64Mi to 128Mi.',
              witty: 'Big thoughts, small limit.',
            },
          }
        : {}),
      ...(after('Proposed') ? { proposal: { file: 'deploy/overlays/sandbox/deployment.yaml', diff: '-            memory: 64Mi\n+            memory: 128Mi' } } : {}),
      ...(after('PullRequestOpen')
        ? { pullRequest: { url: 'https://gitea.example/shop/deploy/pulls/7', number: 7, branch: 'gopherguard/3f9a2c1d5e6f7a8b', state: after('Merged') ? 'merged' as const : 'open' as const } }
        : {}),
      ...(phase === 'Healed' ? { message: 'healed: no OOMKilled for 10 s after the fix was deployed', verification: { result: 'Healed' as const, timeToHealSeconds: 29 } } : {}),
      ...(phase === 'Failed' ? { message: 'the fix did not heal it: OOMKilled again on jokeservice-7d9f', verification: { result: 'Failed' as const } } : {}),
      ...status,
    },
  };
}

/**
 * An incident far past every bound the CRD sets, as a hostile or buggy writer could make
 * one: 20,000-character texts, 100 action parameters, a 50,000-character diff, emoji
 * across every cut, and the fake secret near the ends of the long texts.
 */
export function stressIncident(phase: IncidentPhase = 'Failed'): HealingIncident {
  const long = (n: number) => `${'x😀 <&> *_` '.repeat(Math.ceil(n / 12)).slice(0, n - FAKE_SECRET.length - 8)} token=${FAKE_SECRET}`;
  const incident = incidentIn('Failed', {
    phase,
    message: long(20_000),
    evidence: { summary: long(20_000) },
    revert: { state: 'open', url: 'https://gitea.example/shop/deploy/pulls/8', number: 8 },
  });
  const status = incident.status;
  if (!status?.diagnosis) throw new Error('the stress incident needs a diagnosis');
  status.diagnosis = {
    ...status.diagnosis,
    rootCause: long(20_000),
    summary: long(20_000),
    witty: long(5000),
    action: { type: 'raiseMemoryLimit', params: Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`param-${i}-${'p'.repeat(300)}`, long(3000)])) },
  };
  status.proposal = { file: long(3000), diff: long(50_000) };
  return incident;
}
