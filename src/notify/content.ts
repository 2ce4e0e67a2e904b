// What a notification says, before any platform's markup: the headline, the story, the
// facts and the links, redacted. The three builders format this one model, so Slack,
// Discord and a webhook never disagree about what happened.
import type { HealingIncident } from '../api/healing-incident.ts';
import { builtInWit } from '../diagnose/wit.ts';
import { openRevert, toEvent, type EventName, type NotificationEvent } from './events.ts';
import { duration, httpUrl } from './text.ts';

export type Style = 'witty' | 'plain';

/** The operator's redactor, e.g. `(text) => redactor.redactText(text).text`. */
export type Redact = (text: string) => string;

/** What every builder takes. */
export interface MessageInput {
  incident: HealingIncident;
  event: NotificationEvent | EventName;
  style: Style;
  redact: Redact;
  /** When it happened, RFC 3339; the notifier passes the time notify() was called. */
  at: string;
}

export interface Fact {
  label: string;
  value: string;
  /** Formatted as a link on the value where the platform has links. */
  url?: string;
}

export interface MessageContent {
  event: NotificationEvent;
  style: Style;
  headline: string;
  /** Witty style only: the diagnosis' line, or the built-in one for the class. */
  witty?: string;
  /** What happened, in a sentence or two. */
  summary: string;
  rootCause?: string;
  facts: Fact[];
  /** Facts left out before formatting (action parameters past MAX_PARAM_FACTS). */
  omittedFacts: number;
  /** The pull request the message is about (the revert's, for a revert). */
  link?: { text: string; url: string };
  /** Only when a pull request opens: the change it proposes. */
  diff?: string;
  /** "Deployment shop/api" (with the container when there is one). */
  workload: string;
  /** Small print: the incident, the watch, the engine. */
  context: string[];
  at: string;
}

/**
 * No platform shows more than 4096 characters of one text (Discord's description), so
 * longer ones are cut before the redactor reads them, with a margin as long as the
 * longest secret it matches whole (its 4 KiB block overlap): whatever of a secret the cut
 * leaves is past every later cut, so it never goes out, and a 20,000-character root cause
 * costs the redactor 8 KiB.
 */
export const PRE_CUT = 4096 + 4096;

/** Facts from action parameters beyond this are counted, not built: no platform shows 25 of them. */
export const MAX_PARAM_FACTS = 25;

/** Every string in a JSON-like value cut to `preCut` and through `redact`; keys are the code's own and stay. */
export function redactStrings<T>(value: T, redact: Redact, preCut = PRE_CUT): T {
  if (typeof value === 'string') return redact(value.slice(0, preCut)) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redactStrings(item, redact, preCut)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactStrings(item, redact, preCut)])) as T;
  }
  return value;
}

export function buildContent(input: MessageInput): MessageContent {
  // The event, style and time are the code's own words; everything else passes the redactor.
  const { event, style, at, link: rawLink, ...text } = rawContent(input);
  const redacted = redactStrings({ ...text, link: rawLink }, input.redact);
  // A URL the redactor changed may no longer be one, and a platform refuses a bad link.
  const url = httpUrl(redacted.link?.url);
  const facts = redacted.facts.map((fact) => {
    const factUrl = httpUrl(fact.url);
    return factUrl ? { ...fact, url: factUrl } : { label: fact.label, value: fact.value };
  });
  const { link, ...rest } = redacted;
  return { ...rest, event, style, at, facts, ...(link && url ? { link: { text: link.text, url } } : {}) };
}

function rawContent({ incident, event: given, style, at }: MessageInput): MessageContent {
  const event = toEvent(given);
  const { spec } = incident;
  const status = incident.status;
  const diagnosis = status?.diagnosis;
  const pr = status?.pullRequest;
  const revert = openRevert(incident);
  const { kind, namespace, name } = spec.workload;
  const workload = `${kind} ${namespace}/${name}${spec.container ? ` (container ${spec.container})` : ''}`;
  const witty = style === 'witty' ? (diagnosis?.witty ?? builtInWit(spec.signalClass, spec.fingerprint)) : undefined;
  const healedIn = status?.verification?.timeToHealSeconds;

  const facts: Fact[] = [
    { label: 'Workload', value: workload },
    { label: 'Class', value: spec.signalClass },
  ];
  if (status?.phase) facts.push({ label: 'Phase', value: status.phase });
  if (pr) facts.push({ label: event.name === 'failed' ? 'Fix' : 'Pull request', value: `#${pr.number} (${pr.state})`, url: pr.url });
  if (event.name === 'failed' && revert) facts.push({ label: 'Revert', value: revert.number ? `#${revert.number} (open)` : 'open', url: revert.url });
  if (event.name === 'healed' && healedIn !== undefined) facts.push({ label: 'Time to heal', value: duration(healedIn) });
  if (event.name === 'failed' && status?.verification) facts.push({ label: 'Verification', value: status.verification.result });
  if (diagnosis) {
    facts.push({ label: 'Action', value: diagnosis.action.type });
    facts.push({ label: 'Confidence', value: `${Math.round(diagnosis.confidence * 100)} %` });
    facts.push({ label: 'Diagnosed by', value: diagnosis.engine === 'llm' ? 'a model' : 'the rules' });
  }
  if ((event.name === 'pullRequestOpened' || event.name === 'fixProposed') && status?.proposal?.file) facts.push({ label: 'File', value: status.proposal.file });
  if (event.name === 'detected' && (status?.occurrences ?? 0) > 1) facts.push({ label: 'Occurrences', value: String(status?.occurrences) });
  // Parameters last: when a platform caps the fields, they are what is left out.
  const params = Object.entries(diagnosis?.action.params ?? {});
  for (const [key, value] of params.slice(0, MAX_PARAM_FACTS)) facts.push({ label: key, value });

  const link = event.followUp === 'revert' && revert
    ? { text: revert.number ? `Revert #${revert.number}` : 'Revert', url: revert.url }
    : pr ? { text: `Pull request #${pr.number}`, url: pr.url } : undefined;

  return {
    event,
    style,
    headline: headline(event, style, { kind, namespace, name, signalClass: spec.signalClass, healedIn, revertNumber: revert?.number }),
    ...(witty ? { witty } : {}),
    summary: summary(incident, event),
    ...(diagnosis && event.name !== 'healed' ? { rootCause: diagnosis.rootCause } : {}),
    facts,
    omittedFacts: Math.max(0, params.length - MAX_PARAM_FACTS),
    ...(link ? { link } : {}),
    ...((event.name === 'pullRequestOpened' || event.name === 'fixProposed') && status?.proposal?.diff ? { diff: status.proposal.diff } : {}),
    workload,
    context: [
      `HealingIncident ${incident.metadata.namespace ?? namespace}/${incident.metadata.name ?? ''}`,
      `AegisWatch ${spec.watch}`,
      'GopherGuard',
    ],
    at,
  };
}

interface HeadlineFacts {
  kind: string;
  namespace: string;
  name: string;
  signalClass: string;
  healedIn: number | undefined;
  revertNumber: number | undefined;
}

function headline(event: NotificationEvent, style: Style, f: HeadlineFacts): string {
  const target = `${f.kind} ${f.namespace}/${f.name}`;
  const took = f.healedIn === undefined ? '' : ` in ${duration(f.healedIn)}`;
  const revert = f.revertNumber ? ` #${f.revertNumber}` : '';
  if (style === 'plain') {
    if (event.followUp === 'revert') return `Revert proposed${revert}: the fix for ${target} did not heal it`;
    switch (event.name) {
      case 'detected': return `Detected: ${f.signalClass} in ${target}`;
      case 'fixProposed': return `Fix proposed (suggest mode, no pull request): ${f.signalClass} in ${target}`;
      case 'pullRequestOpened': return `Pull request opened: ${f.signalClass} fix for ${target}`;
      case 'healed': return `Healed: ${target} (${f.signalClass})${took}`;
      case 'failed': return `Fix failed: ${target} (${f.signalClass})`;
    }
  }
  if (event.followUp === 'revert') return `↩️ Taking back the fix for ${f.kind} ${f.name}: revert${revert} is up`;
  switch (event.name) {
    case 'detected': return `🚨 ${f.kind} ${f.name} is having a moment (${f.signalClass})`;
    case 'fixProposed': return `💡 A fix for ${f.kind} ${f.name} is ready, yours to apply`;
    case 'pullRequestOpened': return `🩹 A fix for ${f.kind} ${f.name} is up for review`;
    case 'healed': return `🎉 ${f.kind} ${f.name} is back on its feet${took}`;
    case 'failed': return `😬 The fix did not take: ${f.kind} ${f.name} still has ${f.signalClass}`;
  }
}

/** Never empty: Slack refuses a section with empty text. */
function summary(incident: HealingIncident, event: NotificationEvent): string {
  const status = incident.status;
  const { kind, name } = incident.spec.workload;
  if (event.followUp === 'revert') {
    const revert = openRevert(incident);
    return `The fix did not heal ${kind} ${name}; pull request${revert?.number ? ` #${revert.number}` : ''} takes it out of Git again. Review it: the original failure is still there either way.`;
  }
  switch (event.name) {
    case 'detected':
      return status?.evidence?.summary || status?.message || `${incident.spec.signalClass} seen on ${kind} ${name}.`;
    case 'fixProposed':
      return `${status?.diagnosis?.summary || `A fix for ${kind} ${name} was checked by the guard.`} Suggest mode: no pull request was opened; the diff is below and on the incident.`;
    case 'pullRequestOpened':
      return status?.diagnosis?.summary || status?.message || `A pull request proposes a fix for ${kind} ${name}.`;
    case 'healed':
      return status?.message || `${kind} ${name} is healthy again after the fix.`;
    case 'failed':
      return status?.message || `The fix was deployed but ${kind} ${name} still fails.`;
  }
}
