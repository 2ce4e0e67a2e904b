import type { CoreV1Event, V1Deployment, V1Pod } from '@kubernetes/client-node';
import { killedByLiveness, probeSignal } from './event-signals.ts';
import { assessPod, type PodThresholds } from './pod-signals.ts';
import type { Signal, WorkloadRef } from './signal.ts';
import { rolledOut } from '../k8s/rollout.ts';

export interface DetectorSettings extends PodThresholds {
  probeFailureThreshold: number;
  /** A rollout without progress for this long is stuck, before the Deployment's own deadline. */
  rolloutDeadlineSeconds?: number;
  enabled: Partial<Record<Signal['class'], boolean>>;
}

export const DEFAULT_DETECTORS: DetectorSettings = { restartThreshold: 1, pendingSeconds: 60, probeFailureThreshold: 3, enabled: {} };

export interface WorkloadView {
  workload: WorkloadRef;
  deployment?: V1Deployment;
  pods: V1Pod[];
  /** Events of those pods. */
  events: CoreV1Event[];
}

/**
 * All current failures of one workload, at most one per (container, class): fifty
 * crashing replicas are one crash loop. A container restarted by its liveness probe is a
 * probe failure, not a crash of the app.
 */
export function workloadSignals(view: WorkloadView, settings: DetectorSettings = DEFAULT_DETECTORS, now = new Date()): Signal[] {
  return assessWorkload(view, settings, now).signals;
}

/** workloadSignals, plus when a pending observation should be looked at again. */
export function assessWorkload(view: WorkloadView, settings: DetectorSettings = DEFAULT_DETECTORS, now = new Date()): { signals: Signal[]; recheckInMs?: number } {
  let recheckInMs: number | undefined;
  const found = new Map<string, Signal>();
  const keep = (signal: Signal) => {
    if (settings.enabled[signal.class] === false) return;
    const key = `${signal.container ?? ''}/${signal.class}`;
    const seen = found.get(key);
    // Keep the most telling pod: the one with the most restarts.
    if (!seen || (signal.restartCount ?? 0) > (seen.restartCount ?? 0)) found.set(key, signal);
  };
  for (const pod of view.pods) {
    const name = pod.metadata?.name ?? '';
    const liveness = killedByLiveness(name, view.events);
    const assessed = assessPod(pod, view.workload, settings, now);
    if (assessed.recheckInMs !== undefined) recheckInMs = Math.min(recheckInMs ?? Infinity, assessed.recheckInMs);
    for (const signal of assessed.signals) {
      if (signal.class === 'CrashLoop' && liveness) continue; // reported as ProbeFailure below
      keep(signal);
    }
    const probe = probeSignal(name, view.events, view.workload, settings.probeFailureThreshold, now);
    if (probe) keep(probe);
  }
  const progressing = view.deployment?.status?.conditions?.find((c) => c.type === 'Progressing');
  const rollout = { class: 'RolloutStuck' as const, workload: view.workload, object: { kind: 'Deployment', name: view.workload.name }, observedAt: now.toISOString() };
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    keep({ ...rollout, reason: progressing.reason, message: progressing.message });
  } else if (settings.rolloutDeadlineSeconds !== undefined && progressing && progressing.reason !== 'NewReplicaSetAvailable' && !rolledOut(view.deployment)) {
    // The Deployment controller bumps lastUpdateTime on every step of progress.
    const since = new Date((progressing.lastUpdateTime ?? progressing.lastTransitionTime ?? now) as unknown as string).getTime();
    const leftMs = since + settings.rolloutDeadlineSeconds * 1000 - now.getTime();
    if (leftMs <= 0) {
      keep({ ...rollout, reason: 'RolloutDeadline', message: `no progress for ${Math.round((now.getTime() - since) / 1000)} s, past the watch's rolloutStuck.deadlineSeconds of ${settings.rolloutDeadlineSeconds}: ${progressing.message ?? ''}`.trim() });
    } else {
      recheckInMs = Math.min(recheckInMs ?? Infinity, leftMs + 250);
    }
  }
  return { signals: [...found.values()], recheckInMs };
}
