import { logLines, stillStarting } from './log-facts.ts';
import { killedByProbe, probeBudgetSeconds, probeEndpoint, resolvePort } from './probes.ts';
import { containerName, quote, targetContainer, type AnalyzerInput, type RuleDiagnosis } from './rule-diagnosis.ts';

/** The schema's bound for a startup probe's budget. */
const MAX_STARTUP_SECONDS = 600;
/** Margin on an announced start-up time: starts vary with load and cold caches. */
const MARGIN = 1.5;

/**
 * A slow starter killed by its liveness probe: the kubelet restarted it for failed
 * liveness (or it died of SIGKILL with a liveness probe and no startup probe), and what
 * it printed shows it was still starting: start-up work, never "listening". The probe's
 * own port must be one the container declares, else it is a wrong probe, not a slow app.
 */
export function isSlowStart(input: AnalyzerInput): boolean {
  const container = targetContainer(input);
  const liveness = container?.livenessProbe;
  if (!liveness) return false;
  const killed = killedByProbe(input) || input.signal?.reason === 'LivenessProbeFailed' || (input.signal?.exitCode === 137 && !container.startupProbe);
  if (!killed) return false;
  const endpoint = probeEndpoint(liveness);
  const declared = (container.ports ?? []).map((p) => p.containerPort);
  const port = endpoint ? resolvePort(endpoint.port, container) : undefined;
  if (endpoint && (port === undefined || (declared.length > 0 && !declared.includes(port)))) return false;
  return stillStarting(startLines(input)) !== undefined;
}

/**
 * Gives a slow starter the time it needs before liveness applies: a startup probe whose
 * budget covers the start-up time the logs announce, with a margin, rounded up to 10 s;
 * without an announced time, four times what liveness allowed (it was still starting
 * then), at least a minute. A container that has a startup probe gets it lengthened.
 */
export function analyzeSlowStart(input: AnalyzerInput): RuleDiagnosis {
  const container = targetContainer(input);
  const name = containerName(input);
  const liveness = container?.livenessProbe;
  const lines = startLines(input);
  const starting = stillStarting(lines);
  if (!liveness || !starting) {
    return {
      rootCause: `container ${name} is restarted by a probe, but nothing shows it was still starting`,
      confidence: 0.3,
      cited: starting ? [quote(starting.line)] : [],
      action: { type: 'none', reason: 'look at what the app printed before the kubelet killed it' },
    };
  }
  const budget = probeBudgetSeconds(liveness);
  const announced = starting.value;
  const needed = announced !== undefined ? Math.max(announced, budget) * MARGIN : Math.max(budget * 4, 60);
  const startupSeconds = Math.min(MAX_STARTUP_SECONDS, Math.ceil(needed / 10) * 10);
  const cited = [
    `log: ${quote(starting.line)}`,
    `livenessProbe gives up after ${budget}s (initialDelaySeconds ${liveness.initialDelaySeconds ?? 0} + periodSeconds ${liveness.periodSeconds ?? 10} × failureThreshold ${liveness.failureThreshold ?? 3})`,
    ...(input.events ?? []).filter((e) => e.reason === 'Killing' && /probe/i.test(e.message)).slice(0, 1).map((e) => `event Killing: ${quote(e.message)}`),
    container.startupProbe ? `startupProbe gives up after ${probeBudgetSeconds(container.startupProbe)}s` : 'no startupProbe',
  ];
  const why = announced !== undefined
    ? `it announces ${announced}s of start-up work but its liveness probe kills it after ${budget}s`
    : `it was still starting when its liveness probe killed it after ${budget}s`;
  const confidence = (announced !== undefined ? 0.85 : 0.65) - (announced !== undefined && announced * MARGIN > MAX_STARTUP_SECONDS ? 0.2 : 0);
  if (container.startupProbe) {
    const period = container.startupProbe.periodSeconds ?? 10;
    const failureThreshold = Math.min(30, Math.max(1, Math.ceil(startupSeconds / period)));
    const initialDelaySeconds = Math.min(600, Math.max(0, startupSeconds - period * failureThreshold));
    return {
      rootCause: `container ${name} starts slowly: ${why}, and its startup probe is too short to hold liveness off`,
      confidence: confidence - 0.05,
      cited,
      action: { type: 'fixProbe', container: name, probe: 'startup', failureThreshold, ...(initialDelaySeconds > 0 ? { initialDelaySeconds } : {}) },
    };
  }
  return {
    rootCause: `container ${name} starts slowly: ${why}; a startup probe would hold liveness off until it is up`,
    confidence,
    cited,
    action: { type: 'addStartupProbe', container: name, startupSeconds },
  };
}

// The instance that was killed is the previous one; a first instance has only current logs.
function startLines(input: AnalyzerInput): string[] {
  const previous = logLines(input.previousLogs);
  return previous.length > 0 ? previous : logLines(input.currentLogs);
}

