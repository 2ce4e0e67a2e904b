// The dashboard in a real browser (Debian's headless Chromium) against the run's sandbox: a
// page opened before anything fails shows the incident's row live, through server-sent
// events and htmx, and the row leads to the incident with its diff and its Gitea PR; that
// page follows the incident live too, when a person closes the PR. What
// the unit tests of the markup cannot see is checked here: the scripts run under the CSP,
// the stream connects, the swaps land, and nothing errors in the console.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { parse } from 'yaml';
import type { V1Deployment } from '@kubernetes/client-node';
import type { HealingIncident } from '../../src/api/healing-incident.ts';
import { Operator } from '../../src/operator/operator.ts';
import { artifactsDir, launchChromium, recordProblems } from '../support/browser.ts';
import { createNamespace, deleteNamespace, testCluster, waitFor } from '../support/cluster.ts';
import { installCrds } from '../support/crds.ts';
import { createRepo, giteaApi, testGitea } from '../support/gitea.ts';
import { createWatch, listIncidents } from '../support/gopherguard.ts';
import { oomManifest } from '../support/manifests.ts';

const cluster = testCluster();
const gitea = testGitea();
const APP = 'jokes';
let ns: string;
let operator: Operator | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;

const manifest = oomManifest;

// Runs in the page before its own scripts, to see what the SSE extension does: how often
// the stream opened or failed, and which events it swapped in.
const SSE_PROBE = `globalThis.sseProbe = { opens: 0, errors: 0, messages: [] };
document.addEventListener('htmx:sseOpen', () => globalThis.sseProbe.opens++);
document.addEventListener('htmx:sseError', () => globalThis.sseProbe.errors++);
document.addEventListener('htmx:sseMessage', (e) => globalThis.sseProbe.messages.push(e.detail.type));`;

interface SseProbe {
  opens: number;
  errors: number;
  messages: string[];
}

const sseProbe = (page: Page): Promise<SseProbe> => page.evaluate(() => Reflect.get(globalThis, 'sseProbe') as SseProbe);

before(async () => {
  await installCrds(cluster.client);
  ns = await createNamespace(cluster, 'browser');
  await cluster.core.createNamespacedSecret({ namespace: ns, body: { metadata: { name: 'forge' }, stringData: { token: gitea.token } } });
  operator = new Operator({
    client: cluster.client, namespaces: [ns], leaderElection: { enabled: false, namespace: ns, name: 'unused' },
    health: { host: '127.0.0.1', port: 0 }, dashboard: { host: '127.0.0.1', port: 0 }, log: () => undefined,
    remediation: { pullRequestPollMs: 1000 },
  });
  await operator.start();
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
});

after(async () => {
  // The browser first: its open stream would otherwise hold the dashboard's close() up.
  await browser?.close().catch(() => undefined);
  await operator?.stop().catch(() => undefined);
  await deleteNamespace(cluster, ns);
});

test('an incident appears live on an open overview and leads to its diff and PR', async (t) => {
  assert.ok(context && operator?.dashboardUrl, 'the dashboard is served');
  const dashboardUrl = operator.dashboardUrl;
  const dir = await artifactsDir('dashboard-browser');
  t.diagnostic(`screenshots in ${dir}`);
  const problems = recordProblems(context);
  const page = await context.newPage();
  await page.addInitScript(SSE_PROBE);
  try {
    // The overview, opened while nothing has failed yet, with its live stream connected.
    await page.goto(dashboardUrl);
    await page.waitForFunction('globalThis.sseProbe.opens > 0', undefined, { timeout: 15_000 });
    await page.locator('#timeline li.empty').waitFor({ timeout: 5_000 });
    // Survives only as long as this very document: a reload would lose it.
    await page.evaluate(() => Reflect.set(globalThis, 'sameDocument', true));

    const text = manifest(APP);
    const { name: repo, cloneUrl } = await createRepo(gitea, APP, { [`apps/${APP}/deployment.yaml`]: text });
    await cluster.apps.createNamespacedDeployment({ namespace: ns, body: parse(text) as V1Deployment });
    await createWatch(cluster.kubeConfig, ns, APP, {
      targets: { workloads: [{ kind: 'Deployment', name: APP }] },
      source: { git: { repo: cloneUrl, forge: 'gitea', branch: 'main', path: `apps/${APP}`, secretRef: { name: 'forge' } } },
      detectors: { resolveAfterSeconds: 600, verifySeconds: 5 },
      limits: { pullRequestsPerHour: 100 },
      mode: 'pullRequest',
    });

    // Strict locator: two rows for one incident would fail here, as they should.
    const row = page.locator('#timeline > li.row')
      .filter({ has: page.locator('a.workload', { hasText: `Deployment ${ns}/${APP}` }) })
      .filter({ has: page.locator('.class', { hasText: 'OOMKilled' }) });
    await row.waitFor({ timeout: 120_000 });
    assert.equal(await page.evaluate(() => Reflect.get(globalThis, 'sameDocument')), true, 'the row arrived without a reload');
    const probe = await sseProbe(page);
    assert.ok(probe.messages.includes('timeline-row'), `the row came as a live timeline-row event (events: ${probe.messages.join(', ')})`);
    // The placeholder hides by the stylesheet's rule, so this also shows the CSS applied.
    assert.equal(await page.locator('#timeline li.empty').isHidden(), true, 'the "No incidents yet." placeholder is gone');
    await page.screenshot({ path: join(dir, 'overview-live-row.png'), fullPage: true });

    const incident = await waitFor('the PR on the incident', async () => {
      const found = (await listIncidents(cluster.kubeConfig, ns)).find((i: HealingIncident) => i.spec.workload.name === APP && i.spec.signalClass === 'OOMKilled');
      return found?.status?.phase === 'PullRequestOpen' ? found : undefined;
    }, 120_000);
    // The open page follows the phase too, still without a reload.
    await row.locator('.badge.phase-PullRequestOpen').waitFor({ timeout: 30_000 });
    assert.equal((await sseProbe(page)).opens, 1, 'the stream stayed connected');

    const number = incident.status?.pullRequest?.number ?? 0;
    const pull = await giteaApi<{ html_url: string }>(gitea, 'GET', `/repos/${gitea.user}/${repo}/pulls/${number}`);
    await row.locator('a.workload').click();
    await page.waitForURL(`${dashboardUrl}incidents/${ns}/${incident.metadata.name}`);
    await page.locator('h1', { hasText: `Deployment ${ns}/${APP}: OOMKilled` }).waitFor({ timeout: 5_000 });
    assert.deepEqual(await page.locator('pre.diff span.del').allTextContents(), ['-              memory: 128Mi   # too small: see the incident']);
    assert.deepEqual(await page.locator('pre.diff span.add').allTextContents(), ['+              memory: 256Mi   # too small: see the incident']);
    const prLink = page.locator('dd a', { hasText: `#${number} (open)` });
    assert.equal(await prLink.getAttribute('href'), pull.html_url);
    assert.equal(await page.locator('pre.diff').isVisible(), true);
    await page.screenshot({ path: join(dir, 'incident.png'), fullPage: true });

    // The incident page follows its incident too: a person closes the PR, the incident
    // becomes Suppressed, and the open page shows it without a reload.
    await page.waitForFunction('globalThis.sseProbe.opens > 0', undefined, { timeout: 15_000 });
    await page.evaluate(() => Reflect.set(globalThis, 'sameIncidentPage', true));
    await giteaApi(gitea, 'PATCH', `/repos/${gitea.user}/${repo}/pulls/${number}`, { state: 'closed' });
    await page.locator('dl.facts .badge.phase-Suppressed').waitFor({ timeout: 30_000 });
    assert.equal(await page.evaluate(() => Reflect.get(globalThis, 'sameIncidentPage')), true, 'the phase changed without a reload');
    assert.ok((await sseProbe(page)).messages.includes('incident'), 'it came as a live incident event');
    await page.locator('dd a', { hasText: `#${number} (closed)` }).waitFor({ timeout: 5_000 });
    await page.locator('dd', { hasText: 'none: no fix was deployed' }).waitFor({ timeout: 5_000 });
    await page.screenshot({ path: join(dir, 'incident-live.png'), fullPage: true });

    assert.deepEqual(problems, [], 'no console errors, uncaught exceptions or failed requests');
  } catch (error) {
    await page.screenshot({ path: join(dir, 'failure.png'), fullPage: true }).catch(() => undefined);
    throw error;
  }
});
