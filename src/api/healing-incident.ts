// HealingIncident: one per fingerprint. The spec says which failure it is and never
// changes; the status is the incident's state machine and everything learned on the way.
import type { V1ObjectMeta } from '@kubernetes/client-node';
import { z } from 'zod';
import { Conditions, DateTime, NamespaceName, ResourceName, type ResourceDefinition } from './common.ts';

export const SIGNAL_CLASSES = [
  'CrashLoop',
  'OOMKilled',
  'ImagePull',
  'ConfigError',
  'ProbeFailure',
  'Unschedulable',
  'RolloutStuck',
  'ErrorRate',
  'Latency',
  'CpuThrottling',
  'MemorySaturation',
  // A metric rule of the user's own; its name is spec.customClass.
  'Custom',
  'GitOpsSyncFailed',
  'GitOpsDegraded',
] as const;
export const SignalClass = z.enum(SIGNAL_CLASSES);
export type SignalClass = z.output<typeof SignalClass>;

export const INCIDENT_PHASES = [
  'Detected',
  'Diagnosed',
  'Proposed',
  'PullRequestOpen',
  'Merged',
  'Synced',
  'Healed',
  'Failed',
  'Suppressed',
  'Resolved',
] as const;
export const IncidentPhase = z.enum(INCIDENT_PHASES);
export type IncidentPhase = z.output<typeof IncidentPhase>;

export const HealingIncidentSpec = z.object({
  watch: ResourceName.describe('The AegisWatch that found the incident.'),
  fingerprint: z.string().regex(/^[0-9a-f]{16,64}$/, 'must be 16 to 64 lower-case hex digits'),
  // Any kind, not only the guarded ones: a GitOps incident is about an Application or Kustomization.
  workload: z.object({
    kind: z.string().min(1).max(63).regex(/^[A-Z][A-Za-z0-9]*$/, 'must be a Kubernetes kind such as Deployment'),
    name: ResourceName,
    namespace: NamespaceName,
  }),
  container: z.string().min(1).max(63).optional(),
  signalClass: SignalClass,
  /** With signalClass Custom: the class the watch's metric rule named. */
  customClass: z.string().min(1).max(63).regex(/^[A-Z][A-Za-z0-9]*$/, 'must be a CamelCase class name').optional(),
});
export type HealingIncidentSpec = z.output<typeof HealingIncidentSpec>;

/** A metric breach: the rule, the value that breached, and a small series around it. */
export const MetricEvidence = z.object({
  rule: z.string().max(128),
  /** Where it came from: a Prometheus rule of the watch, or an Alertmanager alert. */
  source: z.enum(['prometheus', 'alertmanager']),
  query: z.string().max(4096).optional(),
  threshold: z.number().optional(),
  comparison: z.enum(['above', 'below']).optional(),
  value: z.number().optional(),
  /** The pod whose series or alert it was, when it names one. */
  pod: z.string().max(253).optional(),
  /** Samples as [unix seconds, value], at most 60, oldest first (the worst series of the workload). */
  points: z.array(z.object({ t: z.int(), v: z.number() })).max(60).optional(),
});
export type MetricEvidence = z.output<typeof MetricEvidence>;

export const Evidence = z.object({
  summary: z.string().max(4096),
  restartCount: z.int().min(0).optional(),
  exitCode: z.int().optional(),
  reason: z.string().max(256).optional(),
  /** GitOps failures: the Git revision the engine could not apply, and the last one it did. */
  revision: z.string().max(256).optional(),
  appliedRevision: z.string().max(256).optional(),
  events: z
    .array(z.object({ reason: z.string().max(256), message: z.string().max(512), count: z.int().min(0), lastSeen: DateTime }))
    .max(20)
    .optional(),
  logExcerpt: z.string().max(8192).optional(),
  ownerChain: z.array(z.string().max(512)).max(10).optional(),
  templateChange: z.string().max(4096).optional(),
  /** The workload's pod template as YAML, trimmed of what says nothing about the failure. */
  podTemplate: z.string().max(8192).optional(),
  /** A metric signal: its rule and the series around the incident, for the sparkline. */
  metric: MetricEvidence.optional(),
  /** The workload's rollouts (ReplicaSet revisions) in and before the incident's window, oldest first. */
  rollouts: z.array(z.object({ revision: z.string().max(32), at: DateTime, image: z.string().max(512).optional() })).max(10).optional(),
  /** Secrets masked in this evidence before it was stored (see src/redact). */
  redactions: z.int().min(0).optional(),
});
export type Evidence = z.output<typeof Evidence>;

// The later stages' records are typed here, but the CRD keeps unknown fields in them (up
// to a bound), so that an operator newer than its installed CRD can still write status.
const open = (max: number) => ({ 'x-kubernetes-preserve-unknown-fields': true, maxProperties: max });

export const Diagnosis = z
  .object({
    rootCause: z.string().max(4096),
    confidence: z.number().min(0).max(1),
    // Parameters are strings (quantities, tags, paths), which keeps the CRD structural.
    action: z.object({ type: z.string().min(1).max(63), params: z.record(z.string().max(63), z.string().max(1024)).optional() }),
    engine: z.enum(['rules', 'llm']),
    summary: z.string().max(1024).optional(),
    witty: z.string().max(512).optional(),
  })
  .meta(open(20));
export type Diagnosis = z.output<typeof Diagnosis>;

export const Proposal = z
  .object({
    file: z.string().max(1024).optional(),
    diff: z.string().max(16384).optional(),
    rejectedReason: z.string().max(1024).optional(),
  })
  .meta(open(20));
export type Proposal = z.output<typeof Proposal>;

export const PullRequest = z
  .object({
    url: z.url().max(2048),
    number: z.int().min(1),
    branch: z.string().min(1).max(255),
    state: z.enum(['open', 'merged', 'closed']),
    /** Once merged: the commit the merge made, which a revert undoes. */
    mergeCommit: z.string().max(64).optional(),
  })
  .meta(open(20));
export type PullRequest = z.output<typeof PullRequest>;

/** After a fix that did not heal: the PR that takes it out of Git again, or why there is none. */
export const Revert = z
  .object({
    state: z.enum(['open', 'merged', 'closed', 'refused']),
    url: z.url().max(2048).optional(),
    number: z.int().min(1).optional(),
    reason: z.string().max(1024).optional(),
  })
  .meta(open(20));
export type Revert = z.output<typeof Revert>;

export const Verification = z
  .object({
    result: z.enum(['Healed', 'Failed', 'Pending']),
    timeToHealSeconds: z.number().min(0).optional(),
    checkedAt: DateTime.optional(),
    /** The commit the GitOps engine had applied when the fix was merged: a newer one means it deployed since. */
    engineRevisionAtMerge: z.string().max(64).optional(),
  })
  .meta(open(20));
export type Verification = z.output<typeof Verification>;

export const HealingIncidentStatus = z.object({
  phase: IncidentPhase,
  phaseTimestamps: z.partialRecord(IncidentPhase, DateTime).optional(),
  occurrences: z.int().min(0).optional(),
  firstSeen: DateTime.optional(),
  lastSeen: DateTime.optional(),
  message: z.string().max(1024).optional(),
  evidence: Evidence.optional(),
  diagnosis: Diagnosis.optional(),
  proposal: Proposal.optional(),
  pullRequest: PullRequest.optional(),
  revert: Revert.optional(),
  verification: Verification.optional(),
  conditions: Conditions.optional(),
});
export type HealingIncidentStatus = z.output<typeof HealingIncidentStatus>;

export interface HealingIncident {
  apiVersion?: string;
  kind?: 'HealingIncident';
  metadata: V1ObjectMeta;
  spec: HealingIncidentSpec;
  status?: HealingIncidentStatus;
}

export const HEALING_INCIDENT: ResourceDefinition<typeof HealingIncidentSpec, typeof HealingIncidentStatus> = {
  kind: 'HealingIncident',
  plural: 'healingincidents',
  singular: 'healingincident',
  shortNames: ['hi'],
  description: 'HealingIncident records one failure of one workload (by fingerprint) from detection to heal.',
  spec: HealingIncidentSpec,
  status: HealingIncidentStatus,
  // Every side effect is keyed on the fingerprint, so the identity must not drift.
  specRules: [{ rule: 'self == oldSelf', message: 'spec is set once by the operator and cannot change' }],
  printerColumns: [
    { name: 'Workload', type: 'string', jsonPath: '.spec.workload.name' },
    { name: 'Class', type: 'string', jsonPath: '.spec.signalClass' },
    { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
    { name: 'Occurrences', type: 'integer', jsonPath: '.status.occurrences' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
};
