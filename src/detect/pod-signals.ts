import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import type { Signal, WorkloadRef } from './signal.ts';

export interface PodThresholds {
  /** Restarts (or more) that make a crash loop; 1 = the first restart. */
  restartThreshold: number;
  /**
   * A crash counts while its last termination is this recent (or the container waits in
   * CrashLoopBackOff): a container that crashed once long ago and has run since is not
   * looping. Absent: any crash counts.
   */
  restartWindowSeconds?: number;
  /** How long a pod may stay unschedulable before it is a failure. */
  pendingSeconds: number;
}

const IMAGE_PULL = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull']);
const CONFIG_ERROR = new Set(['CreateContainerConfigError', 'CreateContainerError']);

/** Milliseconds a kill by signal waits for the kubelet's events to say who killed it. */
export const KILL_SETTLE_MS = 3000;

/**
 * The failures a pod's status shows now, and when to look again. Level-based: it reads
 * the current status only, so it gives the same answer however many events led here, and
 * a crash loop is seen at its first restart (lastState.terminated), not only once
 * CrashLoopBackOff appears. A container that died of SIGKILL/SIGTERM
 * (exit 137/143, reason Error) may have been killed by its liveness probe, which only the
 * kubelet's Killing event tells, and events travel on another watch than the pod. Such a
 * crash is classified only once it is KILL_SETTLE_MS old.
 */
export function assessPod(pod: V1Pod, workload: WorkloadRef, thresholds: PodThresholds, now = new Date()): { signals: Signal[]; recheckInMs?: number } {
  const signals: Signal[] = [];
  let recheckInMs: number | undefined;
  const base = { workload, object: { kind: 'Pod', name: pod.metadata?.name ?? '' }, observedAt: now.toISOString() };
  if (pod.metadata?.deletionTimestamp) return { signals };

  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
    const since = scheduled.lastTransitionTime ? new Date(scheduled.lastTransitionTime).getTime() : now.getTime();
    if ((now.getTime() - since) / 1000 >= thresholds.pendingSeconds) {
      signals.push({ ...base, class: 'Unschedulable', reason: 'Unschedulable', message: scheduled.message });
    }
  }

  for (const status of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    const signal = containerSignal(status, thresholds, now);
    if (!signal) continue;
    const terminated = status.lastState?.terminated ?? status.state?.terminated;
    const killed = signal.class === 'CrashLoop' && (signal.exitCode === 137 || signal.exitCode === 143) && terminated?.reason === 'Error';
    const age = terminated?.finishedAt ? now.getTime() - new Date(terminated.finishedAt).getTime() : Infinity;
    if (killed && age < KILL_SETTLE_MS) {
      recheckInMs = Math.min(recheckInMs ?? Infinity, KILL_SETTLE_MS - age);
      continue;
    }
    signals.push({ ...base, container: status.name, ...signal });
  }
  return { signals, recheckInMs };
}

function containerSignal(status: V1ContainerStatus, thresholds: PodThresholds, now: Date): Pick<Signal, 'class' | 'reason' | 'message' | 'exitCode' | 'restartCount'> | undefined {
  const waiting = status.state?.waiting;
  if (waiting?.reason && IMAGE_PULL.has(waiting.reason)) return { class: 'ImagePull', reason: waiting.reason, message: waiting.message };
  if (waiting?.reason && CONFIG_ERROR.has(waiting.reason)) return { class: 'ConfigError', reason: waiting.reason, message: waiting.message };

  const terminated = status.lastState?.terminated ?? status.state?.terminated;
  const restarts = status.restartCount ?? 0;
  if (terminated?.reason === 'OOMKilled') {
    return { class: 'OOMKilled', reason: 'OOMKilled', exitCode: terminated.exitCode, restartCount: restarts, message: terminated.message };
  }
  const finished = terminated?.finishedAt ? new Date(terminated.finishedAt).getTime() : undefined;
  const recent = thresholds.restartWindowSeconds === undefined || finished === undefined || now.getTime() - finished <= thresholds.restartWindowSeconds * 1000;
  const crashing = waiting?.reason === 'CrashLoopBackOff' || (terminated !== undefined && terminated.exitCode !== 0 && recent);
  if (crashing && restarts >= thresholds.restartThreshold) {
    return { class: 'CrashLoop', reason: terminated?.reason ?? waiting?.reason, exitCode: terminated?.exitCode, restartCount: restarts, message: terminated?.message ?? waiting?.message };
  }
  return undefined;
}
