import type { CoreV1Event } from '@kubernetes/client-node';
import type { Signal, WorkloadRef } from './signal.ts';

/**
 * Probe failures are visible only as kubelet events (Unhealthy, and Killing after a
 * failed liveness probe), so they are read from the pod's events, counting repeats.
 */
export function probeSignal(podName: string, events: CoreV1Event[], workload: WorkloadRef, threshold: number, now = new Date()): Signal | undefined {
  const unhealthy = events.filter((e) => e.reason === 'Unhealthy' && e.involvedObject.name === podName);
  const failures = unhealthy.reduce((sum, e) => sum + (e.count ?? e.series?.count ?? 1), 0);
  const killed = events.some((e) => e.reason === 'Killing' && /liveness/i.test(e.message ?? '') && e.involvedObject.name === podName);
  if (failures < threshold && !killed) return undefined;
  const latest = [...unhealthy].sort((a, b) => stamp(b) - stamp(a))[0];
  const container = /spec\.containers\{(.+)\}/.exec(latest?.involvedObject.fieldPath ?? '')?.[1];
  return {
    class: 'ProbeFailure',
    workload,
    container,
    object: { kind: 'Pod', name: podName },
    reason: killed ? 'LivenessProbeFailed' : 'ReadinessProbeFailed',
    message: latest?.message,
    observedAt: now.toISOString(),
  };
}

/** True when a liveness probe, not the app, is what keeps restarting the container. */
export function killedByLiveness(podName: string, events: CoreV1Event[]): boolean {
  return events.some((e) => e.involvedObject.name === podName && e.reason === 'Killing' && /liveness/i.test(e.message ?? ''));
}

function stamp(e: CoreV1Event): number {
  const t = e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp;
  return t ? new Date(t as unknown as string).getTime() : 0;
}
