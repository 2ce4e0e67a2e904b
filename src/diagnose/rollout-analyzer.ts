import type { SignalClass } from '../api/healing-incident.ts';
import { analyzeRecentChange } from './change-analyzer.ts';
import { byRevision, quote, type AnalyzerEvent, type AnalyzerInput, type AnalyzerSignal, type RuleDiagnosis } from './rule-diagnosis.ts';

/** Most specific first: a pod that cannot pull its image also never becomes ready. */
const PRECEDENCE: SignalClass[] = ['ImagePull', 'ConfigError', 'OOMKilled', 'Unschedulable', 'ProbeFailure', 'CrashLoop'];

/**
 * A rollout past its progress deadline: its new pods fail for some reason, and that
 * reason has an analyzer. The reason is the workload's other current signal, or else it
 * is read from the new pods' events; the diagnosis is delegated (`diagnose` is the
 * dispatcher, passed in to keep the modules acyclic). When that finds neither a fix nor
 * a clear cause, the last rollout's change is reverted: it is what the rollout is stuck on.
 */
export function analyzeRolloutStuck(input: AnalyzerInput, diagnose: (input: AnalyzerInput) => RuleDiagnosis): RuleDiagnosis {
  const [current] = byRevision(input.replicaSets);
  const revision = current?.metadata?.annotations?.['deployment.kubernetes.io/revision'];
  const stuck = `the rollout${revision ? ` to revision ${revision}` : ''} is stuck`;
  const deadline = input.signal?.message ? [`Progressing: ${quote(input.signal.message)}`] : ['Progressing: ProgressDeadlineExceeded'];
  const prefix = current?.metadata?.name ? `${current.metadata.name}-` : undefined;
  // Only the new ReplicaSet's pods tell why the new revision does not come up.
  const events = (input.events ?? []).filter((e) => !prefix || e.object?.kind !== 'Pod' || e.object.name.startsWith(prefix));
  const cause = pick(input.related) ?? fromEvents(events);

  const delegated = cause ? diagnose({ ...input, signal: cause, events, container: cause.container ?? input.container }) : undefined;
  // A fix for the pods, or a clear cause that no manifest edit fixes (a missing Secret):
  // reverting an unrelated change of the rollout would not help.
  if (delegated && (delegated.action.type !== 'none' || delegated.confidence >= 0.7)) {
    return { ...delegated, rootCause: `${stuck}: ${delegated.rootCause}`, cited: [...deadline, ...delegated.cited] };
  }
  const change = analyzeRecentChange(input, `${stuck}`);
  if (change && (change.action.type !== 'none' || !delegated)) {
    return { ...change, confidence: change.confidence - 0.1, cited: [...deadline, ...(delegated ? [quote(delegated.rootCause)] : []), ...change.cited] };
  }
  if (delegated) return { ...delegated, rootCause: `${stuck}: ${delegated.rootCause}`, cited: [...deadline, ...delegated.cited] };
  return {
    rootCause: `${stuck}, and neither its pods nor its change explain why`,
    confidence: 0.2,
    cited: deadline,
    action: { type: 'none', reason: 'look at the new ReplicaSet\'s pods and events' },
  };
}

function pick(signals: AnalyzerSignal[] | undefined): AnalyzerSignal | undefined {
  for (const cls of PRECEDENCE) {
    const found = signals?.find((s) => s.class === cls);
    if (found) return found;
  }
  return undefined;
}

/** A pod signal as the new pods' events show it, when detection has not reported one. */
function fromEvents(events: AnalyzerEvent[]): AnalyzerSignal | undefined {
  const seen: AnalyzerSignal[] = [];
  for (const e of events) {
    if (/ErrImagePull|ImagePullBackOff|InvalidImageName|Failed to pull image|Back-off pulling image/i.test(e.message)) seen.push({ class: 'ImagePull', reason: 'ErrImagePull', message: e.message });
    else if (/CreateContainerConfigError|couldn't find key|(configmap|secret)s? "[^"]+" not found/i.test(e.message)) seen.push({ class: 'ConfigError', reason: 'CreateContainerConfigError', message: e.message });
    else if (e.reason === 'FailedScheduling') seen.push({ class: 'Unschedulable', reason: 'Unschedulable', message: e.message });
    else if (e.reason === 'Unhealthy' || (e.reason === 'Killing' && /probe/i.test(e.message))) {
      seen.push({ class: 'ProbeFailure', reason: /^liveness|liveness probe/i.test(e.message) ? 'LivenessProbeFailed' : 'ReadinessProbeFailed', message: e.message });
    } else if (e.reason === 'BackOff' && /restarting failed container/i.test(e.message)) seen.push({ class: 'CrashLoop', reason: 'CrashLoopBackOff', message: e.message });
  }
  // Several Unhealthy events of different probes: a liveness kill is what matters most.
  const probes = seen.filter((s) => s.class === 'ProbeFailure');
  const liveness = probes.find((s) => s.reason === 'LivenessProbeFailed');
  return pick(liveness ? [...seen.filter((s) => s.class !== 'ProbeFailure'), liveness] : seen);
}
