// The closed set of remedy actions. A diagnosis (from a rule or a model) can only ever
// choose one of these, with parameters inside these bounds; each has deterministic code
// that edits the manifest (the remediation stage), never model-written YAML.
import { z } from 'zod';

const container = z.string().min(1).max(63).regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a container name');
const quantity = z.string().max(32).regex(/^\d+(\.\d+)?(Ki|Mi|Gi|Ti|m|k|M|G|T)?$/, 'must be a Kubernetes quantity such as 256Mi or 500m');
const port = z.int().min(1).max(65535);
const seconds = (max: number) => z.int().min(0).max(max);

export const RaiseResource = z.object({
  type: z.literal('raiseResource'),
  container,
  resource: z.enum(['memory', 'cpu']),
  field: z.enum(['limits', 'requests']),
  /** The new value; the guard checks it is at most 2x the value in Git and under the cap. */
  value: quantity,
});

export const SetImageTag = z.object({
  type: z.literal('setImageTag'),
  container,
  /** A tag only: the repository can never change. */
  tag: z.string().min(1).max(128).regex(/^[\w][\w.-]{0,127}$/, 'must be an image tag'),
});

export const RevertField = z.object({
  type: z.literal('revertField'),
  /** A path in the pod template, e.g. spec.containers[app].resources.limits.memory. */
  path: z.string().min(1).max(256),
  /** The last known-good value, taken from the previous revision or Git history. */
  value: z.string().max(1024),
});

export const RevertCommit = z.object({
  type: z.literal('revertCommit'),
  commit: z.string().regex(/^[0-9a-f]{7,64}$/, 'must be a commit hash'),
});

export const FixProbe = z.object({
  type: z.literal('fixProbe'),
  container,
  probe: z.enum(['readiness', 'liveness', 'startup']),
  port: port.optional(),
  path: z.string().max(256).regex(/^\/[\w./~%-]*$/, 'must be an HTTP path').optional(),
  initialDelaySeconds: seconds(600).optional(),
  timeoutSeconds: z.int().min(1).max(60).optional(),
  failureThreshold: z.int().min(1).max(30).optional(),
});

export const AddStartupProbe = z.object({
  type: z.literal('addStartupProbe'),
  container,
  /** How long the app may take to start; the probe allows at least this. */
  startupSeconds: z.int().min(1).max(600),
});

export const FitRequests = z.object({
  type: z.literal('fitRequests'),
  container,
  cpu: quantity.optional(),
  memory: quantity.optional(),
});

export const RestoreEnv = z.object({
  type: z.literal('restoreEnv'),
  container,
  name: z.string().min(1).max(253).regex(/^[-._a-zA-Z][-._a-zA-Z0-9]*$/, 'must be an env var name'),
  /** The value from Git history; absent when it came from a ConfigMap or Secret ref. */
  value: z.string().max(4096).optional(),
});

/** Explain only: some causes have no safe manifest fix (a Secret that does not exist). */
export const NoAction = z.object({ type: z.literal('none'), reason: z.string().min(1).max(1024) });

export const RemedyAction = z.discriminatedUnion('type', [
  RaiseResource, SetImageTag, RevertField, RevertCommit, FixProbe, AddStartupProbe, FitRequests, RestoreEnv, NoAction,
]);
export type RemedyAction = z.output<typeof RemedyAction>;
export type RemedyActionType = RemedyAction['type'];
