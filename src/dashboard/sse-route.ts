// GET /events: a Server-Sent Events stream fed by the live hub.
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { parseRange } from './chart.ts';
import type { LiveHub, LiveMessage } from './live.ts';
import type { DashboardLog } from './source.ts';

// A browser this far behind is gone or stuck; it reconnects and gets the whole state anyway.
const MAX_PENDING_WRITES = 64;

export function eventsRoute(hub: LiveHub, log: DashboardLog) {
  return (c: Context) => {
    // Hono answers HEAD by running the GET handler and dropping the body; a stream would
    // then never be cancelled and its subscription would leak.
    if (c.req.method === 'HEAD') return c.body(null, 200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    if (hub.full) {
      log('warn', 'dashboard: too many live connections, refusing one', { open: hub.size });
      return c.text('Too many live connections', 503, { 'Retry-After': '30' });
    }
    const range = parseRange(c.req.query('range'));
    // An incident page follows one incident: "namespace/name".
    const incident = c.req.query('incident');
    if (incident !== undefined && !/^[a-z0-9-]{1,63}\/[a-z0-9.-]{1,253}$/.test(incident)) return c.text('incident must be namespace/name', 400);
    return streamSSE(c, async (stream) => {
      await new Promise<void>((resolve) => {
        let pending = 0;
        let queue = Promise.resolve();
        let unsubscribe = (): void => {}; // replaced once subscribed
        let ended = false;
        const end = () => {
          if (ended) return;
          ended = true;
          unsubscribe();
          resolve();
        };
        // Write errors are swallowed by Hono's stream, so writes are queued (to keep their
        // order) and counted (to drop a client that stopped reading).
        const send = (message: LiveMessage) => {
          if (ended || stream.aborted || stream.closed) return end();
          if (++pending > MAX_PENDING_WRITES) {
            log('warn', 'dashboard: a live connection stopped reading; closing it');
            return end();
          }
          queue = queue
            .then(() => ('comment' in message ? stream.write(`: ${message.comment}\n\n`).then(() => {}) : stream.writeSSE(message)))
            .catch(() => end())
            .finally(() => pending--);
        };
        // Bound to both: onAbort alone is unreliable on some runtimes (honojs/hono#2049).
        stream.onAbort(end);
        c.req.raw.signal.addEventListener('abort', end, { once: true });
        const subscription = hub.subscribe({ range, send, end, ...(incident !== undefined ? { incident } : {}) });
        if (subscription) unsubscribe = subscription;
        // Gone (or refused) while subscribing: the initial sends may already have ended it.
        if (!subscription || ended || c.req.raw.signal.aborted) {
          subscription?.();
          end();
        }
        log('debug', 'dashboard: live connection opened', { open: hub.size });
      });
      log('debug', 'dashboard: live connection closed', { open: hub.size });
    });
  };
}
