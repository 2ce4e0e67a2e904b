// Each remedy action as field changes on the pod template. The live workload supplies
// what an action leaves implicit: which list holds the container, which handler a probe
// uses, the liveness probe a startup probe copies.
import type { V1Probe } from '@kubernetes/client-node';
import type { RemedyAction } from '../../diagnose/remedy-action.ts';
import { splitImage } from '../../diagnose/image-analyzer.ts';
import type { FieldChange, PlanResult } from './field-change.ts';
import { parseFieldPath, type Step } from './path.ts';
import { describeWorkload, findContainer, type Workload } from './workload.ts';

// A startup probe polls at most this often (kubelet default period) and, to stay in
// the bounds people expect of thresholds, fails at most this many times.
const STARTUP_PERIOD = 10;
const STARTUP_MAX_FAILURES = 30;

export function planChange(action: RemedyAction, workload: Workload): PlanResult {
  if (action.type === 'none') return { ok: false, kind: 'none', reason: action.reason };
  if (action.type === 'revertCommit') {
    return { ok: false, kind: 'unsupported', reason: `reverting commit ${action.commit} is a Git revert, not a field edit` };
  }
  if (action.type === 'revertField') return planRevert(action.path, action.value, workload);
  const found = findContainer(workload, action.container);
  if (!found) return unsupported(`${describeWorkload(workload)} has no container ${action.container}`);
  const at: Step[] = ['spec', found.list, { name: action.container }];
  const c = found.container;
  const plan = (changes: FieldChange[], summary: string): PlanResult => ({
    ok: true,
    plan: { action: action.type, container: action.container, changes, summary },
  });
  switch (action.type) {
    case 'raiseResource':
      return plan(
        [{ path: [...at, 'resources', action.field, action.resource], value: action.value }],
        `set the ${action.resource} ${action.field === 'limits' ? 'limit' : 'request'} of container ${action.container} to ${action.value}`,
      );
    case 'fitRequests': {
      const changes: FieldChange[] = [];
      if (action.cpu) changes.push({ path: [...at, 'resources', 'requests', 'cpu'], value: action.cpu });
      if (action.memory) changes.push({ path: [...at, 'resources', 'requests', 'memory'], value: action.memory });
      if (changes.length === 0) return unsupported('fitRequests names neither cpu nor memory');
      const what = [action.cpu && `cpu ${action.cpu}`, action.memory && `memory ${action.memory}`].filter(Boolean).join(' and ');
      return plan(changes, `request ${what} for container ${action.container}`);
    }
    case 'setImageTag': {
      const image = splitImage(c.image ?? '');
      if (!c.image || c.image.includes('@')) return unsupported(`container ${action.container} runs ${c.image ?? 'no image'}, pinned by digest or unset`);
      return plan(
        [{ path: [...at, 'image'], value: `${image.repository}:${action.tag}`, imageTag: action.tag }],
        `run ${image.repository}:${action.tag} in container ${action.container}`,
      );
    }
    case 'fixProbe': {
      const key = `${action.probe}Probe` as 'readinessProbe' | 'livenessProbe' | 'startupProbe';
      const probe = c[key];
      if (!probe) return unsupported(`container ${action.container} has no ${action.probe} probe to fix`);
      const changes: FieldChange[] = [];
      const handler = handlerOf(probe);
      if (action.port !== undefined) {
        if (!handler || handler === 'exec') return unsupported(`the ${action.probe} probe of ${action.container} has no port`);
        changes.push({ path: [...at, key, handler, 'port'], value: action.port });
      }
      if (action.path !== undefined) {
        if (handler !== 'httpGet') return unsupported(`the ${action.probe} probe of ${action.container} is not an HTTP probe`);
        changes.push({ path: [...at, key, 'httpGet', 'path'], value: action.path });
      }
      for (const field of ['initialDelaySeconds', 'timeoutSeconds', 'failureThreshold'] as const) {
        if (action[field] !== undefined) changes.push({ path: [...at, key, field], value: action[field] });
      }
      if (changes.length === 0) return unsupported('fixProbe names nothing to change');
      return plan(changes, `fix the ${action.probe} probe of container ${action.container}`);
    }
    case 'addStartupProbe':
      return planStartupProbe(at, c.startupProbe, c.livenessProbe ?? c.readinessProbe, action.startupSeconds, action.container, plan);
    case 'restoreEnv': {
      if (action.value === undefined) {
        return unsupported(`env var ${action.name} came from a reference; restoring it needs the reference from Git history (revert the commit)`);
      }
      const env: Step[] = [...at, 'env', { name: action.name }];
      const current = c.env?.find((e) => e.name === action.name);
      const changes: FieldChange[] = [{ path: [...env, 'value'], value: action.value }];
      if (current?.valueFrom) changes.push({ path: [...env, 'valueFrom'], remove: true });
      return plan(changes, `restore env var ${action.name} of container ${action.container}`);
    }
  }
}

function planStartupProbe(
  at: Step[],
  existing: V1Probe | undefined,
  model: V1Probe | undefined,
  seconds: number,
  container: string,
  plan: (changes: FieldChange[], summary: string) => PlanResult,
): PlanResult {
  const period = Math.max(existing?.periodSeconds ?? STARTUP_PERIOD, Math.ceil(seconds / STARTUP_MAX_FAILURES));
  const failureThreshold = Math.max(1, Math.ceil(seconds / period));
  const summary = `give container ${container} ${failureThreshold * period}s to start (startup probe)`;
  if (existing) {
    // A startup probe that is too impatient: allow it more time, same handler.
    const changes: FieldChange[] = [{ path: [...at, 'startupProbe', 'failureThreshold'], value: failureThreshold }];
    if (period !== (existing.periodSeconds ?? STARTUP_PERIOD)) changes.push({ path: [...at, 'startupProbe', 'periodSeconds'], value: period });
    return plan(changes, summary);
  }
  const handler = model && handlerOf(model);
  if (!model || (handler !== 'httpGet' && handler !== 'tcpSocket')) {
    return unsupported(`container ${container} has no HTTP or TCP liveness or readiness probe to model a startup probe on`);
  }
  const probe = { [handler]: structuredClone(model[handler]), periodSeconds: period, failureThreshold };
  return plan([{ path: [...at, 'startupProbe'], value: probe }], summary);
}

function handlerOf(probe: V1Probe): 'httpGet' | 'tcpSocket' | 'grpc' | 'exec' | undefined {
  if (probe.httpGet) return 'httpGet';
  if (probe.tcpSocket) return 'tcpSocket';
  if (probe.grpc) return 'grpc';
  if (probe.exec) return 'exec';
  return undefined;
}

// A reverted field gets the value the analyzers read from the previous revision: a
// string, or a JSON list for command and args. Integers stay integers where the API
// wants one (ports, seconds, thresholds); elsewhere the edit types it like the value it
// replaces.
function planRevert(path: string, value: string, workload: Workload): PlanResult {
  let steps: Step[];
  try {
    steps = parseFieldPath(path);
  } catch (error) {
    return unsupported((error as Error).message);
  }
  if (steps[0] !== 'spec' && steps[0] !== 'metadata') return unsupported(`${path} is not a pod template field`);
  const container = steps[1] === 'containers' || steps[1] === 'initContainers' ? steps[2] : undefined;
  if (container && typeof container === 'object' && !findContainer(workload, container.name)) {
    return unsupported(`${describeWorkload(workload)} has no container ${container.name}`);
  }
  const last = steps[steps.length - 1];
  let typed: unknown = value;
  if (/^\[.*\]$/s.test(value)) {
    try {
      typed = JSON.parse(value);
    } catch {
      typed = value;
    }
  } else if (typeof last === 'string' && /(^port|Port|Seconds|Threshold)$/.test(last) && /^\d+$/.test(value)) {
    typed = Number(value);
  }
  return {
    ok: true,
    plan: {
      action: 'revertField',
      ...(container && typeof container === 'object' ? { container: container.name } : {}),
      changes: [{ path: steps, value: typed }],
      summary: `put ${path} back to its last known-good value`,
    },
  };
}

function unsupported(reason: string): PlanResult {
  return { ok: false, kind: 'unsupported', reason };
}
