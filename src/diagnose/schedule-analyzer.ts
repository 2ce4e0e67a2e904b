import type { V1Container } from '@kubernetes/client-node';
import { parseQuantity } from '../k8s/quantity.ts';
import { messages, quote, type AnalyzerInput, type RuleDiagnosis } from './rule-diagnosis.ts';

/** What a fitted request may take of the largest node: the rest is for daemons and the kubelet's own margin. */
export const FIT_HEADROOM = 0.9;
const MI = 2 ** 20;

type Resource = 'cpu' | 'memory';

export interface SchedulingFailure {
  nodes: number;
  /** "3 Insufficient memory" → { count: 3, text: "Insufficient memory" } */
  reasons: Array<{ count: number; text: string }>;
  message: string;
}

/** Reads the scheduler's `0/3 nodes are available: 3 Insufficient cpu, 1 node(s) had untolerated taint {…}.` */
export function parseSchedulingFailure(texts: string[]): SchedulingFailure | undefined {
  for (const message of texts) {
    const m = /(\d+)\/(\d+) nodes are available:\s*(.*?)\.(?:\s|$)/.exec(message);
    if (!m?.[2] || m[3] === undefined) continue;
    const reasons = m[3].split(/,\s*(?=\d+\s)/).map((part) => {
      const r = /^(\d+)\s+(.*)$/.exec(part.trim());
      return r?.[1] && r[2] ? { count: Number(r[1]), text: r[2] } : undefined;
    }).filter((r): r is { count: number; text: string } => r !== undefined);
    return { nodes: Number(m[2]), reasons, message };
  }
  return undefined;
}

/**
 * A pod that fits no node because it requests more CPU or memory than any node can
 * give: the request is lowered to what the largest node's allocatable holds, less
 * headroom and less what the pod's other containers request, in whole Mi or whole
 * millicores; never raised. When nodes are excluded for other reasons (taints,
 * affinity, selectors) or the request would fit an empty node, requests are not the
 * cause and nothing is changed.
 */
export function analyzeUnschedulable(input: AnalyzerInput): RuleDiagnosis {
  const failure = parseSchedulingFailure(messages(input));
  if (!failure) {
    const said = input.signal?.message ?? 'no FailedScheduling message';
    return explain(`the pod cannot be scheduled: ${said}`, 0.3, [quote(said)], 'the scheduler message does not say why');
  }
  const cited = [`scheduler: ${quote(failure.message)}`];
  const insufficient = new Map<Resource, number>();
  const other: string[] = [];
  for (const r of failure.reasons) {
    const resource = /^Insufficient (cpu|memory)$/.exec(r.text)?.[1] as Resource | undefined;
    if (resource) insufficient.set(resource, r.count);
    else other.push(`${r.count} ${r.text}`);
  }
  if (insufficient.size === 0) {
    return explain(`the pod fits no node, and not for lack of CPU or memory: ${other.join(', ')}`, 0.8, cited,
      `the requests are not the reason: ${other.join(', ')} (taints, affinity, selectors or other resources); no request change helps`);
  }
  const containers = input.template?.spec?.containers ?? [];
  const first = [...insufficient.keys()][0] ?? 'memory';
  const target = containers.find((c) => c.name === (input.container ?? input.signal?.container)) ?? largest(containers, first);
  if (!target) return explain('the pod requests more than any node has, but its template is unknown', 0.3, cited, 'lower the pod\'s requests to fit the nodes');
  const nodes = input.nodes ?? [];
  if (nodes.length === 0) return explain(`container ${target.name} requests more than any node has, but the nodes' allocatable is unknown`, 0.4, cited, 'lower the requests to fit the nodes');

  const fit: Partial<Record<Resource, string>> = {};
  for (const resource of insufficient.keys()) {
    const requested = parseQuantity(target.resources?.requests?.[resource] ?? target.resources?.limits?.[resource]);
    const capacities = nodes.map((n) => ({ name: n.name, value: parseQuantity(n.allocatable[resource]) ?? 0 }));
    const node = capacities.sort((a, b) => b.value - a.value)[0];
    if (requested === undefined || !node || node.value <= 0) continue;
    const others = containers.filter((c) => c !== target).reduce((sum, c) => sum + (parseQuantity(c.resources?.requests?.[resource] ?? c.resources?.limits?.[resource]) ?? 0), 0);
    const room = node.value * FIT_HEADROOM - others;
    if (room <= 0 || requested <= room) continue; // it would fit an empty node: the nodes are full, not too small
    fit[resource] = resource === 'memory' ? `${Math.floor(room / MI)}Mi` : `${Math.floor(room * 1000)}m`;
    cited.push(`container ${target.name} requests ${resource} ${target.resources?.requests?.[resource] ?? target.resources?.limits?.[resource]}; the largest node (${node.name}) has ${nodes.find((n) => n.name === node.name)?.allocatable[resource]} allocatable`);
  }
  if (Object.keys(fit).length === 0) {
    return explain(`container ${target.name}'s requests would fit an empty node: the nodes are full`, 0.55, cited,
      'the nodes are busy, not too small: add nodes or free capacity rather than shrink the requests');
  }
  // Every node short of the resource, and nothing else excluding nodes: the request alone is the cause.
  const clear = other.length === 0 && [...insufficient.values()].every((count) => count >= failure.nodes);
  const changed = Object.entries(fit).map(([r, v]) => `${r} ${v}`).join(' and ');
  return {
    rootCause: `container ${target.name} requests more than any node can give; ${changed} is ${Math.round(FIT_HEADROOM * 100)}% of the largest node's allocatable`,
    confidence: clear ? 0.85 : 0.5,
    cited,
    action: { type: 'fitRequests', container: target.name, ...fit },
  };
}

/** The container asking for the most of a resource: the one whose request is out of bounds. */
function largest(containers: V1Container[], resource: Resource): V1Container | undefined {
  const request = (c: V1Container) => parseQuantity(c.resources?.requests?.[resource] ?? c.resources?.limits?.[resource]) ?? 0;
  return [...containers].sort((a, b) => request(b) - request(a))[0];
}

function explain(rootCause: string, confidence: number, cited: string[], reason: string): RuleDiagnosis {
  return { rootCause, confidence, cited, action: { type: 'none', reason } };
}
