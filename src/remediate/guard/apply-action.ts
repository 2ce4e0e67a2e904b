// The intended result of a remedy action: the workload with exactly that change, as a new
// object. The guard holds any proposed object to this; the YAML editor may use it as the
// reference for what its edit must produce.
import type { V1Container, V1EnvVar, V1PodTemplateSpec, V1Probe } from '@kubernetes/client-node';
import { PROBE_FIELD } from '../../diagnose/probes.ts';
import type { RemedyAction } from '../../diagnose/remedy-action.ts';
import { withTag } from './images.ts';
import { itemNames, parsePath, type Segment } from './json-paths.ts';
import type { ChangeHistory, Workload } from './types.ts';
import { revisionTemplates } from './workload.ts';

/** The action does not fit the workload (no such container, probe or path). */
export class ApplyActionError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ApplyActionError';
  }
}

export interface ApplyOptions {
  /** Earlier revisions, newest first: where restoreEnv without a value finds the variable. */
  history?: ChangeHistory;
}

/** A startup probe checks this often; its failure threshold then covers the start time. */
export const STARTUP_PERIOD_SECONDS = 10;

export function applyAction<T extends Workload>(workload: T, action: RemedyAction, options: ApplyOptions = {}): T {
  const result = structuredClone(workload);
  const template = result.spec?.template;
  if (!template?.spec) throw new ApplyActionError(`${result.kind ?? 'the object'} has no pod template`);
  switch (action.type) {
    case 'none':
      return result;
    case 'revertCommit':
      throw new ApplyActionError('revertCommit is applied in Git (git revert), not to an object');
    case 'revertField':
      setTemplatePath(template, action.path, action.value);
      return result;
    case 'raiseResource': {
      const c = container(template, action.container);
      c.resources = { ...c.resources, [action.field]: { ...c.resources?.[action.field], [action.resource]: action.value } };
      return result;
    }
    case 'fitRequests': {
      const c = container(template, action.container);
      const requests = { ...c.resources?.requests };
      if (action.cpu !== undefined) requests.cpu = action.cpu;
      if (action.memory !== undefined) requests.memory = action.memory;
      c.resources = { ...c.resources, requests };
      return result;
    }
    case 'setImageTag': {
      const c = container(template, action.container);
      if (!c.image) throw new ApplyActionError(`container ${action.container} has no image`);
      c.image = withTag(c.image, action.tag);
      return result;
    }
    case 'fixProbe': {
      const c = container(template, action.container);
      const probe = c[PROBE_FIELD[action.probe]];
      if (!probe) throw new ApplyActionError(`container ${action.container} has no ${action.probe} probe to fix`);
      fixProbe(probe, action, action.container);
      return result;
    }
    case 'addStartupProbe': {
      const c = container(template, action.container);
      c.startupProbe = startupProbe(c, action.startupSeconds);
      return result;
    }
    case 'restoreEnv': {
      const c = container(template, action.container);
      const restored: V1EnvVar = action.value !== undefined
        ? { name: action.name, value: action.value }
        : historyEnv(options.history, action.container, action.name);
      const env = c.env ?? [];
      const at = env.findIndex((e) => e.name === action.name);
      if (at >= 0) env[at] = restored;
      else env.push(restored);
      c.env = env;
      return result;
    }
  }
}

function container(template: V1PodTemplateSpec, name: string): V1Container {
  const found = (template.spec?.containers ?? []).filter((c) => c.name === name);
  if (found.length !== 1) throw new ApplyActionError(`the pod template has ${found.length === 0 ? 'no' : 'more than one'} container ${name}`);
  return found[0] as V1Container;
}

function fixProbe(probe: V1Probe, action: Extract<RemedyAction, { type: 'fixProbe' }>, name: string): void {
  if (action.port !== undefined) {
    const handler = probe.httpGet ?? probe.tcpSocket ?? probe.grpc;
    if (!handler) throw new ApplyActionError(`the ${action.probe} probe of ${name} runs a command and has no port`);
    handler.port = action.port;
  }
  if (action.path !== undefined) {
    if (!probe.httpGet) throw new ApplyActionError(`the ${action.probe} probe of ${name} is not an HTTP probe`);
    probe.httpGet.path = action.path;
  }
  if (action.initialDelaySeconds !== undefined) probe.initialDelaySeconds = action.initialDelaySeconds;
  if (action.timeoutSeconds !== undefined) probe.timeoutSeconds = action.timeoutSeconds;
  if (action.failureThreshold !== undefined) probe.failureThreshold = action.failureThreshold;
}

/**
 * A startup probe that asks what the liveness probe asks (the readiness probe's question
 * without one), every 10 s, for as long as the app needs to start. While it runs, the
 * liveness probe waits, so a slow start is no longer killed.
 */
export function startupProbe(c: V1Container, startupSeconds: number): V1Probe {
  const source = c.livenessProbe ?? c.readinessProbe;
  if (!source) throw new ApplyActionError(`container ${c.name} has no liveness or readiness probe to derive a startup probe from`);
  const { httpGet, tcpSocket, grpc, exec } = structuredClone(source);
  const probe: V1Probe = { ...(httpGet && { httpGet }), ...(tcpSocket && { tcpSocket }), ...(grpc && { grpc }), ...(exec && { exec }) };
  probe.periodSeconds = STARTUP_PERIOD_SECONDS;
  probe.failureThreshold = Math.ceil(startupSeconds / STARTUP_PERIOD_SECONDS);
  if (source.timeoutSeconds !== undefined) probe.timeoutSeconds = source.timeoutSeconds;
  return probe;
}

function historyEnv(history: ChangeHistory | undefined, containerName: string, name: string): V1EnvVar {
  for (const template of revisionTemplates(history?.revisions)) {
    const c = ((template.spec as { containers?: V1Container[] } | undefined)?.containers ?? []).find((x) => x.name === containerName);
    const env = c?.env?.find((e) => e.name === name);
    if (env) return structuredClone(env);
  }
  throw new ApplyActionError(`no earlier revision had env var ${name} in container ${containerName}`);
}

// Fields the API declares as integers (or int-or-string ports): a reverted "8080" is 8080 there.
const NUMERIC = /^(port|containerPort|hostPort|replicas|\w+Seconds|\w+Threshold|runAsUser|runAsGroup|fsGroup|defaultMode|mode)$/;
const BOOLEAN = /^(privileged|readOnly|readOnlyRootFilesystem|runAsNonRoot|allowPrivilegeEscalation|optional|stdin|tty)$/;

/** Sets one leaf of the pod template from its analyzer path; lists of scalars (command, args) come as JSON. */
export function setTemplatePath(template: V1PodTemplateSpec, path: string, value: string): void {
  let segments: Segment[];
  try {
    segments = parsePath(path);
  } catch (error) {
    throw new ApplyActionError(`path ${path} is malformed`, { cause: error });
  }
  const last = segments.at(-1);
  if (!last || !('key' in last)) throw new ApplyActionError(`path ${path} does not end in a field`);
  let node: unknown = template;
  for (const segment of segments.slice(0, -1)) node = step(node, segment, path);
  const parent = node as Record<string, unknown>;
  unpolluting(last.key, path);
  parent[last.key] = typed(Object.hasOwn(parent, last.key) ? parent[last.key] : undefined, last.key, value);
}

// A path comes from a model too: it must never reach Object.prototype.
function unpolluting(key: string, path: string): void {
  if (key === '__proto__' || key === 'constructor' || key === 'prototype') throw new ApplyActionError(`path ${path} names ${key}`);
}

function step(node: unknown, segment: Segment, path: string): unknown {
  if ('key' in segment) {
    const object = node as Record<string, unknown>;
    unpolluting(segment.key, path);
    if (!Object.hasOwn(object, segment.key) || object[segment.key] === undefined) object[segment.key] = {};
    const child = object[segment.key];
    if (child === null || typeof child !== 'object') throw new ApplyActionError(`path ${path} runs through the value of ${segment.key}`);
    return child;
  }
  if (!Array.isArray(node)) throw new ApplyActionError(`path ${path} expects a list before [${'name' in segment ? segment.name : segment.index}]`);
  if ('index' in segment) {
    if (segment.index >= node.length) throw new ApplyActionError(`path ${path}: no item ${segment.index}`);
    return node[segment.index];
  }
  const names = itemNames(node);
  const at = names?.indexOf(segment.name) ?? -1;
  if (at < 0) throw new ApplyActionError(`path ${path}: no item named ${segment.name}`);
  return node[at];
}

function typed(current: unknown, key: string, value: string): unknown {
  if ((typeof current === 'number' || NUMERIC.test(key)) && /^\d+$/.test(value)) return Number(value);
  // A port may be named: 8080 may go back to "http".
  if (typeof current === 'number' && key !== 'port') throw new ApplyActionError(`${key} needs a number, not ${value}`);
  if (typeof current === 'boolean' || (current === undefined && BOOLEAN.test(key))) {
    if (value !== 'true' && value !== 'false') throw new ApplyActionError(`${key} needs true or false, not ${value}`);
    return value === 'true';
  }
  if (Array.isArray(current) || key === 'command' || key === 'args') {
    let list: unknown;
    try {
      list = JSON.parse(value);
    } catch (error) {
      throw new ApplyActionError(`${key} needs a JSON list, not ${value}`, { cause: error });
    }
    if (!Array.isArray(list)) throw new ApplyActionError(`${key} needs a JSON list, not ${value}`);
    return list;
  }
  return value;
}
