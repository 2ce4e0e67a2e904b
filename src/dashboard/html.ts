// Markup helpers. Every page is built with Hono's `html` tag, which escapes whatever is
// interpolated; `raw` is kept for our own fragments and for SVG built from numbers.
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { httpUrl } from '../notify/text.ts';

export type Html = HtmlEscapedString;
export { raw };

/**
 * `html`, but synchronous: Hono types its result as possibly a Promise (for async
 * components), and fragments that go out over SSE must be plain strings. We never
 * interpolate promises, so one here is a programming error.
 */
export function h(strings: TemplateStringsArray, ...values: unknown[]): Html {
  const out = html(strings, ...values);
  if (out instanceof Promise) throw new Error('dashboard markup must not interpolate promises');
  return out;
}

/** Only http(s) links become hrefs: status fields are writable by anyone with status RBAC. */
export const safeHref = httpUrl;

export function link(url: string | undefined, text: string): Html {
  const href = safeHref(url);
  return href ? h`<a href="${href}" rel="noopener noreferrer">${text}</a>` : h`${text}`;
}

/** Times in UTC: the page is rendered on the server, which does not know the reader's zone. */
export function formatTime(iso: string | undefined): Html {
  const ms = iso ? Date.parse(iso) : NaN;
  if (!iso || Number.isNaN(ms)) return h`<span class="muted">—</span>`;
  const text = new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC').replace(/Z$/, ' UTC');
  return h`<time datetime="${new Date(ms).toISOString()}">${text}</time>`;
}

export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '—';
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** The first line of a message, shortened for a table cell. */
export function oneLine(text: string | undefined, max = 160): string {
  const line = (text ?? '').trim().split(/\r?\n/, 1)[0] ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export function incidentPath(namespace: string | undefined, name: string | undefined): string {
  return `incidents/${encodeURIComponent(namespace ?? '')}/${encodeURIComponent(name ?? '')}`;
}

/**
 * An id for an incident's element, one per namespace/name and never the same for two:
 * anything outside [a-z0-9-] is spelled as _hex_, and "~" (never produced) separates.
 */
export function domId(prefix: string, namespace: string | undefined, name: string | undefined): string {
  const encode = (s: string | undefined) => (s ?? '').replace(/[^a-z0-9-]/gu, (c) => `_${(c.codePointAt(0) ?? 0).toString(16)}_`);
  return `${prefix}~${encode(namespace)}~${encode(name)}`;
}
