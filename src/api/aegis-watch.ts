// AegisWatch: what to guard, where its truth lives in Git, and how boldly to act.
import type { V1ObjectMeta } from '@kubernetes/client-node';
import { z } from 'zod';
import {
  Conditions,
  DateTime,
  LabelSelector,
  NamespaceName,
  ResourceName,
  oneOfFields,
  secretKeyRef,
  httpsOrLoopbackUrl,
  urlWith,
  withRule,
  type ResourceDefinition,
} from './common.ts';

export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'] as const;
export const WorkloadKind = z.enum(WORKLOAD_KINDS);
export type WorkloadKind = z.output<typeof WorkloadKind>;

export const Targets = oneOfFields(
  z.object({
    workloads: z.array(z.object({ kind: WorkloadKind, name: ResourceName })).min(1).max(100).optional(),
    selector: LabelSelector.optional(),
  }),
  ['workloads', 'selector'],
  'give workloads or a selector',
  true,
);

export const FORGES = ['github', 'gitlab', 'gitea'] as const;

/** How to open pull requests when the source is an Argo CD Application or a Flux Kustomization. */
export const Forge = z.object({
  /** Guessed from the repository's host when absent (github.com, gitlab.com; else gitea). */
  type: z.enum(FORGES).optional(),
  secretRef: secretKeyRef('token'),
  /** For self-hosted forges whose API is not at the usual place. */
  apiURL: httpsOrLoopbackUrl().optional(),
});

export const Source = oneOfFields(
  z.object({
    argoCD: z.object({ application: ResourceName, namespace: NamespaceName.optional() }).optional(),
    flux: z.object({ kustomization: ResourceName, namespace: NamespaceName.optional() }).optional(),
    git: z
      .object({
        repo: httpsOrLoopbackUrl(),
        branch: z.string().min(1).max(255).default('main'),
        path: z.string().min(1).max(1024).default('.'),
        forge: z.enum(FORGES),
        secretRef: secretKeyRef('token').optional(),
      })
      .optional(),
  }),
  ['argoCD', 'flux', 'git'],
  'give exactly one of argoCD, flux or git',
);

// `prefault` (not `default`) so that zod fills the nested defaults in, as the API server does.
const toggle = () => z.object({ enabled: z.boolean().default(true) }).prefault({});

export const Detectors = z
  .object({
    crashLoop: z
      .object({
        enabled: z.boolean().default(true),
        restartThreshold: z.int().min(1).max(100).default(1),
        windowSeconds: z.int().min(10).max(86400).default(600),
      })
      .prefault({}),
    oomKilled: toggle(),
    imagePull: toggle(),
    configError: toggle(),
    probeFailures: z.object({ enabled: z.boolean().default(true), threshold: z.int().min(1).max(1000).default(3) }).prefault({}),
    unschedulable: z.object({ enabled: z.boolean().default(true), pendingSeconds: z.int().min(0).max(86400).default(60) }).prefault({}),
    rolloutStuck: z.object({
      enabled: z.boolean().default(true),
      /**
       * A rollout that made no progress for this long is stuck, even before the Deployment's
       * own progressDeadlineSeconds (600 by default) says so. Absent: that deadline alone.
       */
      deadlineSeconds: z.int().min(30).max(86400).optional(),
    }).prefault({}),
    gitOps: toggle(),
    // An incident on which nothing was done yet closes as Resolved once its failure has
    // not been seen for this long: the workload healed by itself.
    resolveAfterSeconds: z.int().min(10).max(86400).default(300),
    // After a fix is live, the workload must stay healthy this long to count as Healed.
    verifySeconds: z.int().min(5).max(3600).default(120),
  })
  .prefault({});
export type Detectors = z.output<typeof Detectors>;

/** The classes a metric rule can raise besides a custom one (see METRIC_RULE_CLASS). */
export const METRIC_CLASSES = ['ErrorRate', 'Latency', 'CpuThrottling', 'MemorySaturation'] as const;

const PromLabel = z.string().min(1).max(128).regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'must be a Prometheus label name');

/**
 * How a rule's series name the workload: a label with the workload's own name (kube-state
 * style "deployment"), or the pod's name, which the operator follows to its owner.
 */
export const SeriesLabels = z.object({
  namespace: PromLabel.default('namespace'),
  pod: PromLabel.default('pod'),
  /** A label that carries the workload's name directly (e.g. deployment); preferred over pod when present on a series. */
  workload: PromLabel.optional(),
  container: PromLabel.default('container'),
}).prefault({});
export type SeriesLabels = z.output<typeof SeriesLabels>;

const builtInRule = (threshold: number, forSeconds: number, max: number) => z.object({
  enabled: z.boolean().default(true),
  threshold: z.number().min(0).max(max).default(threshold),
  forSeconds: z.int().min(0).max(86400).default(forSeconds),
}).prefault({});

export const MetricRule = z.object({
  name: z.string().min(1).max(63).regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a lower-case DNS label'),
  /** PromQL; each series it returns is one pod's (or workload's) value. */
  expr: z.string().min(1).max(4096),
  threshold: z.number(),
  /** Whether a value above (the default) or below the threshold is the failure. */
  comparison: z.enum(['above', 'below']).default('above'),
  /** The breach must hold this long, as Prometheus's `for`. */
  forSeconds: z.int().min(0).max(86400).default(60),
  /** ErrorRate, Latency, CpuThrottling, MemorySaturation, or a custom class of your own (CamelCase). */
  class: z.string().min(1).max(63).regex(/^[A-Z][A-Za-z0-9]*$/, 'must be a CamelCase class name such as ErrorRate'),
  labels: SeriesLabels,
});
export type MetricRule = z.output<typeof MetricRule>;

export const Prometheus = withRule(
  z.object({
    url: urlWith('http(s)'),
    /** A bearer token for a Prometheus behind an authenticating proxy. */
    secretRef: secretKeyRef('token').optional(),
    timeoutSeconds: z.int().min(1).max(60).default(5),
  }),
  {
    cel: "!has(self.secretRef) || self.url.startsWith('https://') || self.url.matches('^http://(127\\\\.0\\\\.0\\\\.1|localhost)(:[0-9]+)?(/|$)')",
    message: 'a token needs an https:// Prometheus URL (or http:// to 127.0.0.1 or localhost)',
    holds: (p) => p.secretRef === undefined || p.url.startsWith('https://') || /^http:\/\/(127\.0\.0\.1|localhost)(:[0-9]+)?(\/|$)/.test(p.url),
  },
);

export const Metrics = z.object({
  /** Where to query; the operator's --prometheus-url when absent. */
  prometheus: Prometheus.optional(),
  intervalSeconds: z.int().min(5).max(3600).default(30),
  /** The range of rate() in the built-in rules: long enough to hold a few scrapes. */
  rateWindowSeconds: z.int().min(10).max(3600).default(120),
  /** Pod series labels of the built-in rules (cAdvisor and the usual relabelling: namespace, pod, container). */
  labels: SeriesLabels,
  builtIn: z.object({
    /** Share of HTTP answers that are 5xx (http_requests_total by code). */
    errorRate: builtInRule(0.05, 60, 1),
    /** 95th percentile of http_request_duration_seconds, in seconds. */
    latency: builtInRule(1, 120, 3600),
    /** Share of CFS periods throttled (cAdvisor). */
    cpuThrottling: builtInRule(0.25, 300, 1),
    /** Working set over the memory limit (cAdvisor). */
    memorySaturation: builtInRule(0.9, 300, 1),
  }).prefault({}),
  rules: z.array(MetricRule).max(20).optional(),
  /** Firing Alertmanager alerts that name a guarded workload (sent to the operator's /webhooks/alertmanager). */
  alerts: toggle(),
});
export type Metrics = z.output<typeof Metrics>;

export const LlmProvider = z.enum(['openai', 'groq', 'xai', 'openai-compatible', 'ollama']);

export const LlmSettings = withRule(
  z.object({
    provider: LlmProvider,
    model: z.string().min(1).max(200),
    baseURL: urlWith('http(s)').optional(),
    secretRef: secretKeyRef('apiKey').optional(),
    policy: z.enum(['never', 'fallback', 'always']).default('fallback'),
    timeoutSeconds: z.int().min(1).max(300).default(30),
    maxTokensPerIncident: z.int().min(1).max(1_000_000).default(8000),
    maxTokensPerHour: z.int().min(1).max(100_000_000).default(100_000),
    /** Hide namespace, workload, pod and node names from the model (restored in its answer). */
    anonymizeNames: z.boolean().default(false),
  }),
  {
    cel: "self.provider != 'openai-compatible' || has(self.baseURL)",
    message: 'give baseURL for an openai-compatible provider',
    holds: (llm) => llm.provider !== 'openai-compatible' || llm.baseURL !== undefined,
  },
);

// engine llm without llm settings uses the operator's default model (GOPHERGUARD_LLM_*);
// the incident says so when the operator has none.
export const Diagnoser = z.object({
  engine: z.enum(['rules', 'llm']).default('rules'),
  llm: LlmSettings.optional(),
}).prefault({});

export const MODES = ['pullRequest', 'suggest', 'observe', 'autoMerge'] as const;
export const Mode = z.enum(MODES);
export type Mode = z.output<typeof Mode>;

export const Limits = z
  .object({
    maxOpenPullRequests: z.int().min(0).max(1000).default(10),
    pullRequestsPerHour: z.int().min(0).max(1000).default(2),
    cooldownSeconds: z.int().min(0).max(604800).default(900),
  })
  .prefault({});

// fixProposed: suggest mode's fix, recorded on the incident and announced instead of a PR.
export const NOTIFICATION_EVENTS = ['detected', 'fixProposed', 'pullRequestOpened', 'healed', 'failed'] as const;
export const Notification = z.object({
  type: z.enum(['slack', 'discord', 'webhook']),
  secretRef: secretKeyRef('url'),
  events: z.array(z.enum(NOTIFICATION_EVENTS)).min(1).max(NOTIFICATION_EVENTS.length).default([...NOTIFICATION_EVENTS]),
});
export type Notification = z.output<typeof Notification>;

export const AegisWatchSpec = z.object({
  targets: Targets.describe('The workloads to guard: by name, or by a label selector in this namespace.'),
  source: Source.describe('Where the workloads are defined in Git: an Argo CD Application, a Flux Kustomization, or a repository.'),
  forge: Forge.optional().describe('Pull-request credentials when the source is Argo CD or Flux (a git source carries its own): the forge type, a Secret with its token, its API URL.'),
  detectors: Detectors.describe('Which failures to look for, and their thresholds.'),
  diagnoser: Diagnoser.describe('How causes are found: rules only, or rules and an LLM.'),
  mode: Mode.default('pullRequest').describe('What to do with a fix: open a pull request, only suggest it, only observe, or merge it.'),
  limits: Limits.describe('How many pull requests, how often.'),
  notifications: z.array(Notification).max(10).optional().describe('Where to tell people about incidents.'),
  metrics: Metrics.optional().describe('Failures seen only in metrics: Prometheus rules (built-in and your own) and Alertmanager alerts. Off when absent.'),
  personality: z.enum(['witty', 'plain']).default('witty').describe('The tone of summaries and pull requests.'),
});
export type AegisWatchSpec = z.output<typeof AegisWatchSpec>;
/** What a user may write: every defaulted field optional. */
export type AegisWatchSpecInput = z.input<typeof AegisWatchSpec>;

export const AegisWatchStatus = z.object({
  observedGeneration: z.int().min(0).optional(),
  conditions: Conditions.optional(),
  guardedWorkloads: z.int().min(0).optional(),
  openIncidents: z.int().min(0).optional(),
  healingScore: z.number().min(0).max(100).optional(),
  lastIncident: z.object({ name: ResourceName, at: DateTime }).optional(),
});
export type AegisWatchStatus = z.output<typeof AegisWatchStatus>;

export interface AegisWatch {
  apiVersion?: string;
  kind?: 'AegisWatch';
  metadata: V1ObjectMeta;
  spec: AegisWatchSpec;
  status?: AegisWatchStatus;
}

export const AEGIS_WATCH: ResourceDefinition<typeof AegisWatchSpec, typeof AegisWatchStatus> = {
  kind: 'AegisWatch',
  plural: 'aegiswatches',
  singular: 'aegiswatch',
  shortNames: ['aw'],
  description: 'AegisWatch guards workloads deployed by GitOps: it detects failures and proposes fixes to their manifests in Git.',
  spec: AegisWatchSpec,
  status: AegisWatchStatus,
  printerColumns: [
    { name: 'Mode', type: 'string', jsonPath: '.spec.mode' },
    { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
    { name: 'Incidents', type: 'integer', jsonPath: '.status.openIncidents', description: 'Open incidents' },
    { name: 'Score', type: 'number', jsonPath: '.status.healingScore', description: 'Healing Score, 0 to 100' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
};
