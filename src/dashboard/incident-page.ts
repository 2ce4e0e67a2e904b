// One incident, from detection to heal: phases, evidence, diagnosis, the proposed diff,
// the pull request (and revert), and the verification.
import { INCIDENT_PHASES } from '../api/healing-incident.ts';
import type { Evidence, HealingIncident } from '../api/healing-incident.ts';
import type { Assets } from './assets.ts';
import { renderDiff } from './diff.ts';
import { formatDuration, formatTime, h, link, raw, type Html } from './html.ts';
import { renderPage } from './layout.ts';
import { renderSparkline } from './sparkline.ts';
import { isoOf } from './stats.ts';

// The incident page is two levels down (incidents/<namespace>/<name>).
const BASE = '../../';

function fact(label: string, value: Html | string | number | undefined): Html | '' {
  return value === undefined || value === '' ? '' : h`<dt>${label}</dt><dd>${value}</dd>`;
}

function renderPhases(incident: HealingIncident): Html {
  const status = incident.status;
  const current = status?.phase ?? 'Detected';
  const stamps = status?.phaseTimestamps ?? {};
  // In the order they happened; the state machine's order breaks ties and places phases without a time.
  const phases = INCIDENT_PHASES.filter((p) => stamps[p] !== undefined || p === current).sort((a, b) => {
    const ta = Date.parse(stamps[a] ?? '') || Infinity;
    const tb = Date.parse(stamps[b] ?? '') || Infinity;
    return ta - tb || INCIDENT_PHASES.indexOf(a) - INCIDENT_PHASES.indexOf(b);
  });
  const items = phases.map(
    (p) => h`<li${p === current ? raw(' class="current"') : ''}><span class="badge phase-${p}">${p}</span> ${formatTime(stamps[p])}${p === current ? ' (current)' : ''}</li>`,
  );
  return h`<ol class="phases">${items}</ol>`;
}

function renderEvidence(evidence: Evidence | undefined): Html {
  if (!evidence) return h`<p class="muted">No evidence gathered yet.</p>`;
  const events = evidence.events?.length
    ? h`<h3>Events</h3><table class="events"><thead><tr><th>Reason</th><th>Message</th><th>Count</th><th>Last seen</th></tr></thead><tbody>${evidence.events.map(
        (e) => h`<tr><td>${e.reason}</td><td>${e.message}</td><td>${e.count}</td><td>${formatTime(e.lastSeen)}</td></tr>`,
      )}</tbody></table>`
    : '';
  const pre = (title: string, text: string | undefined) => (text ? h`<h3>${title}</h3><pre>${text}</pre>` : '');
  const metric = evidence.metric;
  return h`<p>${evidence.summary}</p>
${renderSparkline(evidence)}
<dl class="facts">
${fact('Reason', evidence.reason)}
${fact(metric?.source === 'alertmanager' ? 'Alert' : 'Metric rule', metric?.rule)}
${fact('Value', metric?.value === undefined ? undefined : `${metric.value}${metric.threshold === undefined ? '' : ` (threshold ${metric.comparison === 'below' ? '<' : '>'} ${metric.threshold})`}`)}
${fact('Rollouts', evidence.rollouts?.length ? evidence.rollouts.map((r) => `rev ${r.revision} at ${formatTime(r.at)}${r.image ? ` (${r.image})` : ''}`).join('; ') : undefined)}
${fact('Exit code', evidence.exitCode)}
${fact('Restarts', evidence.restartCount)}
${fact('Revision not applied', evidence.revision)}
${fact('Last applied revision', evidence.appliedRevision)}
${fact('Owner chain', evidence.ownerChain?.join(' → '))}
${fact('Secrets masked', evidence.redactions)}
</dl>
${events}
${pre('Log excerpt', evidence.logExcerpt)}
${pre('What changed in the pod template', evidence.templateChange)}
${evidence.podTemplate ? h`<details><summary>Pod template</summary><pre>${evidence.podTemplate}</pre></details>` : ''}`;
}

function renderDiagnosis(incident: HealingIncident): Html {
  const d = incident.status?.diagnosis;
  if (!d) return h`<p class="muted">Not diagnosed yet.</p>`;
  const params = Object.entries(d.action?.params ?? {});
  const paramTable = params.length
    ? h`<table class="params"><thead><tr><th>Parameter</th><th>Value</th></tr></thead><tbody>${params.map(([k, v]) => h`<tr><td>${k}</td><td><code>${v}</code></td></tr>`)}</tbody></table>`
    : h`<p class="muted">No parameters.</p>`;
  return h`<dl class="facts">
${fact('Root cause', d.rootCause)}
${fact('Confidence', typeof d.confidence === 'number' ? `${Math.round(d.confidence * 100)} %` : undefined)}
${fact('Engine', d.engine)}
${fact('Summary', d.summary)}
${fact('Action', h`<code class="action">${d.action?.type}</code>`)}
</dl>
${paramTable}`;
}

function renderProposal(incident: HealingIncident): Html {
  const p = incident.status?.proposal;
  if (!p) return h`<p class="muted">No fix proposed.</p>`;
  return h`<dl class="facts">${fact('File', p.file)}${fact('Rejected by the guard', p.rejectedReason)}</dl>
${p.diff ? renderDiff(p.diff) : ''}`;
}

/** Phases after which nothing will be verified: a fix closed unmerged, or a failure that went away by itself. */
const ENDED_UNVERIFIED = new Set(['Suppressed', 'Resolved']);

function renderDelivery(incident: HealingIncident): Html {
  const pr = incident.status?.pullRequest;
  const revert = incident.status?.revert;
  const v = incident.status?.verification;
  const prFacts = pr
    ? h`${fact('Pull request', link(pr.url, `#${pr.number} (${pr.state})`))}${fact('Branch', pr.branch)}${fact('Merge commit', pr.mergeCommit)}`
    : fact('Pull request', 'none');
  const revertFacts = revert
    ? fact('Revert', revert.url ? h`${link(revert.url, `#${revert.number ?? '?'} (${revert.state})`)}${revert.reason ? h` ${revert.reason}` : ''}` : h`${revert.state}${revert.reason ? h`: ${revert.reason}` : ''}`)
    : '';
  const verification = v
    ? h`${fact('Verification', h`<span class="badge phase-${v.result}">${v.result}</span>`)}${fact('Time to heal', v.timeToHealSeconds === undefined ? undefined : formatDuration(v.timeToHealSeconds))}${fact('Checked at', v.checkedAt ? formatTime(v.checkedAt) : undefined)}`
    : fact('Verification', ENDED_UNVERIFIED.has(incident.status?.phase ?? '') ? 'none: no fix was deployed' : 'not yet');
  return h`<dl class="facts">${prFacts}${revertFacts}${verification}</dl>`;
}

/** What an incident page shows, and what its live stream swaps in when the incident changes. */
export function renderIncidentSection(incident: HealingIncident): Html {
  const { namespace, name } = incident.metadata;
  const spec = incident.spec;
  const status = incident.status;
  const witty = status?.diagnosis?.witty;
  return h`<h1>${spec.workload.kind} ${spec.workload.namespace}/${spec.workload.name}: ${spec.customClass ?? spec.signalClass}</h1>
${witty ? h`<p class="witty">${witty}</p>` : ''}
${status?.message ? h`<p class="message">${status.message}</p>` : ''}
<dl class="facts">
${fact('Incident', `${namespace ?? ''}/${name ?? ''}`)}
${fact('Phase', h`<span class="badge phase-${status?.phase ?? 'Detected'}">${status?.phase ?? 'Detected'}</span>`)}
${fact('Watch', spec.watch)}
${fact('Container', spec.container)}
${fact('Occurrences', status?.occurrences)}
${fact('First seen', status?.firstSeen ? formatTime(status.firstSeen) : undefined)}
${fact('Last seen', status?.lastSeen ? formatTime(status.lastSeen) : undefined)}
${fact('Fingerprint', h`<code>${spec.fingerprint}</code>`)}
</dl>
<h2>Phases</h2>
${renderPhases(incident)}
<h2>Evidence</h2>
${renderEvidence(status?.evidence)}
<h2>Diagnosis</h2>
${renderDiagnosis(incident)}
<h2>Proposed fix</h2>
${renderProposal(incident)}
<h2>Pull request and verification</h2>
${renderDelivery(incident)}
<p class="asof"><a href="${BASE}api/incidents/${encodeURIComponent(namespace ?? '')}/${encodeURIComponent(name ?? '')}">This incident as JSON</a>${isoOf(incident.metadata.creationTimestamp) ? h` · created ${formatTime(isoOf(incident.metadata.creationTimestamp))}` : ''}</p>`;
}

/** Swapped in when an open page's incident is deleted: what it was, and the way back. */
export function renderIncidentGone(key: string): Html {
  return h`<h1>Incident ${key} is gone</h1>
<p class="message">It was deleted from the cluster while this page was open.</p>
<p><a href="${BASE}">Back to the overview</a></p>`;
}

export function renderIncidentPage(incident: HealingIncident, assets: Assets): Html {
  const { namespace = '', name = '' } = incident.metadata;
  const spec = incident.spec;
  // Live: the page follows its incident (phase, PR, verification) without a reload.
  const body = h`<main hx-ext="sse" sse-connect="${BASE}events?incident=${encodeURIComponent(`${namespace}/${name}`)}">
<div id="incident" sse-swap="incident" hx-swap="innerHTML">${renderIncidentSection(incident)}</div>
</main>`;
  return renderPage({ title: `${spec.workload.namespace}/${spec.workload.name} ${spec.signalClass}`, base: BASE, assets, body, live: true });
}

export function renderNotFoundPage(what: string, base: string, assets: Assets): Html {
  const body = h`<main><h1>Not found</h1><p>${what}</p><p><a href="${base}">Back to the overview</a></p></main>`;
  return renderPage({ title: 'Not found', base, assets, body });
}
