// Where notifications go. A target's URL is a credential (Slack's and Discord's carry
// their token in the path): it is checked here once, and only its host is ever shown.
import { createHash } from 'node:crypto';
import type { Style } from './content.ts';
import type { EventName } from './events.ts';

export type TargetType = 'slack' | 'discord' | 'webhook';
export const TARGET_TYPES: readonly TargetType[] = ['slack', 'discord', 'webhook'];

export interface NotificationTarget {
  type: TargetType;
  /** The webhook URL, read from a Secret by the caller. A secret: never logged. */
  url: string;
  style: Style;
  /** Only these events; all when absent. */
  events?: readonly EventName[];
}

/** Stable per type and URL, and not the URL: rate budgets and de-duplication are keyed on it. */
export function targetId(target: Pick<NotificationTarget, 'type' | 'url'>): string {
  return `${target.type}:${createHash('sha256').update(target.url).digest('hex').slice(0, 16)}`;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Slack's and Discord's URLs carry their token in the path, so they go over https only
 * (plain http to this machine is allowed, for tests and local relays). A generic webhook
 * may be a plain-http Service in the cluster.
 */
export function checkUrl(target: NotificationTarget): { ok: true; host: string } | { ok: false; reason: string } {
  let url: URL;
  try {
    url = new URL(target.url);
  } catch {
    return { ok: false, reason: 'not a URL' };
  }
  if (url.protocol === 'https:') return { ok: true, host: url.host };
  if (url.protocol !== 'http:') return { ok: false, reason: `scheme ${url.protocol} is not http(s)` };
  if (target.type === 'webhook' || LOOPBACK_HOSTS.has(url.hostname)) return { ok: true, host: url.host };
  return { ok: false, reason: `a ${target.type} webhook URL must be https (it carries a token)` };
}
