// A generic JSON webhook: the incident as data, for a receiver of the user's own (a
// pager, a chat bridge, a ticket system). Stable field names under a version number, so
// a receiver can be written once; the headline and text are there for simple relays.
import type { HealingIncident } from '../api/healing-incident.ts';
import { buildContent, type MessageInput, type Style } from './content.ts';
import { toEvent, type EventName } from './events.ts';
import { truncate } from './text.ts';

export const WEBHOOK_PAYLOAD_VERSION = 1;

// No platform limits here; these keep one message under ~64 KB whatever the incident
// holds (the CRD's own bounds: 4096 for a root cause, 16 KiB for a diff, 63 for a key).
export const WEBHOOK_LIMITS = { text: 4096, diff: 16_384, short: 1024, params: 25 } as const;

export interface WebhookPayload {
  version: typeof WEBHOOK_PAYLOAD_VERSION;
  event: EventName;
  /** Set on the `failed` follow-up that announces the revert pull request. */
  followUp?: 'revert';
  style: Style;
  headline: string;
  /** Witty style only. */
  witty?: string;
  text: string;
  incident: { name: string; namespace: string; watch: string; fingerprint: string };
  workload: { kind: string; namespace: string; name: string; container?: string };
  class: string;
  phase?: string;
  message?: string;
  diagnosis?: {
    summary?: string;
    rootCause: string;
    confidence: number;
    engine: 'rules' | 'llm';
    action: { type: string; params?: Record<string, string> };
  };
  proposal?: { file?: string; diff?: string };
  pullRequest?: { url?: string; number: number; state: string };
  revert?: { state: string; url?: string; number?: number; reason?: string };
  verification?: { result: string; timeToHealSeconds?: number };
  /** When it happened, RFC 3339. */
  at: string;
}

export function buildWebhookPayload(input: MessageInput): WebhookPayload {
  const content = buildContent(input);
  const event = toEvent(input.event);
  // Redact first, then cut: a secret cut in half might no longer match its rule.
  const fit = (text: string, max: number = WEBHOOK_LIMITS.short) => truncate(input.redact(text.slice(0, max + PRE_CUT_MARGIN)), max);
  return {
    version: WEBHOOK_PAYLOAD_VERSION,
    event: event.name,
    ...(event.followUp ? { followUp: event.followUp } : {}),
    style: input.style,
    headline: truncate(content.headline, WEBHOOK_LIMITS.short),
    ...(content.witty ? { witty: truncate(content.witty, WEBHOOK_LIMITS.short) } : {}),
    text: truncate(content.summary, WEBHOOK_LIMITS.text),
    ...incidentData(input.incident, event.name === 'pullRequestOpened' || event.name === 'fixProposed', fit),
    at: input.at,
  };
}

// As in content.ts: the longest secret the redactor matches whole.
const PRE_CUT_MARGIN = 4096;

type IncidentData = Omit<WebhookPayload, 'version' | 'event' | 'followUp' | 'style' | 'headline' | 'witty' | 'text' | 'at'>;

/** The incident's fields, every string through `fit` (redact, then cut). */
function incidentData(incident: HealingIncident, withDiff: boolean, fit: (text: string, max?: number) => string): IncidentData {
  const { spec, status } = incident;
  const diagnosis = status?.diagnosis;
  const pr = status?.pullRequest;
  const revert = status?.revert;
  const params = diagnosis?.action.params;
  const { kind, namespace, name } = spec.workload;
  return {
    incident: {
      name: fit(incident.metadata.name ?? '', 253),
      namespace: fit(incident.metadata.namespace ?? namespace, 63),
      watch: fit(spec.watch, 253),
      fingerprint: fit(spec.fingerprint, 64),
    },
    workload: { kind: fit(kind, 63), namespace: fit(namespace, 63), name: fit(name, 253), ...(spec.container ? { container: fit(spec.container, 63) } : {}) },
    class: fit(spec.signalClass, 63),
    ...(status?.phase ? { phase: fit(status.phase, 63) } : {}),
    ...(status?.message ? { message: fit(status.message) } : {}),
    ...(diagnosis
      ? {
          diagnosis: {
            ...(diagnosis.summary ? { summary: fit(diagnosis.summary) } : {}),
            rootCause: fit(diagnosis.rootCause, WEBHOOK_LIMITS.text),
            confidence: diagnosis.confidence,
            engine: diagnosis.engine,
            action: {
              type: fit(diagnosis.action.type, 63),
              ...(params ? { params: Object.fromEntries(Object.entries(params).slice(0, WEBHOOK_LIMITS.params).map(([k, v]) => [fit(k, 63), fit(v)])) } : {}),
            },
          },
        }
      : {}),
    ...(status?.proposal && (status.proposal.file || (withDiff && status.proposal.diff))
      ? {
          proposal: {
            ...(status.proposal.file ? { file: fit(status.proposal.file) } : {}),
            ...(withDiff && status.proposal.diff ? { diff: fit(status.proposal.diff, WEBHOOK_LIMITS.diff) } : {}),
          },
        }
      : {}),
    ...(pr ? { pullRequest: { url: fit(pr.url, 2048), number: pr.number, state: fit(pr.state, 16) } } : {}),
    ...(revert
      ? {
          revert: {
            state: fit(revert.state, 16),
            ...(revert.url ? { url: fit(revert.url, 2048) } : {}),
            ...(revert.number ? { number: revert.number } : {}),
            ...(revert.reason ? { reason: fit(revert.reason) } : {}),
          },
        }
      : {}),
    ...(status?.verification
      ? {
          verification: {
            result: fit(status.verification.result, 16),
            ...(status.verification.timeToHealSeconds !== undefined ? { timeToHealSeconds: status.verification.timeToHealSeconds } : {}),
          },
        }
      : {}),
  };
}
