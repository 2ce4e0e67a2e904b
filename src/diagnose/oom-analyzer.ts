import { parseQuantity } from '../k8s/quantity.ts';
import type { AnalyzerInput, RuleDiagnosis } from './rule-diagnosis.ts';

/** The most any automatic fix may give one container, whatever its baseline. */
export const DEFAULT_MEMORY_CAP = '4Gi';
const MI = 2 ** 20;

/**
 * An OOM kill means the container needed more than its memory limit. The fix raises the
 * limit from its declared baseline to at most twice that (the guard's bound), under a cap,
 * in whole Mi; with no limit declared the kernel killed it for node pressure, which no
 * manifest edit of this container can fix.
 */
export function analyzeOomKilled(input: AnalyzerInput, cap = DEFAULT_MEMORY_CAP): RuleDiagnosis {
  const container = input.template?.spec?.containers.find((c) => c.name === input.container) ?? input.template?.spec?.containers[0];
  const declared = container?.resources?.limits?.memory;
  const limit = parseQuantity(declared);
  const name = container?.name ?? input.container ?? 'app';
  if (limit === undefined || limit <= 0) {
    return {
      rootCause: `container ${name} was OOM-killed without a memory limit of its own: the node ran out of memory`,
      confidence: 0.6,
      cited: ['lastState.terminated.reason: OOMKilled', 'no resources.limits.memory declared'],
      action: { type: 'none', reason: 'set a memory request and limit that fit the app, or give the node more memory' },
    };
  }
  const capBytes = parseQuantity(cap) ?? Infinity;
  const target = Math.min(limit * 2, capBytes);
  if (target <= limit) {
    return {
      rootCause: `container ${name} needs more than its ${declared} memory limit, which is already at the cap of ${cap}`,
      confidence: 0.7,
      cited: ['lastState.terminated.reason: OOMKilled', `resources.limits.memory: ${declared}`],
      action: { type: 'none', reason: `the limit is at the ${cap} cap: the app's memory use needs a look (a leak?)` },
    };
  }
  const value = `${Math.floor(target / MI)}Mi`;
  return {
    rootCause: `container ${name} uses more memory than its ${declared} limit and is OOM-killed (exit 137) at every start`,
    confidence: 0.9,
    cited: ['lastState.terminated.reason: OOMKilled, exit code 137', `resources.limits.memory: ${declared}`],
    action: { type: 'raiseResource', container: name, resource: 'memory', field: 'limits', value },
  };
}
