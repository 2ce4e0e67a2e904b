import { parseArgs } from 'node:util';
import { DEFAULT_DETECTORS, workloadSignals } from '../detect/workload-signals.ts';
import type { Signal } from '../detect/signal.ts';
import { ClusterCache } from '../reconcile/cluster-cache.ts';
import { allWorkloads, snapshotWorkload } from '../reconcile/workload-view.ts';
import { connect } from './kubeconfig.ts';
import { UsageError } from './usage-error.ts';

export const ANALYZE_USAGE = `Usage: gopherguard analyze [-n NAMESPACE] [-o table|json] [--kubeconfig FILE]

Scans the cluster once and lists every failing workload with the failure's class and
cause, as GopherGuard's detectors see it (default thresholds). Reads only; changes nothing.`;

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
}

/** One pass over a synced cache: the failures of every workload, sorted for reading. */
export function findFailures(cache: ClusterCache, namespace?: string): Finding[] {
  const findings: Finding[] = [];
  for (const ref of allWorkloads(cache, namespace)) {
    const snapshot = snapshotWorkload(cache, ref);
    if (!snapshot) continue;
    for (const s of workloadSignals(snapshot.view, DEFAULT_DETECTORS)) {
      findings.push({
        namespace: ref.namespace, workload: { kind: ref.kind, name: ref.name }, container: s.container, class: s.class,
        reason: s.reason, message: s.message, exitCode: s.exitCode, restartCount: s.restartCount, seenOn: `${s.object.kind}/${s.object.name}`,
      });
    }
  }
  return findings.sort((a, b) => `${a.namespace}/${a.workload.name}/${a.class}`.localeCompare(`${b.namespace}/${b.workload.name}/${b.class}`));
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

export async function runAnalyzeCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { namespace: { type: 'string', short: 'n' }, output: { type: 'string', short: 'o', default: 'table' }, kubeconfig: { type: 'string' } },
  });
  if (values.output !== 'table' && values.output !== 'json') throw new UsageError(`-o must be table or json, not ${values.output}`, ANALYZE_USAGE);
  const cache = new ClusterCache({ client: connect(values.kubeconfig), namespace: values.namespace, withWatches: false });
  try {
    await cache.start();
  } finally {
    cache.stop();
  }
  const findings = findFailures(cache, values.namespace);
  process.stdout.write(values.output === 'json' ? `${JSON.stringify(findings, null, 2)}\n` : formatTable(findings));
  return 0;
}
