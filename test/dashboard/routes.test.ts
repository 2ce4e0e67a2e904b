// The dashboard's routes through app.request(): no socket, a fake source, real incidents.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import type { HealingIncident } from '../../src/api/healing-incident.ts';
import { createDashboard } from '../../src/dashboard/index.ts';
import { fakeSource } from './fake-source.ts';
import { NOW, ago, incident, sampleIncidents, sampleWatches } from './fixtures.ts';

const dashboard = (incidents = sampleIncidents(), options: Parameters<typeof createDashboard>[1] = {}) =>
  createDashboard(fakeSource(incidents, sampleWatches()), { now: () => NOW, ...options });

async function page(path: string, incidents?: HealingIncident[]): Promise<string> {
  const res = await dashboard(incidents).request(path);
  assert.equal(res.status, 200, `GET ${path}`);
  assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
  return res.text();
}

/** The text of the first element with this id (no nesting of the same tag inside). */
const card = (html: string, id: string) => html.match(new RegExp(`id="${id}"><div class="value">([^<]*)</div><div class="label">([^<]*)<`))?.slice(1);

test('the overview shows the Healing Score, the median time to heal and the open incidents', async () => {
  const html = await page('/');
  assert.deepEqual(card(html, 'healing-score'), ['75 %', 'Healing Score: 3 of 4 verified fixes healed']);
  assert.deepEqual(card(html, 'median-time-to-heal'), ['1 min 1 s', 'Median time to heal']);
  assert.deepEqual(card(html, 'open-incidents'), ['2', 'Open incidents']);
  assert.deepEqual(card(html, 'total-incidents'), ['7', 'Incidents recorded']);
});

test('before any verified fix the score and the median are a dash', async () => {
  const html = await page('/', [incident('shop', 'web-crash', 'CrashLoop', { phase: 'Diagnosed', phaseTimestamps: { Detected: ago(5) } })]);
  assert.deepEqual(card(html, 'healing-score'), ['—', 'Healing Score: no verified fix yet']);
  assert.deepEqual(card(html, 'median-time-to-heal'), ['—', 'Median time to heal']);
  assert.deepEqual(card(html, 'open-incidents'), ['1', 'Open incident']);
  const empty = await page('/', []);
  assert.match(empty, /No incidents yet\./);
  assert.match(empty, /No incidents in the last 24 hours\./);
});

test('the overview draws incidents by class as SVG, for 24 hours or 7 days', async () => {
  const html = await page('/');
  const svg = html.match(/<svg class="chart"[\s\S]*?<\/svg>/)?.[0] ?? '';
  assert.match(svg, /<title id="chart-title">Incidents by class, the last 24 hours, per hour \(UTC\)<\/title>/);
  assert.equal([...svg.matchAll(/<rect class="bar"/g)].length, 6);
  assert.match(svg, /GitOpsSyncFailed \(1\)/);
  assert.doesNotMatch(svg, /NaN|undefined/);
  const week = await page('/?range=7d');
  assert.match(week, /the last 7 days, per day/);
  assert.match(week, /sse-connect="events\?range=7d"/); // the live refresh keeps the range
  assert.match(week, /<a href="\?range=7d" aria-current="page">7d<\/a>/);
});

test('the overview lists the watches with their mode, health and score', async () => {
  const html = await page('/');
  assert.match(html, /<tr><td>shop\/shop-guard<\/td><td>pullRequest<\/td><td><span class="badge health-ready">Ready<\/span><\/td><td>75<\/td><td>1<\/td><td>3<\/td><\/tr>/);
  assert.match(html, /<tr><td>ops\/gitops-guard<\/td><td>observe<\/td><td><span class="badge health-notready">Not ready<\/span> <span class="muted">SourceNotFound: Kustomization flux-system\/apps not found<\/span><\/td><td>—<\/td>/);
});

test('the timeline has one row per incident, newest phase change first, linking to its page', async () => {
  const html = await page('/');
  const ids = [...html.matchAll(/<li id="tl~([^"]+)" class="row">/g)].map((m) => m[1]);
  assert.deepEqual(ids, ['ops~apps-sync', 'shop~worker-probe', 'shop~api-crash', 'shop~web-oom', 'shop~cart-image', 'shop~db-oom', 'shop~old-crash']);
  const row = html.match(/<li id="tl~shop~worker-probe" class="row">[\s\S]*?<\/li>/)?.[0] ?? '';
  assert.match(row, /<time datetime="2026-11-26T12:02:00.000Z">2026-11-26 12:02:00 UTC<\/time>/);
  assert.match(row, /<span class="badge phase-PullRequestOpen">PullRequestOpen<\/span>/);
  assert.match(row, /<span class="class">ProbeFailure<\/span>/);
  assert.match(row, /<a class="workload" href="incidents\/shop\/worker-probe">Deployment shop\/worker<\/a>/);
  assert.match(row, /<span class="message">Readiness probe fails on port 8081<\/span>/);
});

test('the overview wires htmx and its SSE extension from our own assets, with no inline script', async () => {
  const html = await page('/');
  assert.match(html, /<main hx-ext="sse" sse-connect="events\?range=24h">/);
  assert.match(html, /<section id="overview" sse-swap="overview" hx-swap="innerHTML">/);
  assert.match(html, /<ol id="timeline" class="timeline" sse-swap="timeline-row" hx-swap="afterbegin">/);
  const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.deepEqual(scripts.map((s) => s[1]?.match(/src="([^"?]+)/)?.[1]), ['./assets/htmx.min.js', './assets/sse.js']);
  assert.ok(scripts.every((s) => s[2] === ''), 'no inline script');
  assert.doesNotMatch(html, /<style|style="/);
});

test('the incident page shows phases, evidence, diagnosis, the diff, the PR and the verification', async () => {
  const html = await page('/incidents/shop/web-oom');
  assert.match(html, /<h1>Deployment shop\/web: OOMKilled<\/h1>/);
  assert.match(html, /<p class="witty">Your pod tried to fit an elephant into a teacup.<\/p>/);
  // Phases, in order, with their times; the current one marked.
  const phases = [...(html.match(/<ol class="phases">[\s\S]*?<\/ol>/)?.[0] ?? '').matchAll(/phase-(\w+)">\w+<\/span> <time datetime="([^"]+)"/g)].map((m) => `${m[1]}@${m[2]?.slice(11, 19)}`);
  assert.deepEqual(phases, ['Detected@10:05:00', 'Diagnosed@10:05:00', 'Proposed@10:05:30', 'PullRequestOpen@10:05:36', 'Merged@10:05:48', 'Synced@10:05:54', 'Healed@10:06:00']);
  assert.match(html, /<li class="current"><span class="badge phase-Healed">/);
  // Evidence.
  assert.match(html, /<p>Container app was OOMKilled 3 times<\/p>/);
  assert.match(html, /<dt>Exit code<\/dt><dd>137<\/dd>/);
  assert.match(html, /<td>BackOff<\/td><td>Back-off restarting failed container app<\/td><td>4<\/td>/);
  assert.match(html, /<pre>starting jokes\nallocating cache<\/pre>/);
  assert.match(html, /memory limit 256Mi -&gt; 64Mi/);
  // Diagnosis with confidence and the action with its parameters.
  assert.match(html, /<dt>Root cause<\/dt><dd>The memory limit \(64Mi\) is below the working set \(~90Mi\).<\/dd>/);
  assert.match(html, /<dt>Confidence<\/dt><dd>92 %<\/dd>/);
  assert.match(html, /<dt>Action<\/dt><dd><code class="action">raiseMemoryLimit<\/code><\/dd>/);
  assert.match(html, /<tr><td>limit<\/td><td><code>128Mi<\/code><\/td><\/tr>/);
  // The diff, line by line.
  assert.match(html, /<span class="del">- {14}memory: 64Mi<\/span><span class="add">\+ {14}memory: 128Mi<\/span>/);
  assert.match(html, /<span class="hunk">@@ -20,7 \+20,7 @@ spec:<\/span>/);
  assert.match(html, /<span class="meta">\+\+\+ b\/deploy\/web.yaml<\/span>/);
  // The PR, the verification and the time to heal.
  assert.match(html, /<dt>Pull request<\/dt><dd><a href="https:\/\/git.example.com\/shop\/deploy\/pulls\/7" rel="noopener noreferrer">#7 \(merged\)<\/a><\/dd>/);
  assert.match(html, /<dt>Verification<\/dt><dd><span class="badge phase-Healed">Healed<\/span><\/dd><dt>Time to heal<\/dt><dd>29 s<\/dd>/);
  // Assets are found from two levels down.
  assert.match(html, /href="..\/..\/assets\/dashboard.css\?v=[0-9a-f]{12}"/);
});

test('the incident page links the revert of a fix that did not heal', async () => {
  const html = await page('/incidents/shop/cart-image');
  assert.match(html, /<dt>Revert<\/dt><dd><a href="https:\/\/git.example.com\/shop\/deploy\/pulls\/9" rel="noopener noreferrer">#9 \(open\)<\/a><\/dd>/);
  assert.match(html, /<dt>Verification<\/dt><dd><span class="badge phase-Failed">Failed<\/span><\/dd>/);
  const bare = await page('/incidents/ops/apps-sync');
  assert.match(bare, /Not diagnosed yet\./);
  assert.match(bare, /<dt>Pull request<\/dt><dd>none<\/dd>/);
});

test('an unknown incident is a 404 page, and a 404 JSON under /api', async () => {
  const app = dashboard();
  const res = await app.request('/incidents/shop/nope');
  assert.equal(res.status, 404);
  assert.match(await res.text(), /No incident shop\/nope: it may have been deleted\./);
  const json = await app.request('/api/incidents/shop/nope');
  assert.equal(json.status, 404);
  assert.deepEqual(await json.json(), { error: 'No incident shop/nope.' });
  assert.equal((await app.request('/no/such/page')).status, 404);
});

const HOSTILE = '<script>alert(1)</script>';

function hostileIncident(): HealingIncident {
  const i = incident('evil', 'hostile', 'CrashLoop', {
    phase: 'Proposed',
    phaseTimestamps: { Detected: ago(1), Proposed: ago(0.5) },
    message: `${HOSTILE} "quoted" & 'single'`,
    evidence: { summary: HOSTILE, logExcerpt: `</pre>${HOSTILE}`, events: [{ reason: HOSTILE, message: HOSTILE, count: 1, lastSeen: ago(1) }] },
    diagnosis: { rootCause: HOSTILE, confidence: 0.5, action: { type: HOSTILE, params: { [HOSTILE]: HOSTILE } }, engine: 'llm', witty: HOSTILE },
    proposal: { file: HOSTILE, diff: `+${HOSTILE}\n-<img src=x onerror=alert(2)>` },
    pullRequest: { url: 'https://git.example.com/pr/1', number: 1, branch: HOSTILE, state: 'open' },
    revert: { state: 'refused', reason: HOSTILE },
  });
  // Past the schema, as a bad status writer could be: the dashboard must not trust it.
  i.spec.signalClass = HOSTILE as never;
  i.spec.workload.name = `web"><script>alert(3)</script>`;
  if (i.status?.pullRequest) i.status.pullRequest.url = 'javascript:alert(4)';
  return i;
}

test('hostile strings in an incident are escaped everywhere they are shown', async () => {
  const incidents = [...sampleIncidents(), hostileIncident()];
  for (const path of ['/', '/incidents/evil/hostile']) {
    const html = await page(path, incidents);
    assert.doesNotMatch(html, /<script>alert|<img src=x|href="javascript:/i, path);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/, path);
    // Our two script tags, nothing else.
    assert.ok([...html.matchAll(/<script/g)].length <= 2, path);
  }
  const detail = await page('/incidents/evil/hostile', incidents);
  assert.match(detail, /<span class="add">\+&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/span>/);
  assert.match(detail, /<dt>Pull request<\/dt><dd>#1 \(open\)<\/dd>/); // shown, not linked
  assert.match(detail, /&lt;\/pre&gt;&lt;script&gt;/);
});

test('the JSON API: compact incidents newest first, one incident whole, watches, overview', async () => {
  const app = dashboard();
  const list = (await (await app.request('/api/incidents')).json()) as Array<Record<string, unknown>>;
  assert.deepEqual(list.map((i) => `${i.namespace}/${i.name}`), ['ops/apps-sync', 'shop/worker-probe', 'shop/api-crash', 'shop/web-oom', 'shop/cart-image', 'shop/db-oom', 'shop/old-crash']);
  assert.deepEqual(list[3], {
    namespace: 'shop',
    name: 'web-oom',
    watch: 'shop-guard',
    workload: { kind: 'Deployment', namespace: 'shop', name: 'web' },
    container: 'app',
    signalClass: 'OOMKilled',
    phase: 'Healed',
    since: ago(144),
    detected: ago(145),
    lastSeen: ago(145),
    occurrences: 3,
    open: false,
    message: 'Healed 29.0 s after the fix was merged',
    action: 'raiseMemoryLimit',
    pullRequest: 'https://git.example.com/shop/deploy/pulls/7',
    verification: 'Healed',
    timeToHealSeconds: 29,
  });
  const one = await app.request('/api/incidents/shop/web-oom');
  assert.match(one.headers.get('content-type') ?? '', /^application\/json/);
  assert.deepEqual(await one.json(), JSON.parse(JSON.stringify(sampleIncidents()[0])));
  const watches = (await (await app.request('/api/watches')).json()) as Array<Record<string, unknown>>;
  assert.deepEqual(watches, [
    { namespace: 'ops', name: 'gitops-guard', mode: 'observe', ready: 'False', reason: 'SourceNotFound', message: 'Kustomization flux-system/apps not found' },
    { namespace: 'shop', name: 'shop-guard', mode: 'pullRequest', ready: 'True', reason: 'Guarding', message: 'Guarding 3 workloads', healingScore: 75, openIncidents: 1, guardedWorkloads: 3 },
  ]);
  assert.deepEqual(await (await app.request('/api/overview')).json(), { healed: 3, failed: 1, healingScore: 75, medianTimeToHealSeconds: 61, open: 2, total: 7 });
});

test('the dashboard is read-only: anything but GET and HEAD is 405', async () => {
  const app = dashboard();
  for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
    for (const path of ['/', '/api/incidents', '/incidents/shop/web-oom', '/events', '/nowhere']) {
      const res = await app.request(path, { method });
      assert.equal(res.status, 405, `${method} ${path}`);
      assert.equal(res.headers.get('allow'), 'GET, HEAD');
    }
  }
  const head = await app.request('/', { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(await head.text(), '');
});

test('with a token, every route wants it as a bearer token', async () => {
  const source = fakeSource(sampleIncidents(), sampleWatches());
  const app = createDashboard(source, { now: () => NOW, token: 's3cret-Token_1' });
  for (const path of ['/', '/api/incidents', '/api/watches', '/incidents/shop/web-oom', '/assets/htmx.min.js', '/events', '/nowhere']) {
    assert.equal((await app.request(path)).status, 401, `${path} without a token`);
    assert.equal((await app.request(path, { headers: { Authorization: 'Bearer wrong' } })).status, 401, `${path} with a wrong token`);
  }
  const refused = await app.request('/');
  assert.equal(refused.headers.get('www-authenticate'), 'Bearer realm=""');
  assert.match(refused.headers.get('content-security-policy') ?? '', /script-src 'self'/);
  const ok = await app.request('/api/incidents', { headers: { Authorization: 'Bearer s3cret-Token_1' } });
  assert.equal(ok.status, 200);
  assert.equal(((await ok.json()) as unknown[]).length, 7);
  assert.equal((await app.request('/', { headers: { Authorization: 'Bearer s3cret-Token_1' } })).status, 200);
  // Refused before the stream starts, so no subscription is left behind.
  assert.equal(source.listenerCount(), 0);
  // Without a token configured, no header is needed.
  assert.equal((await dashboard().request('/api/incidents')).status, 200);
  assert.throws(() => createDashboard(source, { token: 'has space' }), /bearer token/);
});

test('security headers: a CSP that allows only our own scripts, no framing, no sniffing', async () => {
  for (const path of ['/', '/api/incidents', '/incidents/shop/nope']) {
    const res = await dashboard().request(path);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/, path);
    assert.match(csp, /script-src 'self'(;|$)/, path);
    assert.match(csp, /style-src 'self'(;|$)/, path);
    assert.match(csp, /frame-ancestors 'none'/, path);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/, path);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('x-frame-options'), 'DENY');
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(res.headers.get('cache-control'), 'no-store');
  }
});

test('htmx 2.0 and the SSE extension are served from node_modules with long cache headers', async () => {
  const app = dashboard();
  const require = createRequire(import.meta.url);
  for (const [path, file] of [
    ['/assets/htmx.min.js', 'htmx.org/dist/htmx.min.js'],
    ['/assets/sse.js', 'htmx-ext-sse/dist/sse.js'],
  ] as const) {
    const res = await app.request(path);
    assert.equal(res.status, 200, path);
    assert.equal(res.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(await res.text(), readFileSync(require.resolve(file), 'utf8'));
    const etag = res.headers.get('etag') ?? '';
    assert.equal((await app.request(path, { headers: { 'If-None-Match': etag } })).status, 304);
  }
  const htmx = await (await app.request('/assets/htmx.min.js')).text();
  assert.match(htmx, /version:"2\.0\.\d+"/);
  assert.match(await (await app.request('/assets/sse.js')).text(), /defineExtension\('sse'/);
  const css = await app.request('/assets/dashboard.css');
  assert.equal(css.headers.get('content-type'), 'text/css; charset=utf-8');
  assert.equal((await app.request('/assets/../app.ts')).status, 404);
  assert.equal((await app.request('/assets/nope.js')).status, 404);
  // The page asks for the version it serves, so the year-long cache is safe.
  const html = await page('/');
  const version = html.match(/assets\/htmx\.min\.js\?v=([0-9a-f]+)/)?.[1];
  assert.equal(`"${version}"`, (await app.request('/assets/htmx.min.js')).headers.get('etag'));
});

test('HEAD /events answers without opening a stream', async () => {
  const source = fakeSource(sampleIncidents(), sampleWatches());
  const res = await createDashboard(source).request('/events', { method: 'HEAD' });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/event-stream');
  assert.equal(source.listenerCount(), 0);
});

test('the incident page follows its own incident live; a stream asked for a malformed incident is refused', async () => {
  const html = await page('/incidents/shop/web-oom');
  assert.match(html, /<main hx-ext="sse" sse-connect="\.\.\/\.\.\/events\?incident=shop%2Fweb-oom">\n<div id="incident" sse-swap="incident" hx-swap="innerHTML"><h1>/);
  assert.match(html, /<script src="\.\.\/\.\.\/assets\/sse\.js\?v=/, 'the SSE extension is loaded');
  const source = fakeSource(sampleIncidents(), sampleWatches());
  const bad = await createDashboard(source).request('/events?incident=..%2Fetc');
  assert.equal(bad.status, 400);
  assert.equal(source.listenerCount(), 0);
});
