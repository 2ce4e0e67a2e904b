// Incidents and watches for the dashboard tests: real shapes, checked against the CRD
// schemas on the way in, at fixed times around NOW.
import type { AegisWatch } from '../../src/api/aegis-watch.ts';
import { parseAegisWatch, parseHealingIncident } from '../../src/api/crd.ts';
import type { HealingIncident, HealingIncidentStatus, SignalClass } from '../../src/api/healing-incident.ts';

export const NOW = new Date('2026-11-26T12:30:00Z');

/** An ISO time `minutes` before NOW. */
export const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString();

export function incident(
  namespace: string,
  name: string,
  signalClass: SignalClass,
  status: HealingIncidentStatus | undefined,
  workload = name.split('-')[0] ?? name,
): HealingIncident {
  const object = {
    apiVersion: 'gopherguard.dev/v1alpha1',
    kind: 'HealingIncident',
    metadata: { namespace, name, uid: `${namespace}-${name}` },
    spec: {
      watch: 'shop-guard',
      fingerprint: '0123456789abcdef0123',
      workload: { kind: 'Deployment', namespace, name: workload },
      container: 'app',
      signalClass,
    },
    ...(status ? { status } : {}),
  };
  const parsed = parseHealingIncident(object);
  if (!parsed.ok) throw new Error(`fixture ${namespace}/${name} is not a valid HealingIncident: ${parsed.problems.join('; ')}`);
  return parsed.value;
}

export const OOM_DIFF = `--- a/deploy/web.yaml
+++ b/deploy/web.yaml
@@ -20,7 +20,7 @@ spec:
           resources:
             limits:
-              memory: 64Mi
+              memory: 128Mi
             requests:
               cpu: 50m`;

/** Seven incidents: three healed (29 s, 61 s, 100 s), one failed, two open, one resolved long ago. */
export function sampleIncidents(): HealingIncident[] {
  return [
    incident('shop', 'web-oom', 'OOMKilled', {
      phase: 'Healed',
      phaseTimestamps: { Detected: ago(145), Diagnosed: ago(145), Proposed: ago(144.5), PullRequestOpen: ago(144.4), Merged: ago(144.2), Synced: ago(144.1), Healed: ago(144) },
      occurrences: 3,
      firstSeen: ago(145),
      lastSeen: ago(145),
      message: 'Healed 29.0 s after the fix was merged',
      evidence: {
        summary: 'Container app was OOMKilled 3 times',
        restartCount: 3,
        exitCode: 137,
        reason: 'OOMKilled',
        events: [{ reason: 'BackOff', message: 'Back-off restarting failed container app', count: 4, lastSeen: ago(145) }],
        logExcerpt: 'starting jokes\nallocating cache',
        templateChange: 'memory limit 256Mi -> 64Mi',
      },
      diagnosis: {
        rootCause: 'The memory limit (64Mi) is below the working set (~90Mi).',
        confidence: 0.92,
        action: { type: 'raiseMemoryLimit', params: { container: 'app', limit: '128Mi' } },
        engine: 'rules',
        summary: 'Memory limit too low',
        witty: 'Your pod tried to fit an elephant into a teacup.',
      },
      proposal: { file: 'deploy/web.yaml', diff: OOM_DIFF },
      pullRequest: { url: 'https://git.example.com/shop/deploy/pulls/7', number: 7, branch: 'gopherguard/0123456789abcdef', state: 'merged', mergeCommit: 'abc1234' },
      verification: { result: 'Healed', timeToHealSeconds: 29, checkedAt: ago(144) },
    }),
    incident('shop', 'api-crash', 'CrashLoop', {
      phase: 'Healed',
      phaseTimestamps: { Detected: ago(80), Healed: ago(78) },
      message: 'Healed',
      verification: { result: 'Healed', timeToHealSeconds: 61 },
    }),
    incident('shop', 'db-oom', 'OOMKilled', {
      phase: 'Healed',
      phaseTimestamps: { Detected: ago(270), Healed: ago(260) },
      verification: { result: 'Healed', timeToHealSeconds: 100 },
    }),
    incident('shop', 'cart-image', 'ImagePull', {
      phase: 'Failed',
      phaseTimestamps: { Detected: ago(210), Merged: ago(205), Failed: ago(190) },
      message: 'The fix did not heal the workload',
      pullRequest: { url: 'https://git.example.com/shop/deploy/pulls/8', number: 8, branch: 'gopherguard/cart', state: 'merged', mergeCommit: 'def5678' },
      revert: { state: 'open', url: 'https://git.example.com/shop/deploy/pulls/9', number: 9 },
      verification: { result: 'Failed' },
    }),
    incident('shop', 'worker-probe', 'ProbeFailure', {
      phase: 'PullRequestOpen',
      phaseTimestamps: { Detected: ago(30), Diagnosed: ago(29), PullRequestOpen: ago(28) },
      message: 'Readiness probe fails on port 8081',
    }),
    incident('ops', 'apps-sync', 'GitOpsSyncFailed', {
      phase: 'Detected',
      phaseTimestamps: { Detected: ago(10) },
      firstSeen: ago(10),
      message: 'Flux cannot apply revision main@sha1:0ff1ce',
    }),
    incident('shop', 'old-crash', 'CrashLoop', {
      phase: 'Resolved',
      phaseTimestamps: { Detected: ago(3 * 24 * 60), Resolved: ago(3 * 24 * 60 - 60) },
    }),
  ];
}

export function watch(namespace: string, name: string, mode: string, status?: unknown): AegisWatch {
  const parsed = parseAegisWatch({
    apiVersion: 'gopherguard.dev/v1alpha1',
    kind: 'AegisWatch',
    metadata: { namespace, name },
    spec: { targets: { selector: { matchLabels: { app: name } } }, source: { flux: { kustomization: 'apps' } }, mode },
    ...(status ? { status } : {}),
  });
  if (!parsed.ok) throw new Error(`fixture watch ${namespace}/${name} is not valid: ${parsed.problems.join('; ')}`);
  return parsed.value;
}

export function sampleWatches(): AegisWatch[] {
  return [
    watch('shop', 'shop-guard', 'pullRequest', {
      conditions: [{ type: 'Ready', status: 'True', reason: 'Guarding', message: 'Guarding 3 workloads', lastTransitionTime: ago(600) }],
      healingScore: 75,
      openIncidents: 1,
      guardedWorkloads: 3,
    }),
    watch('ops', 'gitops-guard', 'observe', {
      conditions: [{ type: 'Ready', status: 'False', reason: 'SourceNotFound', message: 'Kustomization flux-system/apps not found', lastTransitionTime: ago(60) }],
    }),
  ];
}
