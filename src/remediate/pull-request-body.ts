// The pull request a person reviews: what broke, why GopherGuard thinks so (with the
// evidence, redacted, folded away), the exact change and its bounds, how the heal will be
// checked, and hidden metadata the operator reads back after a restart.
import type { HealingIncident, Evidence } from '../api/healing-incident.ts';
import type { RemedyAction } from '../diagnose/remedy-action.ts';

export interface PullRequestContent {
  incident: HealingIncident;
  action: RemedyAction;
  file: string;
  diff: string;
  /** The guard's bounds for this action, in words ("at most 2x the 128Mi in Git, under 4Gi"). */
  bounds: string[];
  /** Masks secrets in any text taken from the cluster (the operator's redactor). */
  redact: (text: string) => string;
  personality: 'witty' | 'plain';
}

export const PULL_REQUEST_LABELS = ['gopherguard', 'automated-fix'];
const METADATA = /<!-- gopherguard:(\{.*?\}) -->/;

export interface PullRequestMetadata {
  incident: string;
  namespace: string;
  fingerprint: string;
  action: string;
}

/** One line, under GitHub's and GitLab's title limits. */
export function pullRequestTitle(incident: HealingIncident, action: RemedyAction): string {
  const { kind, name } = incident.spec.workload;
  const what: Record<RemedyAction['type'], string> = {
    raiseResource: 'raise a resource limit',
    setImageTag: 'set the image tag',
    revertField: 'revert a field',
    revertCommit: 'revert a commit',
    fixProbe: 'fix a probe',
    addStartupProbe: 'add a startup probe',
    fitRequests: 'fit resource requests to the nodes',
    restoreEnv: 'restore an environment variable',
    none: 'explain',
  };
  return `fix(${kind.toLowerCase()}/${name}): ${what[action.type]} (${incident.spec.customClass ?? incident.spec.signalClass})`.slice(0, 250);
}

export function pullRequestBody(c: PullRequestContent): string {
  const { incident, action } = c;
  const status = incident.status;
  const diagnosis = status?.diagnosis;
  const evidence = status?.evidence;
  const { kind, namespace, name } = incident.spec.workload;
  const params = Object.entries(action).filter(([k]) => k !== 'type').map(([k, v]) => `\`${k}\`: \`${String(v)}\``).join(', ');
  const details = (summary: string, body: string | undefined) =>
    body ? `<details><summary>${summary}</summary>\n\n\`\`\`\n${c.redact(body).replaceAll('```', "'''")}\n\`\`\`\n\n</details>\n` : undefined;
  const events = (evidence?.events ?? []).map((e) => `${e.reason} x${e.count}: ${e.message}`).join('\n');
  const metadata: PullRequestMetadata = { incident: incident.metadata.name ?? '', namespace: incident.metadata.namespace ?? '', fingerprint: incident.spec.fingerprint, action: action.type };
  const lines = [
    `## ${incident.spec.customClass ?? incident.spec.signalClass} in ${kind} \`${namespace}/${name}\`${incident.spec.container ? `, container \`${incident.spec.container}\`` : ''}`,
    '',
    c.personality === 'witty' && diagnosis?.witty ? `> ${c.redact(diagnosis.witty)}\n` : undefined,
    `**Cause** (${diagnosis?.engine ?? 'rules'}, confidence ${diagnosis?.confidence ?? '?'}): ${c.redact(diagnosis?.rootCause ?? 'unknown')}`,
    '',
    `**Change**: \`${action.type}\` ${params} in \`${c.file}\`.`,
    '',
    '```diff',
    c.diff.replaceAll('```', "'''").trimEnd(),
    '```',
    '',
    `**Bounds** checked by GopherGuard's guard and a server-side dry-run:`,
    ...c.bounds.map((b) => `- ${b}`),
    '',
    '**Verification**: after this merges and the GitOps engine syncs, GopherGuard watches the workload; the incident becomes `Healed` when it stays healthy, `Failed` otherwise (and says so here).',
    '',
    '### Evidence',
    '',
    evidence?.summary ? `${c.redact(evidence.summary)}\n` : undefined,
    details('Events', events || undefined),
    details('Logs (last lines, secrets masked)', evidence?.logExcerpt),
    details('What changed in the last rollout', evidence?.templateChange),
    details('The metric', metricText(evidence)),
    `<sub>Opened by GopherGuard for HealingIncident \`${namespace}/${incident.metadata.name}\`. Close this PR to reject the fix: it will not be opened again for the same change.</sub>`,
    `<!-- gopherguard:${JSON.stringify(metadata)} -->`,
  ];
  // GitHub caps bodies at 65,536 characters; keep well under, cutting the evidence first.
  return lines.filter((l) => l !== undefined).join('\n').replace(/\n{3,}/g, '\n\n').slice(0, 60_000);
}

/** A metric incident's rule, query, recent samples and the rollouts beside them, as plain text. */
function metricText(evidence: Evidence | undefined): string | undefined {
  const metric = evidence?.metric;
  if (!metric) return undefined;
  const at = (seconds: number) => new Date(seconds * 1000).toISOString().slice(11, 19);
  return [
    `${metric.source === 'alertmanager' ? 'Alertmanager alert' : 'Rule'} ${metric.rule}${metric.threshold === undefined ? '' : `, threshold ${metric.comparison === 'below' ? '<' : '>'} ${metric.threshold}`}${metric.value === undefined ? '' : `, value ${metric.value}`}`,
    metric.query ? `query: ${metric.query}` : undefined,
    ...(metric.points ?? []).slice(-12).map((p) => `${at(p.t)} UTC  ${p.v}`),
    ...(evidence?.rollouts ?? []).map((r) => `rollout: revision ${r.revision} at ${r.at}${r.image ? ` (${r.image})` : ''}`),
  ].filter((l) => l !== undefined).join('\n');
}

/** The metadata an earlier run wrote into a PR body, if any. */
export function readPullRequestMetadata(body: string | undefined): PullRequestMetadata | undefined {
  const match = METADATA.exec(body ?? '');
  if (!match?.[1]) return undefined;
  try {
    return JSON.parse(match[1]) as PullRequestMetadata;
  } catch {
    return undefined;
  }
}

/** The branch of an incident's fix: one per fingerprint, so one PR per incident, ever. */
export function fixBranch(fingerprint: string): string {
  return `gopherguard/${fingerprint}`;
}
