import type { V1Container, V1Pod, V1Probe } from '@kubernetes/client-node';
import { DECLARES, parseDurationSeconds } from './annotations.ts';
import { parseQuantity } from '../../k8s/quantity.ts';

export type Behaviour =
  | 'healthy'
  | 'oom'
  | 'crash'
  | 'image-pull'
  | 'config-error'
  | 'readiness-fail'
  | 'liveness-fail'
  | 'slow-start';

/** Why a probe fails: nothing listens on its port, or the path answers 404. */
export type ProbeFailure = 'refused' | 'http-404';

export interface Verdict {
  behaviour: Behaviour;
  /** The container that misbehaves (absent when healthy). */
  container?: string;
  exitCode?: number;
  reason?: string;
  /** The waiting message or the cause, as the kubelet would word it. */
  message?: string;
  /** How long the container runs before it dies, as a Go duration. */
  runsFor?: string;
  probe?: ProbeFailure;
  /** Extra facts for the log writer: the missing env var, the path the app serves. */
  detail?: Record<string, string>;
}

/** What the simulated node can see besides the pod: its image registry and config objects. */
export interface World {
  images: ReadonlySet<string>;
  /** Keys of each ConfigMap, by "namespace/name"; absent = the ConfigMap does not exist. */
  configMaps: ReadonlyMap<string, ReadonlySet<string>>;
  secrets: ReadonlyMap<string, ReadonlySet<string>>;
}

const DEFAULT_PATHS = ['/', '/healthz', '/readyz', '/livez'];

/**
 * Decides how a pod's containers would behave on a real node, from the pod spec and the
 * facts its template declares. Order follows the kubelet: an image that cannot be pulled
 * or config that cannot be resolved stops the container before it runs; then what the app
 * does when it runs; then what its probes see.
 */
export function judgePod(pod: V1Pod, world: World): Verdict {
  const containers = pod.spec?.containers ?? [];
  const annotations = pod.metadata?.annotations ?? {};
  const namespace = pod.metadata?.namespace ?? 'default';

  for (const c of containers) {
    if (!world.images.has(c.image ?? '')) {
      return {
        behaviour: 'image-pull',
        container: c.name,
        reason: 'ErrImagePull',
        message: `failed to pull and unpack image "${c.image}": ${c.image} not found in the sandbox registry`,
      };
    }
  }
  for (const c of containers) {
    const missing = missingConfig(c, namespace, world);
    if (missing) return { behaviour: 'config-error', container: c.name, reason: 'CreateContainerConfigError', message: missing };
  }

  const target = containers.find((c) => c.name === annotations[DECLARES.container]) ?? containers[0];
  if (!target) return { behaviour: 'healthy' };

  const required = splitList(annotations[DECLARES.requiresEnv]);
  const present = new Set((target.env ?? []).map((e) => e.name));
  const missingEnv = required.find((name) => !present.has(name));
  if (missingEnv) {
    return {
      behaviour: 'crash', container: target.name, exitCode: 1, reason: 'Error', runsFor: '1s',
      message: `required environment variable ${missingEnv} is not set`, detail: { env: missingEnv },
    };
  }
  const crashCode = annotations[DECLARES.crashExitCode];
  if (crashCode !== undefined && /^\d+$/.test(crashCode) && crashCode !== '0') {
    const reason = annotations[DECLARES.crashReason] || 'Error';
    return { behaviour: 'crash', container: target.name, exitCode: Number(crashCode), reason, runsFor: '1s', message: 'the app panicked' };
  }

  const needs = parseQuantity(annotations[DECLARES.needsMemory]);
  const limit = parseQuantity(target.resources?.limits?.memory);
  if (needs !== undefined && limit !== undefined && limit < needs) {
    return {
      behaviour: 'oom', container: target.name, exitCode: 137, reason: 'OOMKilled', runsFor: '2s',
      message: `the app needs ${annotations[DECLARES.needsMemory]} but its memory limit is ${target.resources?.limits?.memory}`,
      detail: { needs: annotations[DECLARES.needsMemory] ?? '', limit: String(target.resources?.limits?.memory) },
    };
  }

  const serves = servedEndpoints(target, annotations);
  const startsInSeconds = parseDurationSeconds(annotations[DECLARES.startsIn]) ?? 0;
  if (target.livenessProbe) {
    const failure = probeFailure(target.livenessProbe, target, serves);
    if (failure) {
      const budget = probeBudgetSeconds(target.livenessProbe);
      return {
        behaviour: 'liveness-fail', container: target.name, exitCode: 137, reason: 'Error', runsFor: `${budget}s`, probe: failure,
        message: `liveness probe ${describeProbe(target.livenessProbe)} fails: ${failure === 'refused' ? 'connection refused' : 'HTTP 404'}`,
        detail: probeDetail(target.livenessProbe, serves),
      };
    }
    // A slow starter is safe when a startup probe holds liveness off long enough, or
    // when the liveness probe itself waits long enough.
    const startupBudget = target.startupProbe && !probeFailure(target.startupProbe, target, serves)
      ? probeBudgetSeconds(target.startupProbe) : 0;
    const livenessBudget = probeBudgetSeconds(target.livenessProbe);
    if (startsInSeconds > 0 && startupBudget < startsInSeconds && livenessBudget < startsInSeconds) {
      return {
        behaviour: 'slow-start', container: target.name, exitCode: 137, reason: 'Error', runsFor: `${livenessBudget}s`, probe: 'refused',
        message: `the app starts in ${startsInSeconds}s but liveness gives up after ${livenessBudget}s`,
        detail: { startsIn: `${startsInSeconds}s`, budget: `${livenessBudget}s` },
      };
    }
  }
  if (target.readinessProbe) {
    const failure = probeFailure(target.readinessProbe, target, serves);
    if (failure) {
      return {
        behaviour: 'readiness-fail', container: target.name, probe: failure,
        message: `readiness probe ${describeProbe(target.readinessProbe)} fails: ${failure === 'refused' ? 'connection refused' : 'HTTP 404'}`,
        detail: probeDetail(target.readinessProbe, serves),
      };
    }
  }
  return { behaviour: 'healthy' };
}

function missingConfig(c: V1Container, namespace: string, world: World): string | undefined {
  for (const env of c.env ?? []) {
    const cm = env.valueFrom?.configMapKeyRef;
    if (cm && !cm.optional) {
      const keys = world.configMaps.get(`${namespace}/${cm.name}`);
      if (!keys) return `configmap "${cm.name}" not found`;
      if (!keys.has(cm.key)) return `couldn't find key ${cm.key} in ConfigMap ${namespace}/${cm.name}`;
    }
    const secret = env.valueFrom?.secretKeyRef;
    if (secret && !secret.optional) {
      const keys = world.secrets.get(`${namespace}/${secret.name}`);
      if (!keys) return `secret "${secret.name}" not found`;
      if (!keys.has(secret.key)) return `couldn't find key ${secret.key} in Secret ${namespace}/${secret.name}`;
    }
  }
  for (const from of c.envFrom ?? []) {
    if (from.configMapRef && !from.configMapRef.optional && !world.configMaps.has(`${namespace}/${from.configMapRef.name}`)) {
      return `configmap "${from.configMapRef.name}" not found`;
    }
    if (from.secretRef && !from.secretRef.optional && !world.secrets.has(`${namespace}/${from.secretRef.name}`)) {
      return `secret "${from.secretRef.name}" not found`;
    }
  }
  return undefined;
}

interface Served {
  ports: Set<number>;
  paths: string[];
}

function servedEndpoints(c: V1Container, annotations: Record<string, string>): Served {
  const declared = splitList(annotations[DECLARES.listens]).map(Number).filter(Number.isInteger);
  const ports = new Set(declared.length > 0 ? declared : (c.ports ?? []).map((p) => p.containerPort));
  const paths = splitList(annotations[DECLARES.httpPaths]);
  return { ports, paths: paths.length > 0 ? paths : DEFAULT_PATHS };
}

function resolvePort(port: number | string | undefined, c: V1Container): number | undefined {
  if (typeof port === 'number') return port;
  if (port === undefined) return undefined;
  if (/^\d+$/.test(port)) return Number(port);
  return c.ports?.find((p) => p.name === port)?.containerPort;
}

function probeFailure(probe: V1Probe, c: V1Container, serves: Served): ProbeFailure | undefined {
  const endpoint = probe.httpGet ?? probe.tcpSocket ?? probe.grpc;
  if (!endpoint) return undefined; // exec probes run inside the app: assume it answers
  const port = resolvePort(endpoint.port as number | string | undefined, c);
  if (port === undefined || !serves.ports.has(port)) return 'refused';
  if (probe.httpGet && !serves.paths.includes(probe.httpGet.path ?? '/')) return 'http-404';
  return undefined;
}

function probeDetail(probe: V1Probe, serves: Served): Record<string, string> {
  return { served: serves.paths.join(','), ports: [...serves.ports].join(','), probePath: probe.httpGet?.path ?? '/' };
}

function describeProbe(probe: V1Probe): string {
  if (probe.httpGet) return `GET ${probe.httpGet.path ?? '/'} on port ${probe.httpGet.port}`;
  if (probe.tcpSocket) return `TCP on port ${probe.tcpSocket.port}`;
  if (probe.grpc) return `gRPC on port ${probe.grpc.port}`;
  return 'exec';
}

/** Seconds a probe tolerates failure before it acts, with the API's defaults. */
export function probeBudgetSeconds(probe: V1Probe): number {
  return (probe.initialDelaySeconds ?? 0) + (probe.periodSeconds ?? 10) * (probe.failureThreshold ?? 3);
}

function splitList(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}
