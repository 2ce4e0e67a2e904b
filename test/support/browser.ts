// A real browser for the dashboard's tests: Debian's Chromium driven by playwright-core.
// playwright-core ships no browser and downloads none, which suits machines that can only
// reach the package registries; the Chromium comes from apt (.ci/run installs it).
import { constants } from 'node:fs';
import { access, mkdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  try {
    await access(CHROMIUM, constants.X_OK);
  } catch {
    throw new Error(`Chromium is not installed (no ${CHROMIUM}): apt-get install chromium`);
  }
  // Chromium will not start its sandbox as root (CI and the machines run as root); the
  // only page it loads is the dashboard under test.
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}

/**
 * Everything that went wrong in the context's pages, as readable lines: console errors
 * (CSP violations are reported there), uncaught exceptions, failed requests and HTTP
 * errors. The array fills as the pages run; a test asserts it is empty.
 */
export function recordProblems(context: BrowserContext): string[] {
  const problems: string[] = [];
  context.on('console', (message) => {
    if (message.type() !== 'error') return;
    const where = message.location().url;
    // Chromium asks every site for /favicon.ico on its own, and logs the 404 of a site that
    // has none (the dashboard has none); no page asked for it.
    if (where !== '' && new URL(where).pathname === '/favicon.ico') return;
    problems.push(`console error: ${message.text()} (${where})`);
  });
  context.on('weberror', (error) => problems.push(`uncaught: ${error.error().stack ?? error.error().message}`));
  context.on('requestfailed', (request) => {
    const reason = request.failure()?.errorText;
    // Leaving a page aborts its live-update stream: that is the browser's doing, not a
    // failure. A stream the server broke fails differently (and htmx would log it).
    if (request.resourceType() === 'eventsource' && reason === 'net::ERR_ABORTED') return;
    problems.push(`request failed: ${request.method()} ${request.url()}: ${reason}`);
  });
  context.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.request().method()} ${response.url()}`);
  });
  return problems;
}

/** A fresh folder for a test's screenshots, test-artifacts/<name>/ at the repo's root. */
export async function artifactsDir(name: string): Promise<string> {
  const dir = fileURLToPath(new URL(`../../test-artifacts/${name}/`, import.meta.url));
  // Emptied first, so what is there is from the last run only.
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  return dir;
}
