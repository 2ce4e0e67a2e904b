import type { V1Node, V1PodTemplateSpec } from '@kubernetes/client-node';
import { analyzerInput, logSource, nodeAllocatable } from '../diagnose/analyzer-input.ts';
import type { AnalyzerInput, NodeAllocatable } from '../diagnose/rule-diagnosis.ts';
import type { Signal } from '../detect/signal.ts';
import { readPodLogs } from '../evidence/evidence.ts';
import type { KubeClient, ListResult } from '../k8s/kube-client.ts';
import type { WorkloadSnapshot } from './workload-view.ts';

export interface DiagnosisInput {
  input: AnalyzerInput;
  /** Previous and current logs as one text, for the model (which compresses them). */
  logs?: string;
  template?: V1PodTemplateSpec;
}

/**
 * What a diagnosis of one signal needs beyond the cache: the failing pod's previous and
 * current logs, and the nodes' allocatable when scheduling failed. Used by the operator
 * and by `gopherguard analyze --diagnose`.
 */
export async function gatherDiagnosisInput(client: KubeClient, snapshot: WorkloadSnapshot | undefined, signal: Signal, signals: Signal[], log?: (message: string, fields?: Record<string, unknown>) => void): Promise<DiagnosisInput> {
  const template = (snapshot?.object as { spec?: { template?: V1PodTemplateSpec } } | undefined)?.spec?.template;
  const source = logSource(signal, signals, template);
  const logs = source ? await readPodLogs(client, signal.workload.namespace, source.pod, source.container) : {};
  const nodes = signal.class === 'Unschedulable' ? await listNodes(client, log) : undefined;
  const input = analyzerInput({ template, replicaSets: snapshot?.replicaSets ?? [], events: snapshot?.view.events ?? [] }, signal, signals, logs, nodes);
  const joined = [logs.previous && `--- previous ---\n${logs.previous}`, logs.current && `--- current ---\n${logs.current}`].filter(Boolean).join('\n');
  return { input, logs: joined || undefined, template };
}

async function listNodes(client: KubeClient, log?: (message: string, fields?: Record<string, unknown>) => void): Promise<NodeAllocatable[] | undefined> {
  try {
    return nodeAllocatable((await client.get<ListResult<V1Node>>('/api/v1/nodes')).items);
  } catch (error) {
    // Without node access the fit is unknown: the analyzer explains instead of fitting.
    log?.('could not list nodes for a scheduling diagnosis', { error: String(error) });
    return undefined;
  }
}
