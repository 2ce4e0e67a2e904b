/**
 * The sandbox's vocabulary. Pod templates declare facts about the simulated app (what it
 * needs, what it serves); the behaviour controller writes its verdict, which the KWOK
 * stages in sandbox/stages act on. Keys are spelled once, here and in those stages.
 */
export const ANNOTATION_PREFIX = 'sandbox.gopherguard.dev';

/** Facts a pod template declares about its app. */
export const DECLARES = {
  /** Memory the app needs, e.g. "200Mi": a lower limit means an OOM kill. */
  needsMemory: `${ANNOTATION_PREFIX}/needs-memory`,
  /** Comma-separated env var names the app exits without. */
  requiresEnv: `${ANNOTATION_PREFIX}/requires-env`,
  /** Ports the app listens on; defaults to the container's declared containerPorts. */
  listens: `${ANNOTATION_PREFIX}/listens`,
  /** HTTP paths the app answers 200 on; defaults to /, /healthz, /readyz, /livez. */
  httpPaths: `${ANNOTATION_PREFIX}/http-paths`,
  /** How long the app takes to start, e.g. "40s". */
  startsIn: `${ANNOTATION_PREFIX}/starts-in`,
  /** Exit code of an app that always crashes (a bug in the image). */
  crashExitCode: `${ANNOTATION_PREFIX}/crash-exit-code`,
  /** The termination reason of that crash (default "Error"). */
  crashReason: `${ANNOTATION_PREFIX}/crash-reason`,
  /** Which container the facts above describe; defaults to the first. */
  container: `${ANNOTATION_PREFIX}/container`,
  // What the metrics exporter (metrics-exporter.ts) publishes for a healthy pod:
  /** Share of requests answered 500, 0 to 1; overrides the image's entry in sandbox/registry.json. */
  errorRate: `${ANNOTATION_PREFIX}/error-rate`,
  /** How long each request takes, e.g. "1500ms" or "1.5s"; overrides the registry (default 20ms). */
  latency: `${ANNOTATION_PREFIX}/latency`,
  /** CPU the app wants, e.g. "500m": above its CPU limit the container is throttled. */
  needsCpu: `${ANNOTATION_PREFIX}/needs-cpu`,
  /** Its working set, e.g. "120Mi", when it differs from needs-memory (close to the limit without an OOM kill). */
  usesMemory: `${ANNOTATION_PREFIX}/uses-memory`,
} as const;

/** What the behaviour controller writes for the stages. */
export const VERDICT = {
  behaviourLabel: `${ANNOTATION_PREFIX}/behaviour`,
  container: `${ANNOTATION_PREFIX}/sim-container`,
  exitCode: `${ANNOTATION_PREFIX}/sim-exit-code`,
  reason: `${ANNOTATION_PREFIX}/sim-reason`,
  message: `${ANNOTATION_PREFIX}/sim-message`,
  runsFor: `${ANNOTATION_PREFIX}/sim-runs-for`,
  probe: `${ANNOTATION_PREFIX}/sim-probe`,
} as const;

/** A duration annotation's value in seconds: "1500ms", "1.5s", "2m" or plain seconds ("0.2"). */
export function parseDurationSeconds(value: string | undefined): number | undefined {
  const match = /^(\d+(?:\.\d+)?|\.\d+)(ms|s|m)?$/.exec(value?.trim() ?? '');
  if (!match) return undefined;
  const scale = match[2] === 'ms' ? 1e-3 : match[2] === 'm' ? 60 : 1;
  return Number(match[1]) * scale;
}
