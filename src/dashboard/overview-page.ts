// The overview: the Healing Score and friends, incidents by class over time, the watches,
// and the timeline. The first part is also re-rendered for the live "overview" event.
import type { AegisWatch } from '../api/aegis-watch.ts';
import type { HealingIncident } from '../api/healing-incident.ts';
import type { Assets } from './assets.ts';
import { CHART_RANGES, bucketByClass, renderChart, type ChartRange } from './chart.ts';
import { formatDuration, formatTime, h, type Html } from './html.ts';
import { renderPage } from './layout.ts';
import { overviewNumbers, timeline } from './stats.ts';
import { renderTimeline } from './timeline.ts';
import { renderWatches, summarizeWatches } from './watches.ts';

export interface OverviewModel {
  incidents: readonly HealingIncident[];
  watches: readonly AegisWatch[];
  now: Date;
  range: ChartRange;
}

function card(value: string, label: string, id: string): Html {
  return h`<div class="card" id="${id}"><div class="value">${value}</div><div class="label">${label}</div></div>`;
}

export function renderOverviewSection(model: OverviewModel): Html {
  const n = overviewNumbers(model.incidents);
  const verified = n.healed + n.failed;
  const score = n.healingScore === undefined ? '—' : `${Math.round(n.healingScore * 100)} %`;
  const scoreLabel = verified === 0 ? 'Healing Score: no verified fix yet' : `Healing Score: ${n.healed} of ${verified} verified fixes healed`;
  const ranges = (Object.keys(CHART_RANGES) as ChartRange[]).map((r) =>
    r === model.range ? h`<a href="?range=${r}" aria-current="page">${r}</a>` : h`<a href="?range=${r}">${r}</a>`,
  );
  return h`<div class="cards">
${card(score, scoreLabel, 'healing-score')}
${card(formatDuration(n.medianTimeToHealSeconds), 'Median time to heal', 'median-time-to-heal')}
${card(String(n.open), n.open === 1 ? 'Open incident' : 'Open incidents', 'open-incidents')}
${card(String(n.total), 'Incidents recorded', 'total-incidents')}
</div>
<h2>Incidents by class</h2>
<p class="ranges">Range: ${ranges.map((r, i) => (i === 0 ? r : h` · ${r}`))}</p>
${renderChart(bucketByClass(model.incidents, model.range, model.now))}
<h2>Watches</h2>
${renderWatches(summarizeWatches(model.watches))}
<p class="asof">As of ${formatTime(model.now.toISOString())}</p>`;
}

export function renderOverviewPage(model: OverviewModel, assets: Assets): Html {
  const body = h`<main hx-ext="sse" sse-connect="events?range=${model.range}">
<h1>Overview</h1>
<section id="overview" sse-swap="overview" hx-swap="innerHTML">${renderOverviewSection(model)}</section>
<h2>Timeline of interventions</h2>
<div id="timeline-live" sse-swap="timeline" hx-swap="innerHTML">${renderTimeline(timeline(model.incidents))}</div>
</main>`;
  return renderPage({ title: 'Overview', base: './', assets, body, live: true });
}
