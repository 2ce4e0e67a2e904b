import type { V1Container, V1Probe } from '@kubernetes/client-node';
import type { AnalyzerInput } from './rule-diagnosis.ts';

export type ProbeKind = 'readiness' | 'liveness' | 'startup';

export const PROBE_FIELD = { readiness: 'readinessProbe', liveness: 'livenessProbe', startup: 'startupProbe' } as const;

const FAILED = /^(Liveness|Readiness|Startup) probe failed/i;

/** How the kubelet says a probe failed; a 404 means something answers on the port. */
export type ProbeFailureMode = { mode: 'refused' } | { mode: 'status'; code: number } | { mode: 'timeout' } | { mode: 'unknown' };

/**
 * Which probe fails. A kill by the liveness probe outranks everything (it is what
 * restarts the container); then the signal's own reason; then the most reported kind.
 */
export function failingProbe(input: AnalyzerInput, container?: V1Container): ProbeKind | undefined {
  if (killedByProbe(input) || input.signal?.reason === 'LivenessProbeFailed') return 'liveness';
  // A crash by SIGKILL routed here is a liveness kill whose events may have expired.
  if (input.signal?.class === 'CrashLoop' && container?.livenessProbe) return 'liveness';
  if (input.signal?.reason === 'ReadinessProbeFailed') return 'readiness';
  const counts = new Map<ProbeKind, number>();
  for (const e of input.events ?? []) {
    const kind = FAILED.exec(e.message)?.[1]?.toLowerCase() as ProbeKind | undefined;
    if (kind) counts.set(kind, (counts.get(kind) ?? 0) + (e.count ?? 1));
  }
  const [top] = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  if (top) return top[0];
  const declared = (['liveness', 'readiness', 'startup'] as const).filter((k) => container?.[PROBE_FIELD[k]]);
  return declared.length === 1 ? declared[0] : undefined;
}

/** True when the kubelet says it restarted the container for a failed liveness (or startup) probe. */
export function killedByProbe(input: AnalyzerInput): boolean {
  return (input.events ?? []).some((e) => e.reason === 'Killing' && /(liveness|startup) probe/i.test(e.message));
}

/** The kubelet's messages about one kind of probe ("Readiness probe failed: …"). */
export function probeMessages(input: AnalyzerInput, kind: ProbeKind): string[] {
  const prefix = new RegExp(`^${kind} probe failed`, 'i');
  return [input.signal?.message, ...(input.events ?? []).map((e) => e.message)].filter((m): m is string => Boolean(m) && prefix.test(m ?? ''));
}

export function failureMode(messages: string[]): ProbeFailureMode {
  for (const message of messages) {
    const code = /statuscode:\s*(\d{3})/i.exec(message)?.[1];
    if (code) return { mode: 'status', code: Number(code) };
    if (/connection refused|no route to host|dial tcp|connect:/i.test(message)) return { mode: 'refused' };
    if (/deadline exceeded|timeout|timed out/i.test(message)) return { mode: 'timeout' };
  }
  return { mode: 'unknown' };
}

/** The number a probe's port means: a number, or a named containerPort (undefined if none has that name). */
export function resolvePort(port: number | string | undefined, container: V1Container | undefined): number | undefined {
  if (typeof port === 'number') return port;
  if (port === undefined) return undefined;
  if (/^\d+$/.test(port)) return Number(port);
  return container?.ports?.find((p) => p.name === port)?.containerPort;
}

export function probeEndpoint(probe: V1Probe): { port?: number | string; path?: string } | undefined {
  if (probe.httpGet) return { port: probe.httpGet.port as number | string, path: probe.httpGet.path ?? '/' };
  if (probe.tcpSocket) return { port: probe.tcpSocket.port as number | string };
  if (probe.grpc) return { port: probe.grpc.port };
  return undefined; // exec: runs inside the container, no port or path to be wrong
}

/** Seconds a probe tolerates failure before it acts, with the API's defaults. */
export function probeBudgetSeconds(probe: V1Probe): number {
  return (probe.initialDelaySeconds ?? 0) + (probe.periodSeconds ?? 10) * (probe.failureThreshold ?? 3);
}

export function describeProbe(kind: ProbeKind, probe: V1Probe): string {
  const where = probe.httpGet ? `GET ${probe.httpGet.path ?? '/'} on port ${probe.httpGet.port}` : probe.tcpSocket ? `TCP port ${probe.tcpSocket.port}` : probe.grpc ? `gRPC port ${probe.grpc.port}` : 'exec';
  return `${kind}Probe ${where}`;
}
