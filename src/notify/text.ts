// Cutting text to a platform's limit. A message over a limit is not shortened by Slack or
// Discord: it is refused with a 400, and the notification is lost. So every field is cut
// here, after redaction (a secret cut in half might no longer match its rule, and its
// first half would go out).

export const ELLIPSIS = '…';

/**
 * At most `max` UTF-16 code units, ending in an ellipsis when cut. Both platforms count
 * characters; a code unit count is never lower, so this errs on the short side. A cut
 * never splits a surrogate pair, which would leave invalid UTF-16 in the JSON.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let end = max - ELLIPSIS.length;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, Math.max(0, end))}${ELLIPSIS}`;
}

/**
 * At most `max` items; when there are more, the last kept place says how many were left
 * out (made by `more`), so a reader knows the list is not whole.
 */
export function capList<T>(items: readonly T[], max: number, more: (left: number) => T): T[] {
  if (items.length <= max) return [...items];
  if (max <= 0) return [];
  return [...items.slice(0, max - 1), more(items.length - max + 1)];
}

/** "29 s", "2 min 5 s", "1 h 3 min". */
export function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  const minutes = Math.floor((s % 3600) / 60);
  return `${Math.floor(s / 3600)} h${minutes ? ` ${minutes} min` : ''}`;
}

/** An http(s) URL as the platforms accept it in a link, or undefined (after redaction, say). */
export function httpUrl(text: string | undefined): string | undefined {
  if (!text) return undefined;
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
