// Probe bounds for every probe the change touches: timings inside the API's sense and
// ours (a startup probe waits 600 s at most), an HTTP path that is a path, no other host
// (the kubelet would probe it from the node), and a port that belongs to this container.
import { PROBE_FIELD } from '../../diagnose/probes.ts';
import { sameLeaf } from './json-paths.ts';
import type { GuardLimits } from './types.ts';
import { asList, asObject, containerNamed, isObject, podSpecOf, type JsonObject } from './workload.ts';

const HTTP_PATH = /^\/[\w./~%-]*$/;

interface Range {
  min: number;
  max: number;
}

export function probeBounds(before: unknown, after: unknown, limits: GuardLimits): string[] {
  const reasons: string[] = [];
  const containers = asList(podSpecOf(after).containers).map(asObject);
  for (const container of containers) {
    const name = String(container.name);
    for (const [kind, field] of Object.entries(PROBE_FIELD)) {
      const probe = container[field];
      if (probe === undefined || sameLeaf(probe, asObject(containerNamed(before, name))[field])) continue;
      const what = `the ${kind} probe of container ${name}`;
      if (!isObject(probe)) {
        reasons.push(`${what} is not an object`);
        continue;
      }
      const ranges: Record<string, Range> = {
        initialDelaySeconds: { min: 0, max: limits.maxStartupSeconds },
        timeoutSeconds: { min: 1, max: 60 },
        periodSeconds: { min: 1, max: 300 },
        successThreshold: { min: 1, max: kind === 'readiness' ? 10 : 1 },
        failureThreshold: { min: 1, max: 120 },
      };
      for (const [key, range] of Object.entries(ranges)) {
        const value = probe[key];
        if (value === undefined) continue;
        if (!Number.isInteger(value) || (value as number) < range.min || (value as number) > range.max) {
          reasons.push(`${what}: ${key} ${JSON.stringify(value)} is outside ${range.min}..${range.max}`);
        }
      }
      if (kind === 'startup') {
        const total = numberOr(probe.initialDelaySeconds, 0) + numberOr(probe.periodSeconds, 10) * numberOr(probe.failureThreshold, 3);
        if (total > limits.maxStartupSeconds) reasons.push(`${what} waits ${total} s, more than ${limits.maxStartupSeconds} s`);
      }
      reasons.push(...endpoint(what, probe, asObject(asObject(containerNamed(before, name))[field]), container, containers));
    }
  }
  return reasons;
}

function endpoint(what: string, probe: JsonObject, was: JsonObject, container: JsonObject, containers: JsonObject[]): string[] {
  const reasons: string[] = [];
  const httpGet = asObject(probe.httpGet);
  if (httpGet.host !== undefined) reasons.push(`${what} probes another host (${String(httpGet.host)})`);
  if (httpGet.path !== undefined && (typeof httpGet.path !== 'string' || !HTTP_PATH.test(httpGet.path))) {
    reasons.push(`${what}: path ${JSON.stringify(httpGet.path)} is not a plain HTTP path`);
  }
  for (const key of ['httpGet', 'tcpSocket', 'grpc']) {
    const handler = probe[key];
    // A port that did not change is not this change's doing (many apps probe undeclared ports).
    if (!isObject(handler) || handler.port === undefined || sameLeaf(handler.port, asObject(was[key]).port)) continue;
    const reason = portReason(handler.port, container, containers);
    if (reason) reasons.push(`${what}: ${reason}`);
  }
  return reasons;
}

/** A port the container declares, or (when it declares none) one no other container declares. */
function portReason(port: unknown, container: JsonObject, containers: JsonObject[]): string | undefined {
  const own = asList(container.ports).map(asObject);
  if (typeof port === 'string' && !/^\d+$/.test(port)) {
    return own.some((p) => p.name === port) ? undefined : `port ${port} is not a named port of this container`;
  }
  const number = Number(port);
  if (!Number.isInteger(number) || number < 1 || number > 65535) return `port ${JSON.stringify(port)} is not a port number`;
  if (own.some((p) => p.containerPort === number)) return undefined;
  if (own.length > 0) return `port ${number} is not a port this container declares`;
  const other = containers.find((c) => c !== container && asList(c.ports).some((p) => asObject(p).containerPort === number));
  return other ? `port ${number} belongs to container ${String(other.name)}` : undefined;
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
