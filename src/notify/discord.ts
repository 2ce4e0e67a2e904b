// A Discord webhook message: one embed (title, description, colour per event, fields, a
// link to the PR, footer, timestamp) and a one-line `content` for push notifications.
import type { EventName } from './events.ts';
import { buildContent, type Fact, type MessageContent, type MessageInput } from './content.ts';
import { truncate } from './text.ts';

// Limits from Discord's docs. "Execute Webhook" (Webhook resource): content up to 2000
// characters, up to 10 embeds. "Embed Limits" (Message resource): title 256, description
// 4096, up to 25 fields, field name 256, field value 1024, footer text 2048, author name
// 256, and at most 6000 characters in all titles, descriptions, field names and values,
// footer texts and author names of a message together. Over any of them, the whole
// message is refused with a 400.
export const DISCORD_LIMITS = {
  content: 2000,
  embeds: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  total: 6000,
  username: 80,
} as const;

// Colours as the eye reads them: amber for news, blue for a proposal, green, red.
export const DISCORD_COLORS: Record<EventName, number> = {
  detected: 0xf0a020,
  fixProposed: 0x8b5cf6,
  pullRequestOpened: 0x3b82f6,
  healed: 0x2eb67d,
  failed: 0xe01e5a,
};

export interface DiscordField {
  name: string;
  value: string;
  inline?: boolean;
}

export interface DiscordEmbed {
  title: string;
  description?: string;
  url?: string;
  color: number;
  timestamp: string;
  author?: { name: string };
  fields: DiscordField[];
  footer: { text: string };
}

export interface DiscordPayload {
  content: string;
  username: string;
  embeds: DiscordEmbed[];
  /** No @everyone, @here, role or user pings, whatever a log line or a model wrote. */
  allowed_mentions: { parse: [] };
}

// Room kept for the description before fields are left out: the root cause matters more
// than the fortieth action parameter.
const DESCRIPTION_RESERVE = 1500;

export function buildDiscordMessage(input: MessageInput): DiscordPayload {
  return formatDiscord(buildContent(input));
}

export function formatDiscord(content: MessageContent): DiscordPayload {
  const title = truncate(content.headline, DISCORD_LIMITS.title);
  const author = truncate(content.workload, DISCORD_LIMITS.authorName);
  const footer = truncate(content.context.join(' · '), DISCORD_LIMITS.footerText);
  const fixed = title.length + author.length + footer.length;

  const description = story(content);
  // Fields fit in what the fixed parts leave, minus a reserve for the description; the
  // ones that do not are counted in a last field instead.
  const fieldRoom = DISCORD_LIMITS.total - fixed - Math.min(description.length, DESCRIPTION_RESERVE);
  const fields = fitFields(content.facts.map(field), fieldRoom, DISCORD_LIMITS.fields, content.omittedFacts);
  const used = fixed + fields.reduce((sum, f) => sum + f.name.length + f.value.length, 0);
  const descriptionRoom = Math.min(DISCORD_LIMITS.description, DISCORD_LIMITS.total - used);

  const embed: DiscordEmbed = {
    title,
    ...(description && descriptionRoom > 0 ? { description: truncate(description, descriptionRoom) } : {}),
    ...(content.link ? { url: content.link.url } : {}),
    color: DISCORD_COLORS[content.event.name],
    timestamp: content.at,
    author: { name: author },
    fields,
    footer: { text: footer },
  };
  return {
    content: truncate(escape(content.headline), DISCORD_LIMITS.content),
    username: 'GopherGuard',
    embeds: [embed].slice(0, DISCORD_LIMITS.embeds),
    allowed_mentions: { parse: [] },
  };
}

/** The witty line, what happened, the root cause, and for a new PR its diff. */
function story(content: MessageContent): string {
  const parts = [
    content.witty ? `*${escape(content.witty)}*` : undefined,
    escape(content.summary),
    content.rootCause ? `**Root cause**\n${escape(content.rootCause)}` : undefined,
  ].filter((part): part is string => part !== undefined && part !== '');
  let text = parts.join('\n\n');
  // The diff goes last and only if it fits whole enough to read: a code block cut in the
  // middle would not close.
  if (content.diff) {
    const room = DISCORD_LIMITS.description - text.length - 20;
    if (room > 200) text += `\n\n\`\`\`diff\n${truncate(content.diff.replace(/```/g, 'ˋˋˋ'), room)}\n\`\`\``;
  }
  return text;
}

function field(fact: Fact): DiscordField {
  const name = truncate(fact.label, DISCORD_LIMITS.fieldName) || '·';
  if (fact.url && fact.url.length < DISCORD_LIMITS.fieldValue / 2) {
    // Brackets would end the masked link's text early.
    const text = truncate(escape(fact.value.replace(/[[\]]/g, '')), DISCORD_LIMITS.fieldValue - fact.url.length - 4) || 'link';
    return { name, value: `[${text}](${fact.url})`, inline: text.length <= 40 };
  }
  const value = truncate(escape(fact.value), DISCORD_LIMITS.fieldValue) || '—';
  return { name, value, inline: value.length <= 40 };
}

function more(left: number): DiscordField {
  return { name: 'More', value: `${left} more not shown`, inline: true };
}

// Enough for any "More / N more not shown" field.
const MORE_SIZE = 40;

/**
 * As many fields, in order, as fit in `room` characters and in `max` fields; when some
 * do not (or `omitted` were left out before), a last field counts them.
 */
function fitFields(fields: DiscordField[], room: number, max: number, omitted: number): DiscordField[] {
  const size = (f: DiscordField) => f.name.length + f.value.length;
  const kept: DiscordField[] = [];
  let used = 0;
  for (const [index, f] of fields.entries()) {
    const last = index === fields.length - 1 && omitted === 0;
    const fits = last
      ? kept.length + 1 <= max && used + size(f) <= room
      : kept.length + 1 <= max - 1 && used + size(f) + MORE_SIZE <= room;
    if (!fits) {
      if (used + MORE_SIZE <= room && kept.length < max) kept.push(more(fields.length - index + omitted));
      return kept;
    }
    kept.push(f);
    used += size(f);
  }
  if (omitted > 0) kept.push(more(omitted));
  return kept;
}

/**
 * Discord renders markdown in content, descriptions and field values; text from logs or
 * a model is escaped so that `**`, backticks or a `# ` line show as written.
 */
function escape(text: string): string {
  // Line starts only where they would make a heading, a quote, subtext or a list.
  return text.replace(/[\\*_~`|[\]]/g, '\\$&').replace(/^(?=#{1,3} |>|-# |- )/gm, '\\');
}
