import type { V1Container } from '@kubernetes/client-node';
import { listeningPorts, logLines, servedPaths, stillStarting, type Fact } from './log-facts.ts';
import {
  describeProbe, failingProbe, failureMode, PROBE_FIELD, probeEndpoint, probeMessages, resolvePort, type ProbeKind,
} from './probes.ts';
import { containerName, quote, targetContainer, type AnalyzerInput, type RuleDiagnosis } from './rule-diagnosis.ts';
import { analyzeSlowStart, isSlowStart } from './startup-analyzer.ts';

/** Words a health endpoint of each kind is named with, most telling first. */
const HEALTH_WORDS: Record<ProbeKind, string[]> = {
  readiness: ['ready', 'health', 'status', 'ping', 'live'],
  liveness: ['live', 'health', 'ping', 'status', 'alive'],
  startup: ['start', 'health', 'live', 'ready', 'ping'],
};

/**
 * A probe that fails because it points where the app does not answer. Refused on a port
 * the container neither declares nor logs listening on: the port the app does listen on.
 * 404 on a path: the health path the logs show being served. A slow starter killed by
 * liveness is a different cause (startup-analyzer); a timeout gets a longer timeout.
 */
export function analyzeProbeFailure(input: AnalyzerInput): RuleDiagnosis {
  const container = targetContainer(input);
  const name = containerName(input);
  const kind = failingProbe(input, container);
  const probe = kind ? container?.[PROBE_FIELD[kind]] : undefined;
  if (!container || !kind || !probe) {
    return explain(`a probe of container ${name} fails, but the template declares no such probe`, 0.2, [], 'compare the probe events with the workload as deployed');
  }
  const said = probeMessages(input, kind);
  const failure = failureMode(said);
  const cited = said.length > 0 ? [`event Unhealthy: ${quote(said[0] ?? '')}`] : [];
  const endpoint = probeEndpoint(probe);
  const described = describeProbe(kind, probe);
  if (!endpoint) {
    return explain(`the ${kind} exec probe of container ${name} fails`, 0.35, cited, 'the probe runs a command inside the container: check what it checks');
  }
  const lines = logLines(input.previousLogs, input.currentLogs);

  if (failure.mode === 'refused' || failure.mode === 'unknown') {
    const wrongPort = portFix(container, endpoint.port, lines);
    if (wrongPort) {
      return {
        rootCause: `the ${described} of container ${name} is refused: the app listens on port ${wrongPort.port}, not ${endpoint.port}`,
        confidence: wrongPort.confidence,
        cited: [...cited, `${described}`, ...wrongPort.cited],
        action: { type: 'fixProbe', container: name, probe: kind, port: wrongPort.port },
      };
    }
    if (kind !== 'readiness' && isSlowStart(input)) return analyzeSlowStart(input);
    const starting = stillStarting(logLines(input.previousLogs ?? input.currentLogs));
    if (starting) {
      return explain(`the ${described} of container ${name} is refused while the app is still starting (${quote(starting.line, 80)})`, 0.45, [...cited, `log: ${quote(starting.line)}`],
        'the app had not started listening yet; if it never does, look at what it waits for');
    }
    return explain(`the ${described} of container ${name} is refused on a port the container declares`, 0.35, [...cited, described],
      'the app may listen on another interface (127.0.0.1) or not at all: check its listen address');
  }

  if (failure.mode === 'status' && probe.httpGet) {
    const asked = endpoint.path ?? '/';
    const pathFix = failure.code === 404 ? pathFor(kind, asked, lines) : undefined;
    if (pathFix) {
      return {
        rootCause: `the ${described} of container ${name} answers ${failure.code}: the app serves ${pathFix.value}, not ${asked}`,
        confidence: pathFix.confidence,
        cited: [...cited, described, `log: ${quote(pathFix.line)}`],
        action: { type: 'fixProbe', container: name, probe: kind, path: pathFix.value },
      };
    }
    return explain(`the ${described} of container ${name} answers HTTP ${failure.code}`, 0.4, [...cited, described],
      failure.code === 404 ? `the logs do not show which health path the app serves instead of ${asked}` : `the app answers ${failure.code} on ${asked}: it reports itself unhealthy`);
  }

  if (failure.mode === 'timeout') {
    const timeoutSeconds = Math.min(60, Math.max(5, (probe.timeoutSeconds ?? 1) * 2));
    return {
      rootCause: `the ${described} of container ${name} times out after ${probe.timeoutSeconds ?? 1}s`,
      confidence: 0.55,
      cited: [...cited, `${kind}Probe.timeoutSeconds: ${probe.timeoutSeconds ?? 1}`],
      action: { type: 'fixProbe', container: name, probe: kind, timeoutSeconds },
    };
  }
  return explain(`the ${described} of container ${name} fails`, 0.3, [...cited, described], 'the probe events do not say why it fails');
}

interface PortFix {
  port: number;
  confidence: number;
  cited: string[];
}

/**
 * The port a refused probe should use, when its own port is not one the app listens on:
 * the one port the logs show it listening on, else the one declared containerPort, else
 * the declared port named "http". Undefined when the probe's port looks right.
 */
function portFix(container: V1Container, port: number | string | undefined, lines: string[]): PortFix | undefined {
  const probed = resolvePort(port, container);
  const declared = container.ports ?? [];
  const listening = listeningPorts(lines);
  const serves = listening.length > 0 ? listening.map((l) => l.value) : declared.map((p) => p.containerPort);
  if (probed !== undefined && (serves.length === 0 || serves.includes(probed))) return undefined;
  const why = probed === undefined ? `no containerPort is named ${port}` : `port ${probed} is not among ${listening.length > 0 ? 'the ports the app listens on' : 'the declared containerPorts'}`;
  const [onlyListening] = listening;
  if (listening.length === 1 && onlyListening) {
    const isDeclared = declared.some((p) => p.containerPort === onlyListening.value);
    return { port: onlyListening.value, confidence: isDeclared ? 0.9 : 0.8, cited: [why, `log: ${quote(onlyListening.line)}`] };
  }
  const [onlyDeclared] = declared;
  if (declared.length === 1 && onlyDeclared) {
    return { port: onlyDeclared.containerPort, confidence: 0.75, cited: [why, `containerPort ${onlyDeclared.name ? `${onlyDeclared.name}: ` : ''}${onlyDeclared.containerPort}`] };
  }
  const named = declared.find((p) => p.name === 'http') ?? declared.find((p) => /health|probe|status/.test(p.name ?? ''));
  if (named) return { port: named.containerPort, confidence: 0.6, cited: [why, `containerPort ${named.name}: ${named.containerPort}`] };
  return undefined;
}

/**
 * The served path that best replaces a probe's path: one named for the probe's kind
 * (/readyz for readiness), the closest to the asked path among equals; "/" only when the
 * logs show nothing else. App endpoints (/joke) are never a health check.
 */
function pathFor(kind: ProbeKind, asked: string, lines: string[]): (Fact<string> & { confidence: number }) | undefined {
  const { paths } = servedPaths(lines);
  const candidates = paths.filter((p) => p.value !== asked);
  for (const [rank, word] of HEALTH_WORDS[kind].entries()) {
    const matching = candidates.filter((p) => p.value.toLowerCase().includes(word));
    if (matching.length === 0) continue;
    const best = matching.sort((a, b) => commonPrefix(b.value, asked) - commonPrefix(a.value, asked) || a.value.length - b.value.length)[0];
    if (best) return { ...best, confidence: rank === 0 ? 0.85 : 0.75 };
  }
  const root = candidates.find((p) => p.value === '/');
  return root ? { ...root, confidence: 0.5 } : undefined;
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

function explain(rootCause: string, confidence: number, cited: string[], reason: string): RuleDiagnosis {
  return { rootCause, confidence, cited, action: { type: 'none', reason } };
}

