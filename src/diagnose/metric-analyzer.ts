// Failures seen in metrics. A regression that began with a rollout is put down to what the
// rollout changed, which goes back to its previous value; a starved container gets more of
// what it is starved of, within the guard's 2x bound and a cap; anything else is explained
// and left to a person (or the model).
import type { V1Container } from '@kubernetes/client-node';
import { parseQuantity } from '../k8s/quantity.ts';
import { analyzeRecentChange } from './change-analyzer.ts';
import { DEFAULT_MEMORY_CAP } from './oom-analyzer.ts';
import { byRevision, type AnalyzerInput, type RuleDiagnosis } from './rule-diagnosis.ts';

/** The most CPU any automatic fix gives one container. */
export const DEFAULT_CPU_CAP = '4';
/** A rollout this long before the failure was first seen still counts as its start. */
export const ROLLOUT_LOOKBACK_MS = 60 * 60_000;
const MI = 2 ** 20;

/** ErrorRate, Latency and custom rules: the service answers, but badly. */
export function analyzeRegression(input: AnalyzerInput): RuleDiagnosis {
  const symptom = symptomOf(input);
  const [newest] = byRevision(input.replicaSets);
  const rolledAt = new Date(String(newest?.metadata?.creationTimestamp ?? '')).getTime();
  const since = Date.parse(input.since ?? '');
  // The rollout must come before the failure (and not long before): a regression that
  // predates the newest revision was not brought by it.
  const began = Number.isFinite(rolledAt) && (!Number.isFinite(since) || (rolledAt <= since + 5_000 && since - rolledAt <= ROLLOUT_LOOKBACK_MS));
  const change = began ? analyzeRecentChange(input, symptom) : undefined;
  if (change) return { ...change, cited: [...(input.signal?.message ? [input.signal.message] : []), ...change.cited] };
  return {
    rootCause: `${symptom}, and no rollout of the workload ${began ? 'changed its pod spec' : 'came just before it'}: the cause is likely outside its manifest (a dependency, the traffic, data)`,
    confidence: 0.3,
    cited: input.signal?.message ? [input.signal.message] : [],
    action: { type: 'none', reason: `${symptom} without a change to revert; look at its dependencies and recent traffic` },
  };
}

/** CPU throttling: the CFS quota (the CPU limit) is too small for the load. */
export function analyzeCpuThrottling(input: AnalyzerInput, cap = DEFAULT_CPU_CAP): RuleDiagnosis {
  const container = containerOf(input);
  const name = container?.name ?? input.container ?? 'app';
  const declared = container?.resources?.limits?.cpu;
  const limit = parseQuantity(declared);
  const cited = input.signal?.message ? [input.signal.message] : [];
  if (limit === undefined || limit <= 0) {
    return {
      rootCause: `container ${name} is throttled but declares no CPU limit: the node's CPU is contended`,
      confidence: 0.5, cited,
      action: { type: 'none', reason: 'no CPU limit to raise: set a CPU request that matches the load, or move the workload to a less busy node' },
    };
  }
  const target = Math.min(limit * 2, parseQuantity(cap) ?? Infinity);
  if (target <= limit) {
    return {
      rootCause: `container ${name} is throttled at its ${declared} CPU limit, which is already at the cap of ${cap}`,
      confidence: 0.6, cited,
      action: { type: 'none', reason: `the CPU limit is at the ${cap} cap: the app's CPU use needs a look` },
    };
  }
  return {
    rootCause: `container ${name} spends much of its time throttled: its ${declared} CPU limit is smaller than what its load needs`,
    confidence: 0.8,
    cited: [...cited, `resources.limits.cpu: ${declared}`],
    action: { type: 'raiseResource', container: name, resource: 'cpu', field: 'limits', value: `${Math.floor(target * 1000)}m` },
  };
}

/** Memory near the limit: raise it by half (the guard allows up to 2x) before the kernel OOM-kills it. */
export function analyzeMemorySaturation(input: AnalyzerInput, cap = DEFAULT_MEMORY_CAP): RuleDiagnosis {
  const container = containerOf(input);
  const name = container?.name ?? input.container ?? 'app';
  const declared = container?.resources?.limits?.memory;
  const limit = parseQuantity(declared);
  const cited = input.signal?.message ? [input.signal.message] : [];
  if (limit === undefined || limit <= 0) {
    return {
      rootCause: `container ${name} is near a memory limit it does not declare`,
      confidence: 0.4, cited,
      action: { type: 'none', reason: 'set a memory request and limit that fit the app' },
    };
  }
  const target = Math.min(Math.ceil((limit * 1.5) / MI) * MI, parseQuantity(cap) ?? Infinity);
  if (target <= limit) {
    return {
      rootCause: `container ${name} is near its ${declared} memory limit, which is already at the cap of ${cap}`,
      confidence: 0.6, cited,
      action: { type: 'none', reason: `the limit is at the ${cap} cap: the app's memory use needs a look (a leak?)` },
    };
  }
  return {
    rootCause: `container ${name}'s working set is close to its ${declared} memory limit: the next spike is an OOM kill`,
    confidence: 0.75,
    cited: [...cited, `resources.limits.memory: ${declared}`],
    action: { type: 'raiseResource', container: name, resource: 'memory', field: 'limits', value: `${Math.floor(target / MI)}Mi` },
  };
}

function containerOf(input: AnalyzerInput): V1Container | undefined {
  return input.template?.spec?.containers.find((c) => c.name === input.container) ?? input.template?.spec?.containers[0];
}

function symptomOf(input: AnalyzerInput): string {
  switch (input.signal?.class) {
    case 'ErrorRate': return 'the error rate is above its threshold';
    case 'Latency': return 'the response time is above its threshold';
    default: return `metric rule ${input.signal?.reason ?? ''} fires`.replace(/ {2}/, ' ');
  }
}
