// The dashboard as a Hono app: read-only pages, JSON, live updates and the vendored assets.
// It only reads from a DashboardSource, so it can be tested without a cluster or a socket.
import { Hono, type Context } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { overviewJson, summarizeIncident } from './api.ts';
import { isAssetName, loadAssets } from './assets.ts';
import { parseRange } from './chart.ts';
import { renderIncidentPage, renderNotFoundPage } from './incident-page.ts';
import { createLiveHub } from './live.ts';
import { renderOverviewPage } from './overview-page.ts';
import type { DashboardLog, DashboardSource } from './source.ts';
import { eventsRoute } from './sse-route.ts';
import { timeline } from './stats.ts';
import { summarizeWatches } from './watches.ts';

export interface DashboardOptions {
  /** When set, every route wants `Authorization: Bearer <token>`. */
  token?: string;
  now?: () => Date;
  log?: DashboardLog;
  /** Aborting it ends the live-update streams, so that the server can close. */
  signal?: AbortSignal;
  /** Live-update tuning; the defaults suit production, tests shorten them. */
  live?: { maxSubscribers?: number; heartbeatMs?: number; overviewDelayMs?: number };
}

// What bearer-auth accepts in the header (RFC 6750's b64token): a token outside it could never match.
const TOKEN_SYNTAX = /^[A-Za-z0-9._~+/-]+=*$/;

const CSP = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'"],
  connectSrc: ["'self'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
  frameAncestors: ["'none'"],
};

/** The way back to the root from a path: "./" for "/", "../" for "/a/b", "../../" for "/a/b/c". */
export function baseFor(path: string): string {
  const depth = path.split('/').length - 2;
  return depth > 0 ? '../'.repeat(depth) : './';
}

export function createDashboard(source: DashboardSource, options: DashboardOptions = {}): Hono {
  const now = options.now ?? (() => new Date());
  const log: DashboardLog = options.log ?? (() => {});
  if (options.token !== undefined && !TOKEN_SYNTAX.test(options.token)) {
    throw new Error('dashboard token must be letters, digits and -._~+/ (a bearer token), optionally ending in =');
  }
  const assets = loadAssets();
  const hub = createLiveHub({
    source,
    now,
    log,
    maxSubscribers: options.live?.maxSubscribers ?? 100,
    heartbeatMs: options.live?.heartbeatMs ?? 20_000,
    overviewDelayMs: options.live?.overviewDelayMs ?? 250,
  });
  if (options.signal?.aborted) hub.close();
  else options.signal?.addEventListener('abort', () => hub.close(), { once: true });

  const findIncident = (namespace: string, name: string) =>
    source.incidents().find((i) => i.metadata.namespace === namespace && i.metadata.name === name);
  const notFound = (c: Context, what: string) =>
    c.req.path.startsWith('/api/')
      ? c.json({ error: what }, 404)
      : c.html(renderNotFoundPage(what, baseFor(c.req.path), assets).toString(), 404);

  const app = new Hono();
  app.onError((error, c) => {
    // Middleware such as bearer-auth answers by throwing its response.
    if (error instanceof HTTPException) return error.getResponse();
    log('error', 'dashboard: request failed', { path: c.req.path, error: error.stack ?? String(error) });
    return c.text('Internal Server Error', 500);
  });
  app.notFound((c) => notFound(c, `Nothing at ${c.req.path}.`));

  // No HSTS: whoever terminates TLS in front of the dashboard decides that for the domain.
  app.use(secureHeaders({ contentSecurityPolicy: CSP, referrerPolicy: 'no-referrer', xFrameOptions: 'DENY', strictTransportSecurity: false }));
  // Read-only by construction: no route takes a write, and nothing else gets past here.
  app.use(async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return c.text('Method Not Allowed: the dashboard is read-only', 405, { Allow: 'GET, HEAD' });
    await next();
    if (!c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'no-store');
  });
  if (options.token !== undefined) app.use(bearerAuth({ token: options.token }));

  app.get('/', (c) => {
    const model = { incidents: source.incidents(), watches: source.watches(), now: now(), range: parseRange(c.req.query('range')) };
    return c.html(renderOverviewPage(model, assets).toString());
  });

  app.get('/events', eventsRoute(hub, log));

  app.get('/incidents/:namespace/:name', (c) => {
    const { namespace, name } = c.req.param();
    const incident = findIncident(namespace, name);
    if (!incident) return notFound(c, `No incident ${namespace}/${name}: it may have been deleted.`);
    return c.html(renderIncidentPage(incident, assets).toString());
  });

  app.get('/api/overview', (c) => c.json(overviewJson(source.incidents())));
  app.get('/api/incidents', (c) => c.json(timeline(source.incidents()).map(summarizeIncident)));
  app.get('/api/incidents/:namespace/:name', (c) => {
    const { namespace, name } = c.req.param();
    const incident = findIncident(namespace, name);
    return incident ? c.json(incident) : notFound(c, `No incident ${namespace}/${name}.`);
  });
  app.get('/api/watches', (c) => c.json(summarizeWatches(source.watches())));

  app.get('/assets/:name', (c) => {
    const name = c.req.param('name');
    if (!isAssetName(name)) return notFound(c, `No asset ${name}.`);
    const asset = assets[name];
    const etag = `"${asset.version}"`;
    // URLs carry the content's hash (?v=), so a year-long cache cannot serve a stale file.
    const headers = { 'Content-Type': asset.contentType, 'Cache-Control': 'public, max-age=31536000, immutable', ETag: etag };
    if (c.req.header('If-None-Match') === etag) return c.body(null, 304, headers);
    return c.body(asset.body, 200, headers);
  });

  return app;
}
