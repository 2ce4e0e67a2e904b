// The browser-side files, served by the operator itself: clusters often have no way out to
// a CDN, and a CSP of 'self' forbids one anyway. Read once at start, served from memory.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface Asset {
  body: string;
  contentType: string;
  /** The content's hash, put in the page's URLs so that a year-long cache is safe. */
  version: string;
}

export interface Assets {
  'htmx.min.js': Asset;
  'sse.js': Asset;
  'dashboard.css': Asset;
}
export type AssetName = keyof Assets;

const JS = 'text/javascript; charset=utf-8';

function asset(path: string | URL, contentType: string): Asset {
  const body = readFileSync(path, 'utf8');
  return { body, contentType, version: createHash('sha256').update(body).digest('hex').slice(0, 12) };
}

export function loadAssets(): Assets {
  const require = createRequire(import.meta.url);
  return {
    // htmx 2.0.x and its SSE extension 2.2.x, as npm installed them (package.json pins the lines).
    'htmx.min.js': asset(require.resolve('htmx.org/dist/htmx.min.js'), JS),
    'sse.js': asset(require.resolve('htmx-ext-sse/dist/sse.js'), JS),
    'dashboard.css': asset(new URL('./dashboard.css', import.meta.url), 'text/css; charset=utf-8'),
  };
}

export function isAssetName(name: string): name is AssetName {
  return name === 'htmx.min.js' || name === 'sse.js' || name === 'dashboard.css';
}

/** The URL of an asset relative to the dashboard's root, with its version. */
export function assetUrl(assets: Assets, name: AssetName): string {
  return `assets/${name}?v=${assets[name].version}`;
}
