// POST /webhooks/alertmanager: Alertmanager's webhook, with an optional shared bearer token
// (Alertmanager's http_config.authorization). A payload that is not Alertmanager's gets a
// 400 that says why; a failure to record gets a 500, which Alertmanager retries. A flood
// (a sender gone wrong, or many Alertmanagers at once) meets a cap on payloads being
// recorded at once: past it the answer is 503 with Retry-After, which Alertmanager also
// retries, so the API server sees a bounded write load and no alert is lost.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { describeIssues } from '../api/common.ts';
import { AlertmanagerPayload } from './alertmanager-payload.ts';

export const ALERT_WEBHOOK_PATH = '/webhooks/alertmanager';
const MAX_BODY_BYTES = 4 * 1024 * 1024;
export const DEFAULT_MAX_IN_FLIGHT = 8;

export interface AlertReceiverOptions {
  host: string;
  port: number;
  /** When set, requests must carry `Authorization: Bearer <token>`. */
  token?: string;
  take: (payload: AlertmanagerPayload) => Promise<{ recorded: number; resolved: number; ignored: string[] }>;
  /** Payloads recorded at once; more get 503 and are sent again (default DEFAULT_MAX_IN_FLIGHT). */
  maxInFlight?: number;
  log?: (level: 'info' | 'warn', message: string, fields?: Record<string, unknown>) => void;
}

export function startAlertReceiver(options: AlertReceiverOptions): Promise<Server> {
  const maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
  let inFlight = 0;
  let refusedSinceLog = 0;
  const server = createServer((req, res) => {
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) =>
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(`${JSON.stringify(body)}\n`);
    const path = (req.url ?? '/').split('?')[0];
    if (path !== ALERT_WEBHOOK_PATH) return reply(404, { error: `not found: alerts go to POST ${ALERT_WEBHOOK_PATH}` });
    if (req.method !== 'POST') return reply(405, { error: 'use POST' });
    if (options.token && !sameToken(req.headers.authorization, options.token)) return reply(401, { error: 'a valid bearer token is required' });
    if (inFlight >= maxInFlight) {
      // Said once per burst, not once per refused request.
      if (refusedSinceLog++ === 0) options.log?.('warn', 'alert webhook busy; asking the sender to retry', { inFlight, maxInFlight });
      req.resume();
      return reply(503, { error: `busy: ${inFlight} payloads are being recorded; send again shortly` }, { 'retry-after': '1' });
    }
    inFlight += 1;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      inFlight -= 1;
      if (inFlight === 0) refusedSinceLog = 0;
    };
    // Whichever comes first: the handler is done, or the sender went away.
    res.once('close', release);
    void readBody(req).then(async (text) => {
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return reply(400, { error: 'the body is not JSON' });
      }
      const parsed = AlertmanagerPayload.safeParse(json);
      if (!parsed.success) return reply(400, { error: `not an Alertmanager webhook payload: ${describeIssues(parsed.error.issues, 'body').join('; ')}` });
      try {
        const result = await options.take(parsed.data);
        if (result.ignored.length > 0) options.log?.('info', 'alerts ignored', { ignored: result.ignored.slice(0, 10) });
        return reply(200, result);
      } catch (error) {
        options.log?.('warn', 'could not record alerts; Alertmanager will send them again', { error: String(error) });
        return reply(500, { error: 'could not record the alerts now; try again' });
      }
    }, (error: unknown) => reply(413, { error: String((error as Error).message) })).finally(release);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve(server));
  });
}

function sameToken(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer\s+/i, '') ?? '');
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/** The body, or a rejection once it passes the limit: the rest is read and dropped, so the 413 still reaches the sender. */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => (size > MAX_BODY_BYTES ? reject(new Error(`the body is larger than ${MAX_BODY_BYTES} bytes`)) : resolve(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}
