import { parseArgs } from 'node:util';
import { DEFAULT_DETECTORS, workloadSignals } from '../detect/workload-signals.ts';
import { fingerprint, type Signal } from '../detect/signal.ts';
import { createLlmDiagnoser, LLM_ENV, llmDefaultsFromEnv, type DiagnosisResult } from '../diagnose/llm/index.ts';
import type { RemedyAction } from '../diagnose/remedy-action.ts';
import { diagnoseWithRules } from '../diagnose/rules.ts';
import type { KubeClient } from '../k8s/kube-client.ts';
import { Redactor } from '../redact/index.ts';
import { ClusterCache } from '../reconcile/cluster-cache.ts';
import { gatherDiagnosisInput } from '../reconcile/diagnosis-input.ts';
import { allWorkloads, snapshotWorkload, type WorkloadSnapshot } from '../reconcile/workload-view.ts';
import { connect } from './kubeconfig.ts';
import { UsageError } from './usage-error.ts';

export const ANALYZE_USAGE = `Usage: gopherguard analyze [-n NAMESPACE] [-o table|json] [--kubeconfig FILE] [--diagnose [model options]]

Scans the cluster once and lists every failing workload with the failure's class and
cause, as GopherGuard's detectors see it (default thresholds). Reads only; changes nothing.

  --diagnose               also diagnose each failure: its root cause and the remedy action,
                           with its parameters, that GopherGuard would propose
  --llm-provider NAME      ask a model too when the rules are unsure: openai, groq, xai,
                           openai-compatible or ollama (GOPHERGUARD_LLM_PROVIDER)
  --llm-model MODEL        (GOPHERGUARD_LLM_MODEL)
  --llm-base-url URL       (GOPHERGUARD_LLM_BASE_URL; needed for openai-compatible)
  --llm-policy POLICY      never, fallback (default: when the rules are unsure) or always
                           (GOPHERGUARD_LLM_POLICY)
The model's API key is read from GOPHERGUARD_LLM_API_KEY only, never from a flag.
Secrets in what is printed or sent to the model are masked.`;

export interface FindingDiagnosis {
  engine: 'rules' | 'llm';
  rootCause: string;
  confidence: number;
  action: RemedyAction;
  cited: string[];
  witty?: string;
  /** Why the rules' answer stands although a model was configured. */
  fallbackReason?: string;
  tokens?: number;
}

export interface Finding {
  namespace: string;
  workload: { kind: string; name: string };
  container?: string;
  class: Signal['class'];
  reason?: string;
  message?: string;
  exitCode?: number;
  restartCount?: number;
  seenOn: string;
  diagnosis?: FindingDiagnosis;
}

interface Failure {
  finding: Finding;
  signal: Signal;
  signals: Signal[];
  snapshot: WorkloadSnapshot;
}

/** One pass over a synced cache: the failures of every workload, sorted for reading. */
export function findFailures(cache: ClusterCache, namespace?: string): Finding[] {
  return scan(cache, namespace).map((f) => f.finding);
}

function scan(cache: ClusterCache, namespace?: string): Failure[] {
  const failures: Failure[] = [];
  for (const ref of allWorkloads(cache, namespace)) {
    const snapshot = snapshotWorkload(cache, ref);
    if (!snapshot) continue;
    const signals = workloadSignals(snapshot.view, DEFAULT_DETECTORS);
    for (const s of signals) {
      const finding: Finding = {
        namespace: ref.namespace, workload: { kind: ref.kind, name: ref.name }, container: s.container, class: s.class,
        reason: s.reason, message: s.message, exitCode: s.exitCode, restartCount: s.restartCount, seenOn: `${s.object.kind}/${s.object.name}`,
      };
      failures.push({ finding, signal: s, signals, snapshot });
    }
  }
  const order = (f: Finding) => `${f.namespace}/${f.workload.name}/${f.class}`;
  return failures.sort((a, b) => order(a.finding).localeCompare(order(b.finding)));
}

/** The rules' diagnosis of each failure, and the model's when one is configured (by its policy). */
async function diagnoseAll(client: KubeClient, failures: Failure[], env: NodeJS.ProcessEnv): Promise<Finding[]> {
  const redactor = new Redactor();
  const redact = (text: string) => redactor.redactText(text);
  const defaults = llmDefaultsFromEnv(env);
  const diagnoser = createLlmDiagnoser({ redact, ...(defaults ? { defaults } : {}) });
  const out: Finding[] = [];
  for (const { finding, signal, signals, snapshot } of failures) {
    const { input, logs, template } = await gatherDiagnosisInput(client, snapshot, signal, signals);
    const rules = diagnoseWithRules(input);
    const result: DiagnosisResult = await diagnoser.diagnose({
      fingerprint: fingerprint(signal), signalClass: signal.class, container: signal.container, template, logs, rules,
      evidence: { summary: `${signal.class}${signal.reason ? ` (${signal.reason})` : ''}${signal.message ? `: ${signal.message}` : ''}`.slice(0, 4096) },
      rulesOnly: !defaults,
    });
    const clean = (text: string) => redact(text).text;
    out.push({
      ...finding,
      message: finding.message && clean(finding.message),
      diagnosis: {
        engine: result.engine, rootCause: clean(result.rootCause), confidence: result.confidence, action: result.action, cited: result.cited.map(clean),
        ...(result.witty ? { witty: result.witty } : {}),
        ...(result.fallbackReason ? { fallbackReason: result.fallbackReason } : {}),
        ...(result.llm ? { tokens: result.llm.promptTokens + result.llm.completionTokens } : {}),
      },
    });
  }
  return out;
}

/** For a person at a terminal: each finding, then what GopherGuard concludes and would do. */
export function formatDiagnoses(findings: Finding[]): string {
  if (findings.length === 0) return 'No failing workloads found.\n';
  return findings.map((f) => {
    const d = f.diagnosis;
    const lines = [`${f.namespace}/${f.workload.kind.toLowerCase()}/${f.workload.name}${f.container ? ` (${f.container})` : ''}: ${f.class}`, `  why:     ${describe(f)}`];
    if (d) {
      lines.push(`  cause:   ${d.rootCause} (${d.engine}, confidence ${d.confidence.toFixed(2)})`);
      lines.push(`  action:  ${formatAction(d.action)}`);
      for (const c of d.cited.slice(0, 3)) lines.push(`  cites:   ${c}`);
      if (d.fallbackReason) lines.push(`  model:   not used: ${d.fallbackReason}`);
      if (d.witty) lines.push(`  ${d.witty}`);
    }
    return lines.join('\n');
  }).join('\n\n') + '\n';
}

export function formatAction(action: RemedyAction): string {
  const { type, ...params } = action;
  const args = Object.entries(params).map(([k, v]) => `${k}=${typeof v === 'string' && /\s/.test(v) ? JSON.stringify(v) : String(v)}`);
  return [type, ...args].join(' ');
}

export function formatTable(findings: Finding[]): string {
  if (findings.length === 0) return 'No failing workloads found.\n';
  const rows = findings.map((f) => [
    f.namespace, `${f.workload.kind.toLowerCase()}/${f.workload.name}`, f.container ?? '-', f.class,
    describe(f),
  ]);
  const header = ['NAMESPACE', 'WORKLOAD', 'CONTAINER', 'FAILURE', 'WHY'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

function describe(f: Finding): string {
  const parts: string[] = [];
  if (f.reason) parts.push(f.reason);
  if (f.exitCode !== undefined) parts.push(`exit ${f.exitCode}`);
  if (f.restartCount) parts.push(`${f.restartCount} restarts`);
  const message = (f.message ?? '').replace(/\s+/g, ' ');
  return `${parts.join(', ')}${message ? `: ${message.length > 100 ? `${message.slice(0, 99)}…` : message}` : ''}`;
}

export async function runAnalyzeCommand(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      namespace: { type: 'string', short: 'n' }, output: { type: 'string', short: 'o', default: 'table' }, kubeconfig: { type: 'string' },
      diagnose: { type: 'boolean', default: false },
      'llm-provider': { type: 'string' }, 'llm-model': { type: 'string' }, 'llm-base-url': { type: 'string' }, 'llm-policy': { type: 'string' },
    },
  });
  if (values.output !== 'table' && values.output !== 'json') throw new UsageError(`-o must be table or json, not ${values.output}`, ANALYZE_USAGE);
  const modelFlags = ['llm-provider', 'llm-model', 'llm-base-url', 'llm-policy'] as const;
  if (!values.diagnose && modelFlags.some((f) => values[f] !== undefined)) throw new UsageError('the --llm-* options need --diagnose', ANALYZE_USAGE);
  // Flags win over the environment; the key only ever comes from the environment.
  const llmEnv = {
    ...env,
    ...(values['llm-provider'] ? { [LLM_ENV.provider]: values['llm-provider'] } : {}),
    ...(values['llm-model'] ? { [LLM_ENV.model]: values['llm-model'] } : {}),
    ...(values['llm-base-url'] ? { [LLM_ENV.baseURL]: values['llm-base-url'] } : {}),
    ...(values['llm-policy'] ? { [LLM_ENV.policy]: values['llm-policy'] } : {}),
  };
  if (values.diagnose) {
    try {
      llmDefaultsFromEnv(llmEnv);
    } catch (error) {
      throw new UsageError((error as Error).message, ANALYZE_USAGE);
    }
  }
  const client = connect(values.kubeconfig);
  const cache = new ClusterCache({ client, ...(values.namespace ? { namespaces: [values.namespace] } : {}), withWatches: false });
  try {
    await cache.start();
  } finally {
    cache.stop();
  }
  const failures = scan(cache, values.namespace);
  // What a container wrote into its termination message can hold a secret too.
  const redactor = new Redactor();
  const findings = values.diagnose
    ? await diagnoseAll(client, failures, llmEnv)
    : failures.map(({ finding }) => ({ ...finding, ...(finding.message ? { message: redactor.redactText(finding.message).text } : {}) }));
  client.close();
  const table = values.diagnose ? formatDiagnoses(findings) : formatTable(findings);
  process.stdout.write(values.output === 'json' ? `${JSON.stringify(findings, null, 2)}\n` : table);
  return 0;
}
