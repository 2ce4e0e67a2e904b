import { analyzeConfigError } from './config-analyzer.ts';
import { analyzeCrashLoop } from './crash-analyzer.ts';
import { analyzeGitOpsSyncFailed } from './gitops-analyzer.ts';
import { analyzeImagePull } from './image-analyzer.ts';
import { analyzeCpuThrottling, analyzeMemorySaturation, analyzeRegression } from './metric-analyzer.ts';
import { analyzeOomKilled } from './oom-analyzer.ts';
import { analyzeProbeFailure } from './probe-analyzer.ts';
import { killedByProbe } from './probes.ts';
import { RemedyAction } from './remedy-action.ts';
import { analyzeRolloutStuck } from './rollout-analyzer.ts';
import { quote, targetContainer, type AnalyzerInput, type RuleDiagnosis } from './rule-diagnosis.ts';
import { analyzeUnschedulable } from './schedule-analyzer.ts';
import { isSlowStart } from './startup-analyzer.ts';

const MAX_CITED = 8;

/**
 * The deterministic diagnosis: the analyzer for the signal's class, or a low-confidence
 * explanation when no rule covers it (the LLM's turn, if the watch has one). Whatever an
 * analyzer returns leaves here inside the closed set's bounds: an action that would not
 * validate becomes an explanation, confidence is kept within 0..1, citations bounded.
 */
export function diagnoseWithRules(input: AnalyzerInput): RuleDiagnosis {
  // The signal names the container when the caller did not.
  return bounded(dispatch({ ...input, container: input.container ?? input.signal?.container }));
}

function dispatch(input: AnalyzerInput): RuleDiagnosis {
  switch (input.signal?.class) {
    case 'OOMKilled':
      return analyzeOomKilled(input);
    case 'ImagePull':
      return analyzeImagePull(input);
    case 'ConfigError':
      return analyzeConfigError(input);
    case 'ProbeFailure':
      return analyzeProbeFailure(input);
    case 'Unschedulable':
      return analyzeUnschedulable(input);
    case 'CrashLoop':
      // A SIGKILL the kubelet gave for a failed probe (or of a slow starter whose kill
      // events have expired) is the probe's doing, not the app's.
      return killedByLiveness(input) ? analyzeProbeFailure(input) : analyzeCrashLoop(input);
    case 'GitOpsSyncFailed':
      return analyzeGitOpsSyncFailed(input);
    case 'RolloutStuck':
      return analyzeRolloutStuck(input, dispatch);
    case 'ErrorRate':
    case 'Latency':
    case 'Custom':
      return analyzeRegression(input);
    case 'CpuThrottling':
      return analyzeCpuThrottling(input);
    case 'MemorySaturation':
      return analyzeMemorySaturation(input);
    default:
      return explainOnly(input);
  }
}

function killedByLiveness(input: AnalyzerInput): boolean {
  const code = input.signal?.exitCode;
  if (code !== 137 && code !== 143) return false;
  if (!targetContainer(input)?.livenessProbe) return false;
  return killedByProbe(input) || isSlowStart(input);
}

function explainOnly(input: AnalyzerInput): RuleDiagnosis {
  const signal = input.signal;
  const what = signal ? `${signal.class}${signal.reason ? ` (${signal.reason})` : ''}` : 'a failure';
  return {
    rootCause: `no rule explains ${what}${signal?.container ? ` of container ${signal.container}` : ''}`,
    confidence: 0.1,
    cited: signal?.message ? [quote(signal.message)] : [],
    action: { type: 'none', reason: `no deterministic rule covers ${what}; the evidence needs a closer look` },
  };
}

function bounded(diagnosis: RuleDiagnosis): RuleDiagnosis {
  const parsed = RemedyAction.safeParse(diagnosis.action);
  const confidence = Math.round(Math.min(1, Math.max(0, diagnosis.confidence)) * 100) / 100;
  const cited = diagnosis.cited.slice(0, MAX_CITED).map((c) => quote(c));
  if (parsed.success) return { ...diagnosis, confidence, cited, action: parsed.data };
  return {
    rootCause: diagnosis.rootCause,
    confidence: Math.min(confidence, 0.3),
    cited,
    action: { type: 'none', reason: quote(`the fix found (${diagnosis.action.type}) is outside the allowed bounds: ${diagnosis.rootCause}`, 1000) },
  };
}
