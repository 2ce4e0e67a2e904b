// Chat notifications: which incident changes are news (events.ts), how each platform is
// told (slack.ts, discord.ts, webhook.ts: pure, redacted, within the platforms' limits),
// and a Notifier that sends them in the background, once, at a bounded rate.
export { eventFor, eventKey, openRevert, toEvent, type EventName, type NotificationEvent } from './events.ts';
export { buildContent, type Fact, type MessageContent, type MessageInput, type Redact, type Style } from './content.ts';
export { buildSlackMessage, formatSlack, SLACK_LIMITS, type SlackBlock, type SlackPayload, type SlackText } from './slack.ts';
export { buildDiscordMessage, formatDiscord, DISCORD_COLORS, DISCORD_LIMITS, type DiscordEmbed, type DiscordField, type DiscordPayload } from './discord.ts';
export { buildWebhookPayload, WEBHOOK_LIMITS, WEBHOOK_PAYLOAD_VERSION, type WebhookPayload } from './webhook.ts';
export { DEFAULT_RETRY, type RetryOptions, type Sleep } from './deliver.ts';
export { DEFAULT_RATE_LIMIT, type RateLimit } from './limits.ts';
export { checkUrl, TARGET_TYPES, targetId, type NotificationTarget, type TargetType } from './targets.ts';
export { Notifier, type NotifierOptions, type NotifierStats, type NotifyLog, type NotifyResult, type TargetCounters } from './notifier.ts';
