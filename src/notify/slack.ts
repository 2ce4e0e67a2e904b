// A Slack Incoming Webhook message: Block Kit blocks plus the `text` that notifications,
// screen readers and old clients show instead. Incoming webhooks post to the one channel
// chosen when the webhook was made; no bot token, no scopes.
import { buildContent, type Fact, type MessageContent, type MessageInput } from './content.ts';
import { capList, ELLIPSIS, truncate } from './text.ts';

// Limits from Slack's docs. "Reference: Blocks" (docs.slack.dev/reference/block-kit/blocks):
// up to 50 blocks in a message; "Header block": text max 150 characters; "Section block":
// text max 3000 characters, fields max 10 items of at most 2000 characters each; "Context
// block": max 10 elements. "chat.postMessage" (the `text` argument): keep the fallback
// short; Slack truncates beyond 40,000 characters, we stop at 3000.
export const SLACK_LIMITS = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  contextElements: 10,
  fallbackText: 3000,
} as const;

// Longer links are left as plain text rather than crowd out the field they sit in.
const MAX_LINK_URL = 1000;

export interface SlackText {
  type: 'plain_text' | 'mrkdwn';
  text: string;
  emoji?: boolean;
}

export type SlackBlock =
  | { type: 'header'; text: SlackText }
  | { type: 'section'; text?: SlackText; fields?: SlackText[] }
  | { type: 'context'; elements: SlackText[] };

export interface SlackPayload {
  text: string;
  blocks: SlackBlock[];
  /** A PR link would otherwise unfurl into a card bigger than the message. */
  unfurl_links: false;
  unfurl_media: false;
}

export function buildSlackMessage(input: MessageInput): SlackPayload {
  return formatSlack(buildContent(input));
}

export function formatSlack(content: MessageContent): SlackPayload {
  const blocks: SlackBlock[] = [{ type: 'header', text: { type: 'plain_text', text: truncate(content.headline, SLACK_LIMITS.headerText), emoji: true } }];
  const story = [content.witty ? `_${escape(content.witty)}_` : undefined, escape(content.summary)].filter((line) => line !== undefined).join('\n');
  // Slack refuses empty text, and a redactor may have left none.
  if (story) blocks.push(section(story));
  if (content.rootCause) blocks.push(section(`*Root cause*\n${escape(content.rootCause)}`));
  const more = (left: number): Fact => ({ label: 'More', value: `${left} more not shown` });
  const facts = content.omittedFacts && content.facts.length < SLACK_LIMITS.sectionFields
    ? [...content.facts, more(content.omittedFacts)]
    : capList(content.facts, SLACK_LIMITS.sectionFields, (left) => more(left + content.omittedFacts));
  blocks.push({ type: 'section', fields: facts.map((fact) => ({ type: 'mrkdwn', text: field(fact) })) });
  if (content.diff) blocks.push(codeSection(content.diff));
  const context = capList(content.context.map(escape), SLACK_LIMITS.contextElements, (left) => `${left} more`);
  blocks.push({ type: 'context', elements: context.map((text) => ({ type: 'mrkdwn', text: mrkdwn(text, SLACK_LIMITS.sectionText) })) });

  const link = content.link && content.link.url.length <= MAX_LINK_URL ? ` <${linkUrl(content.link.url)}|${escape(content.link.text)}>` : '';
  const fallback = `${escape(content.headline)}: ${escape(truncate(content.summary, 500))}`;
  return {
    text: mrkdwn(`${truncate(fallback, SLACK_LIMITS.fallbackText - link.length)}${link}`, SLACK_LIMITS.fallbackText),
    blocks: blocks.slice(0, SLACK_LIMITS.blocks),
    unfurl_links: false,
    unfurl_media: false,
  };
}

function section(text: string): SlackBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: mrkdwn(text, SLACK_LIMITS.sectionText) } };
}

/** A diff in a code block, cut inside the fences so the block still closes. */
function codeSection(diff: string): SlackBlock {
  const fence = '```';
  const room = SLACK_LIMITS.sectionText - 2 * fence.length - 2;
  // A fence inside the diff would close the block early.
  const body = escape(diff.replace(/```/g, 'ˋˋˋ'));
  return { type: 'section', text: { type: 'mrkdwn', text: `${fence}\n${mrkdwn(body, room)}\n${fence}` } };
}

/** `*Label*` over the value; cut inside the link, never across it, so `<url|…>` still closes. */
function field(fact: Fact): string {
  const label = `*${mrkdwn(escape(fact.label), 100)}*\n`;
  const room = SLACK_LIMITS.fieldText - label.length;
  if (fact.url && fact.url.length <= MAX_LINK_URL) {
    const url = linkUrl(fact.url);
    return `${label}<${url}|${mrkdwn(escape(fact.value), room - url.length - 3)}>`;
  }
  return `${label}${mrkdwn(escape(fact.value), room)}`;
}

/**
 * Slack reads `<...>` as links and mentions (`<!channel>`) and `&` as an entity, so text
 * from logs or a model is escaped the three ways its "Formatting text" page asks.
 */
function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** In `<url|text>`, a `|` or `>` in the URL would end it early. */
function linkUrl(url: string): string {
  return url.replace(/\|/g, '%7C').replace(/>/g, '%3E');
}

/** Escaped text cut to `max`, never in the middle of an entity such as `&amp;`. */
function mrkdwn(text: string, max: number): string {
  const cut = truncate(text, max);
  if (cut === text) return cut;
  return cut.replace(/&[a-z]{0,3}…$/, ELLIPSIS);
}
