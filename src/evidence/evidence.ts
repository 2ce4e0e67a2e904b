import type { CoreV1Event, V1PodTemplateSpec } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import type { Evidence } from '../api/healing-incident.ts';
import type { Signal } from '../detect/signal.ts';
import type { KubeClient } from '../k8s/kube-client.ts';

export const LOG_LIMIT_LINES = 200;
export const LOG_LIMIT_BYTES = 64 * 1024;
const EXCERPT_BYTES = 8192;

/** The evidence that fits in an incident's status: bounded, newest events first. */
export function summarizeEvidence(signal: Signal, events: CoreV1Event[], ownerChain: string[], change: string | undefined, template?: V1PodTemplateSpec): Evidence {
  const where = signal.container ? `container ${signal.container} of ${signal.object.kind.toLowerCase()} ${signal.object.name}` : `${signal.object.kind} ${signal.object.name}`;
  const parts = [`${signal.class} in ${where}`];
  if (signal.reason) parts.push(`reason ${signal.reason}`);
  if (signal.exitCode !== undefined) parts.push(`exit code ${signal.exitCode}`);
  if (signal.restartCount !== undefined) parts.push(`${signal.restartCount} restarts`);
  const summary = `${parts.join(', ')}${signal.message ? `: ${signal.message}` : ''}`;
  const relevant = events
    .filter((e) => e.involvedObject.name === signal.object.name || e.involvedObject.kind !== 'Pod')
    .sort((a, b) => stamp(b) - stamp(a))
    .slice(0, 20)
    .map((e) => ({
      reason: (e.reason ?? '').slice(0, 256),
      message: (e.message ?? '').slice(0, 512),
      count: e.count ?? 1,
      lastSeen: new Date(stamp(e) || Date.now()).toISOString(),
    }));
  return {
    summary: summary.slice(0, 4096),
    ...(signal.restartCount !== undefined ? { restartCount: signal.restartCount } : {}),
    ...(signal.exitCode !== undefined ? { exitCode: signal.exitCode } : {}),
    ...(signal.reason ? { reason: signal.reason.slice(0, 256) } : {}),
    events: relevant,
    ownerChain: ownerChain.slice(0, 10),
    ...(change ? { templateChange: change.slice(0, 4096) } : {}),
    ...(template ? { podTemplate: podTemplateYaml(template) } : {}),
  };
}

/**
 * The pod template as a person would read it in the manifest. Env values are left out
 * (names kept): they are where secrets typed into manifests live, and redaction proper
 * comes with the diagnosis stage.
 */
export function podTemplateYaml(template: V1PodTemplateSpec, max = 8192): string {
  const spec = structuredClone(template.spec);
  for (const c of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]) {
    c.env = c.env?.map((e) => (e.value === undefined ? e : { name: e.name, value: '(value not shown)' }));
  }
  const labels = { ...template.metadata?.labels };
  delete labels['pod-template-hash'];
  const text = stringify({ metadata: { labels, annotations: template.metadata?.annotations }, spec }, { lineWidth: 0 });
  return text.length > max ? `${text.slice(0, max - 2)}…\n` : text;
}

/**
 * The logs that explain a container failure: the previous instance's (what it printed
 * before it died) and the current one's, each bounded by lines and bytes as the API
 * server cuts them, then kept to the last 8 KiB for the incident.
 */
export async function collectLogs(client: KubeClient, namespace: string, pod: string, container: string): Promise<string | undefined> {
  const { previous, current } = await readPodLogs(client, namespace, pod, container);
  return logExcerpt(previous, current);
}

/**
 * The previous instance's last lines (why it died) and the current one's (what it does
 * now), the tail of each: half the excerpt each when both are long, so a chatty current
 * instance never pushes the crash out; one that is short leaves its room to the other.
 */
export function logExcerpt(previous: string | undefined, current: string | undefined, budget = EXCERPT_BYTES): string | undefined {
  const parts = [previous && { title: '--- previous ---', body: previous.trimEnd() }, current && { title: '--- current ---', body: current.trimEnd() }]
    .filter((p): p is { title: string; body: string } => Boolean(p));
  if (parts.length === 0) return undefined;
  const room = budget - parts.reduce((n, p) => n + p.title.length + 2, 0);
  const [first, second] = parts;
  const fair = Math.floor(room / parts.length);
  const firstRoom = second ? Math.max(fair, room - second.body.length) : room;
  const tail = (text: string, max: number) => (text.length > max ? `…${text.slice(text.length - max + 1)}` : text);
  const firstBody = tail(first?.body ?? '', firstRoom);
  const out = [`${first?.title}\n${firstBody}`];
  if (second) out.push(`${second.title}\n${tail(second.body, room - firstBody.length)}`);
  return out.join('\n');
}

/** A container's previous and current logs, each bounded (200 lines, 64 KiB) by the API server. */
export async function readPodLogs(client: KubeClient, namespace: string, pod: string, container: string): Promise<{ previous?: string; current?: string }> {
  const read = async (previous: boolean) => {
    try {
      return await client.text(`/api/v1/namespaces/${namespace}/pods/${pod}/log`, { query: { container, previous, tailLines: LOG_LIMIT_LINES, limitBytes: LOG_LIMIT_BYTES } });
    } catch {
      return undefined; // no previous instance, or the container never ran
    }
  };
  const [previous, current] = await Promise.all([read(true), read(false)]);
  return { previous: previous || undefined, current: current || undefined };
}

function stamp(e: CoreV1Event): number {
  const t = e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp;
  return t ? new Date(t as unknown as string).getTime() : 0;
}
