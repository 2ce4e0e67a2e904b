// Resource bounds, for every container and whatever the action: no limit removed, no
// request above its limit, and a raised value at most maxFactor times its value in Git
// and under the cap. A runaway value is the cheapest way to starve a node.
import { parseQuantity } from '../../k8s/quantity.ts';
import type { GuardLimits } from './types.ts';
import { asList, asObject, containerNamed, podSpecOf } from './workload.ts';

const FIELDS = ['limits', 'requests'] as const;
type Field = (typeof FIELDS)[number];

/** Quantities as parsed numbers compare within rounding (0.1 + 0.1 is not 0.2). */
export function atMost(value: number, bound: number): boolean {
  return value <= bound * (1 + 1e-9);
}

export function quantityOf(workload: unknown, container: string, field: Field, resource: string): unknown {
  return asObject(asObject(asObject(containerNamed(workload, container)).resources)[field])[resource];
}

function parsed(value: unknown): number | undefined {
  return typeof value === 'string' || typeof value === 'number' ? parseQuantity(value) : undefined;
}

export function resourceBounds(before: unknown, after: unknown, baseline: unknown, limits: GuardLimits): string[] {
  const reasons: string[] = [];
  const caps: Record<string, number | undefined> = { memory: parseQuantity(limits.memoryCap), cpu: parseQuantity(limits.cpuCap) };
  for (const item of asList(podSpecOf(after).containers)) {
    const name = asObject(item).name;
    if (typeof name !== 'string') continue;
    const resources = asObject(asObject(item).resources);
    for (const field of FIELDS) {
      const now = asObject(resources[field]);
      const resourceNames = new Set([...Object.keys(now), ...Object.keys(asObject(asObject(asObject(containerNamed(before, name)).resources)[field]))]);
      for (const resource of resourceNames) {
        const what = `the ${resource} ${field === 'limits' ? 'limit' : 'request'} of container ${name}`;
        const was = quantityOf(before, name, field, resource);
        const value = now[resource];
        if (value === undefined || value === null) {
          if (was !== undefined) reasons.push(`removes ${what}${field === 'requests' ? ' (it would default to the limit)' : ''}`);
          continue;
        }
        const quantity = parsed(value);
        if (quantity === undefined || !(quantity > 0)) {
          reasons.push(`${what} is ${JSON.stringify(value)}, not a positive quantity`);
          continue;
        }
        const previous = parsed(was);
        if (previous !== undefined && atMost(quantity, previous)) continue; // not raised
        const cap = caps[resource];
        if (cap === undefined) {
          reasons.push(`raises ${what}: only memory and cpu may be raised`);
          continue;
        }
        if (!atMost(quantity, cap)) reasons.push(`raises ${what} to ${String(value)}, above the cap of ${resource === 'memory' ? limits.memoryCap : limits.cpuCap}`);
        const base = parsed(quantityOf(baseline, name, field, resource)) ?? previous;
        if (base !== undefined && !atMost(quantity, base * limits.maxFactor)) {
          reasons.push(`raises ${what} to ${String(value)}, more than ${limits.maxFactor}x its value in Git (${String(quantityOf(baseline, name, field, resource) ?? was)})`);
        }
      }
    }
    for (const resource of Object.keys(asObject(resources.requests))) {
      const request = parsed(asObject(resources.requests)[resource]);
      const limit = parsed(asObject(resources.limits)[resource]);
      if (request !== undefined && limit !== undefined && !atMost(request, limit)) {
        reasons.push(`sets the ${resource} request of container ${name} above its limit`);
      }
    }
  }
  return reasons;
}
