// The page shell shared by every HTML page.
import { assetUrl, type Assets } from './assets.ts';
import { h, type Html } from './html.ts';

export interface PageOptions {
  title: string;
  /** The way back to the dashboard's root from this page ("./", "../../"), so that links
   * still work when a proxy serves the dashboard under a path of its own. */
  base: string;
  assets: Assets;
  body: Html;
  /** Load htmx and its SSE extension (only pages with live updates need them). */
  live?: boolean;
}

// htmx would otherwise insert a <style> element (blocked by our CSP) and allow eval for
// hx-on and filters, which this read-only page never uses.
const HTMX_CONFIG = JSON.stringify({ includeIndicatorStyles: false, allowEval: false, allowScriptTags: false });

export function renderPage(page: PageOptions): Html {
  const url = (name: Parameters<typeof assetUrl>[1]) => `${page.base}${assetUrl(page.assets, name)}`;
  const scripts = page.live
    ? h`<meta name="htmx-config" content="${HTMX_CONFIG}">
<script src="${url('htmx.min.js')}" defer></script>
<script src="${url('sse.js')}" defer></script>`
    : '';
  return h`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title} · GopherGuard</title>
<link rel="stylesheet" href="${url('dashboard.css')}">
${scripts}
</head>
<body>
<header class="top"><a class="brand" href="${page.base}">GopherGuard</a><nav><a href="${page.base}">Overview</a> · <a href="${page.base}api/incidents">JSON</a></nav></header>
${page.body}
</body>
</html>`;
}
