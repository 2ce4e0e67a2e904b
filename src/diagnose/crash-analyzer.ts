import { analyzeRecentChange } from './change-analyzer.ts';
import { errorLine, logLines, missingEnvVar } from './log-facts.ts';
import { byRevision, containerName, quote, type AnalyzerInput, type RuleDiagnosis } from './rule-diagnosis.ts';

/**
 * A container that keeps exiting. What it printed comes first: an app that names the
 * env var it needs gets it back from the last revision that set it. Then the last
 * rollout: a crash that began with a change is reverted (crash-analyzer defers to
 * change-analyzer). Otherwise the crash is explained, quoting its last error line.
 */
export function analyzeCrashLoop(input: AnalyzerInput): RuleDiagnosis {
  const name = containerName(input);
  const lines = logLines(input.previousLogs, input.currentLogs);
  const exit = input.signal?.exitCode !== undefined ? `exit code ${input.signal.exitCode}` : 'a non-zero exit';
  const restarts = input.signal?.restartCount !== undefined ? `, ${input.signal.restartCount} restarts` : '';

  const env = missingEnvVar(lines);
  if (env) {
    const diagnosis = restoreMissingEnv(input, name, env.value, env.line);
    if (diagnosis) return diagnosis;
  }
  const change = analyzeRecentChange(input, `container ${name} crashes (${exit}${restarts})`);
  if (change) {
    const error = errorLine(lines);
    return { ...change, cited: [...change.cited, ...(error ? [`log: ${quote(error)}`] : [])] };
  }
  const error = errorLine(lines);
  return {
    rootCause: `container ${name} crashes (${exit}${restarts})${error ? `: ${quote(error, 120)}` : ''}, and no rule links it to a change`,
    confidence: 0.3,
    cited: [`${exit}${restarts}`, ...(error ? [`log: ${quote(error)}`] : [])],
    action: { type: 'none', reason: error ? `the app fails with "${quote(error, 200)}": a bug or a dependency, not the manifest` : 'the logs do not say why the app exits' },
  };
}

/**
 * The app says it needs env var NAME. If the template still sets it, something else is
 * wrong (undefined: other rules go on). If an earlier revision set it, that is restored;
 * if none did, the cause is explained: the value is not anything GopherGuard can know.
 */
function restoreMissingEnv(input: AnalyzerInput, container: string, env: string, line: string): RuleDiagnosis | undefined {
  const current = input.template?.spec?.containers.find((c) => c.name === container);
  if (current?.env?.some((e) => e.name === env)) return undefined;
  const [, ...older] = byRevision(input.replicaSets);
  for (const rs of older) {
    const had = rs.spec?.template?.spec?.containers.find((c) => c.name === container)?.env?.find((e) => e.name === env);
    if (!had) continue;
    const revision = rs.metadata?.annotations?.['deployment.kubernetes.io/revision'];
    return {
      rootCause: `container ${container} exits because env var ${env} is not set; revision ${revision} set it${had.valueFrom ? ' from a reference' : ''}`,
      confidence: 0.9,
      cited: [`log: ${quote(line)}`, `revision ${revision} sets env ${env}`, `the current template does not set ${env}`],
      action: { type: 'restoreEnv', container, name: env, ...(had.value !== undefined ? { value: had.value } : {}) },
    };
  }
  return {
    rootCause: `container ${container} exits because env var ${env} is not set, and no earlier revision set it`,
    confidence: 0.75,
    cited: [`log: ${quote(line)}`, `no revision of the template sets ${env}`],
    action: { type: 'none', reason: `set ${env} in the manifest (from a ConfigMap or Secret if it is sensitive); no revision had a value to restore` },
  };
}
