import type { Detectors } from '../api/aegis-watch.ts';
import type { DetectorSettings } from '../detect/workload-signals.ts';

/** The watch's detector block, as the detection functions take it. */
export function detectorSettings(detectors: Detectors): DetectorSettings {
  return {
    restartThreshold: detectors.crashLoop.restartThreshold,
    restartWindowSeconds: detectors.crashLoop.windowSeconds,
    pendingSeconds: detectors.unschedulable.pendingSeconds,
    probeFailureThreshold: detectors.probeFailures.threshold,
    ...(detectors.rolloutStuck.deadlineSeconds ? { rolloutDeadlineSeconds: detectors.rolloutStuck.deadlineSeconds } : {}),
    enabled: {
      CrashLoop: detectors.crashLoop.enabled,
      OOMKilled: detectors.oomKilled.enabled,
      ImagePull: detectors.imagePull.enabled,
      ConfigError: detectors.configError.enabled,
      ProbeFailure: detectors.probeFailures.enabled,
      Unschedulable: detectors.unschedulable.enabled,
      RolloutStuck: detectors.rolloutStuck.enabled,
      GitOpsSyncFailed: detectors.gitOps.enabled,
      GitOpsDegraded: detectors.gitOps.enabled,
    },
  };
}
