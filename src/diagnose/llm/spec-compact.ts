// The pod template as the model needs it: the fields a remedy action can change or that
// explain the failure class, as compact JSON (no indentation to pay for, few spaces to
// datamark). The naive alternative, the whole spec, is mostly defaults and metadata.
import type { V1Container, V1EnvVar, V1PodTemplateSpec, V1Volume } from '@kubernetes/client-node';
import { parse } from 'yaml';
import type { SignalClass } from '../../api/healing-incident.ts';

type Group = 'probes' | 'config' | 'scheduling' | 'volumes' | 'pullSecrets';

const GROUPS: Record<SignalClass, Group[]> = {
  OOMKilled: [],
  MemorySaturation: [],
  CpuThrottling: [],
  ImagePull: ['pullSecrets'],
  ConfigError: ['config', 'volumes'],
  ProbeFailure: ['probes'],
  Latency: ['probes'],
  Unschedulable: ['scheduling'],
  CrashLoop: ['probes', 'config', 'volumes'],
  RolloutStuck: ['probes', 'config', 'scheduling'],
  ErrorRate: ['probes', 'config'],
  Custom: ['probes', 'config'],
  GitOpsSyncFailed: ['probes', 'config', 'volumes'],
  GitOpsDegraded: ['probes', 'config', 'volumes'],
};

const cut = (s: string, max = 120) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** Names and where values come from; literal values stay out (secrets typed into manifests live there). */
function envOf(env: V1EnvVar[] = []): string[] {
  return env.slice(0, 30).map((e) => {
    const from = e.valueFrom;
    if (from?.configMapKeyRef) return `${e.name}<-configMap:${from.configMapKeyRef.name}/${from.configMapKeyRef.key}`;
    if (from?.secretKeyRef) return `${e.name}<-secret:${from.secretKeyRef.name}/${from.secretKeyRef.key}`;
    if (from?.fieldRef) return `${e.name}<-field:${from.fieldRef.fieldPath}`;
    if (from?.resourceFieldRef) return `${e.name}<-resource:${from.resourceFieldRef.resource}`;
    return `${e.name}=(set)`;
  });
}

function containerOf(c: V1Container, groups: Group[], failing: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { image: c.image };
  if (c.resources && Object.keys(c.resources).length > 0) out.resources = c.resources;
  if (!failing) return out;
  if (groups.includes('probes')) {
    if (c.ports?.length) out.ports = c.ports.map((p) => p.containerPort);
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) if (c[probe]) out[probe] = c[probe];
  }
  if (groups.includes('config')) {
    if (c.command?.length) out.command = c.command.slice(0, 10).map((a) => cut(a));
    if (c.args?.length) out.args = c.args.slice(0, 10).map((a) => cut(a));
    if (c.env?.length) out.env = envOf(c.env);
    if (c.envFrom?.length) out.envFrom = c.envFrom.map((f) => (f.configMapRef ? `configMap:${f.configMapRef.name}` : `secret:${f.secretRef?.name}`));
    if (c.volumeMounts?.length) out.mounts = Object.fromEntries(c.volumeMounts.map((m) => [m.name, m.mountPath]));
  }
  return out;
}

function volumeOf(v: V1Volume): string {
  if (v.configMap) return `configMap:${v.configMap.name}`;
  if (v.secret) return `secret:${v.secret.secretName}`;
  if (v.persistentVolumeClaim) return `pvc:${v.persistentVolumeClaim.claimName}`;
  if (v.emptyDir) return 'emptyDir';
  return Object.keys(v).find((k) => k !== 'name') ?? 'unknown';
}

/** The template from the incident's evidence.podTemplate (YAML), if it parses. */
export function templateFromYaml(yamlText: string): V1PodTemplateSpec | undefined {
  try {
    const parsed: unknown = parse(yamlText);
    return parsed && typeof parsed === 'object' && 'spec' in parsed ? (parsed as V1PodTemplateSpec) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One line per container (the failing one first and in full for its class, the others
 * by image and resources) and one for the pod, as JSON. `yamlText` (the incident's
 * evidence.podTemplate) is the fallback when no template object is at hand.
 */
export function compactSpec(input: { template?: V1PodTemplateSpec; yamlText?: string }, signalClass: SignalClass, container?: string, maxChars = 2000): string | undefined {
  const template = input.template ?? (input.yamlText ? templateFromYaml(input.yamlText) : undefined);
  const spec = template?.spec;
  if (!spec) return input.yamlText ? cut(input.yamlText, maxChars) : undefined;
  const groups = GROUPS[signalClass] ?? [];
  const failing = spec.containers.find((c) => c.name === container) ?? spec.containers[0];
  const lines: string[] = [];
  for (const c of [...(failing ? [failing] : []), ...spec.containers.filter((c) => c !== failing)]) {
    lines.push(`container ${c.name}${c === failing ? ' (failing)' : ''}: ${JSON.stringify(containerOf(c, groups, c === failing))}`);
  }
  for (const c of spec.initContainers ?? []) lines.push(`initContainer ${c.name}: ${JSON.stringify(containerOf(c, groups, c.name === container))}`);
  const pod: Record<string, unknown> = {};
  if (groups.includes('volumes') && spec.volumes?.length) pod.volumes = Object.fromEntries(spec.volumes.map((v) => [v.name, volumeOf(v)]));
  if (groups.includes('pullSecrets') && spec.imagePullSecrets?.length) pod.imagePullSecrets = spec.imagePullSecrets.map((s) => s.name);
  if (groups.includes('scheduling')) {
    for (const key of ['nodeSelector', 'affinity', 'tolerations', 'topologySpreadConstraints', 'priorityClassName'] as const) if (spec[key]) pod[key] = spec[key];
  }
  if (Object.keys(pod).length > 0) lines.push(`pod: ${JSON.stringify(pod)}`);
  return cut(lines.join('\n'), maxChars);
}
