import type { V1PodTemplateSpec } from '@kubernetes/client-node';
import { fieldName, revertAction } from './change-analyzer.ts';
import { messages, quote, targetContainer, type AnalyzerInput, type RuleDiagnosis } from './rule-diagnosis.ts';
import { describeChange, lastRolloutChange } from './template-diff.ts';

/** A ConfigMap or Secret (or one of its keys) that a container needs and the kubelet cannot find. */
export interface MissingConfig {
  kind: 'ConfigMap' | 'Secret';
  name: string;
  key?: string;
  /** The kubelet's words. */
  message: string;
}

/**
 * Reads the kubelet's CreateContainerConfigError (and FailedMount) messages:
 * `configmap "app-config" not found`, `secret "db" not found`,
 * `couldn't find key LOG_LEVEL in ConfigMap default/app-config`.
 */
export function parseMissingConfig(texts: string[]): MissingConfig | undefined {
  for (const message of texts) {
    const key = /couldn't find key (\S+) in (ConfigMap|Secret) (?:[\w.-]+\/)?([\w.-]+)/i.exec(message);
    if (key?.[1] && key[2] && key[3]) return { kind: key[2].toLowerCase() === 'secret' ? 'Secret' : 'ConfigMap', name: key[3], key: key[1], message };
    const object = /\b(configmap|secret)s? "([^"]+)" not found/i.exec(message);
    if (object?.[1] && object[2]) return { kind: object[1].toLowerCase() === 'secret' ? 'Secret' : 'ConfigMap', name: object[2], message };
  }
  return undefined;
}

/**
 * A container that cannot be created because config it refers to does not exist. If
 * the last rollout is what pointed the ref there (renamed the ConfigMap, the Secret or the
 * key, or replaced a literal value with the ref), that change is reverted; otherwise the
 * missing object has to be created, which is no manifest edit of this workload.
 */
export function analyzeConfigError(input: AnalyzerInput): RuleDiagnosis {
  const missing = parseMissingConfig(messages(input));
  const name = targetContainer(input)?.name ?? input.signal?.container ?? 'app';
  if (!missing) {
    const said = input.signal?.message ?? input.signal?.reason ?? 'CreateContainerConfigError';
    return {
      rootCause: `container ${name} cannot be created: ${said}`,
      confidence: 0.35,
      cited: [quote(said)],
      action: { type: 'none', reason: 'the kubelet message names no ConfigMap or Secret: check the container spec against what exists' },
    };
  }
  const what = missing.key ? `key ${missing.key} of ${missing.kind} ${missing.name}` : `${missing.kind} ${missing.name}`;
  const cited = [`kubelet: ${quote(missing.message)}`];
  const change = lastRolloutChange(input.replicaSets);
  const sites = input.template ? referencingSites(input.template, missing) : [];
  for (const site of sites) {
    const touched = change?.changes.filter((c) => c.path === site || c.path.startsWith(`${site}.`) || c.path.startsWith(`${site}[`)) ?? [];
    if (!change || touched.length === 0) continue;
    const lines = [...cited, `revision ${change.from} → ${change.to}`, ...touched.slice(0, 4).map(describeChange)];
    if (touched.every((c) => c.before === undefined)) {
      return {
        rootCause: `revision ${change.to} added a reference to ${what}, which does not exist`,
        confidence: 0.8,
        cited: lines,
        action: { type: 'none', reason: `create ${what}, or remove ${fieldName(touched)} added in revision ${change.to}` },
      };
    }
    const action = revertAction(touched, change);
    if (action) {
      return {
        rootCause: `revision ${change.to} changed ${fieldName(touched)} to refer to ${what}, which does not exist; revision ${change.from} referred to config that does`,
        confidence: 0.85,
        cited: lines,
        action,
      };
    }
  }
  return {
    rootCause: `container ${name} refers to ${what}, which does not exist in the namespace`,
    confidence: 0.8,
    cited: [...cited, ...sites.slice(0, 2).map((s) => `referenced at ${s}`)],
    action: { type: 'none', reason: `create ${what} (it is not in the workload's manifest), or mark the reference optional` },
  };
}

/** Template paths (as template-diff names them) of every reference to the missing object or key. */
function referencingSites(template: V1PodTemplateSpec, missing: MissingConfig): string[] {
  const sites: string[] = [];
  const isConfigMap = missing.kind === 'ConfigMap';
  const matches = (ref: { name?: string; key?: string } | undefined) => ref?.name === missing.name && (missing.key === undefined || ref.key === missing.key);
  for (const field of ['initContainers', 'containers'] as const) {
    for (const c of template.spec?.[field] ?? []) {
      for (const env of c.env ?? []) {
        const ref = isConfigMap ? env.valueFrom?.configMapKeyRef : env.valueFrom?.secretKeyRef;
        if (matches(ref)) sites.push(`spec.${field}[${c.name}].env[${env.name}]`);
      }
      (c.envFrom ?? []).forEach((from, i) => {
        const ref = isConfigMap ? from.configMapRef : from.secretRef;
        if (ref?.name === missing.name && missing.key === undefined) sites.push(`spec.${field}[${c.name}].envFrom[${i}]`);
      });
    }
  }
  for (const volume of template.spec?.volumes ?? []) {
    const ref = isConfigMap ? volume.configMap?.name : volume.secret?.secretName;
    const projected = volume.projected?.sources?.some((s) => (isConfigMap ? s.configMap?.name : s.secret?.name) === missing.name);
    if (ref === missing.name || projected) sites.push(`spec.volumes[${volume.name}]`);
  }
  return sites;
}
