// Test support: legitimate fixes, as the rules or a model would choose them, applied with
// applyAction to the generated workloads. The guard must pass them.
import type { V1Container, V1Deployment, V1PodTemplateSpec, V1Probe } from '@kubernetes/client-node';
import type { RemedyAction } from '../../diagnose/remedy-action.ts';
import { parseQuantity } from '../../k8s/quantity.ts';
import { applyAction } from './apply-action.ts';
import type { Fixture, Rng } from './workload-fixtures.ts';

export interface Fix {
  category: string;
  action: RemedyAction;
  after: V1Deployment;
  knownGoodTags?: string[];
}

export function appOf(workload: { spec?: { template?: V1PodTemplateSpec } }): V1Container {
  return workload.spec?.template?.spec?.containers[0] as V1Container;
}

function historyApps(fx: Fixture): V1Container[] {
  return (fx.history.revisions ?? []).map((r) => (r as V1PodTemplateSpec).spec?.containers[0] as V1Container);
}

function mi(q: string | undefined): number | undefined {
  const bytes = parseQuantity(q);
  return bytes === undefined ? undefined : bytes / 2 ** 20;
}

function milli(q: string | undefined): number | undefined {
  const cores = parseQuantity(q);
  return cores === undefined ? undefined : cores * 1000;
}

type Maker = (rng: Rng, fx: Fixture) => RemedyAction | { action: RemedyAction; after?: V1Deployment; knownGoodTags?: string[] } | undefined;

const MAKERS: Record<string, Maker> = {
  raiseMemoryLimit: (rng, fx) => {
    const now = mi(appOf(fx.before).resources?.limits?.memory as string | undefined);
    if (!now) return undefined;
    return { type: 'raiseResource', container: 'app', resource: 'memory', field: 'limits', value: `${Math.floor(now * (1.1 + rng.next() * 0.9))}Mi` };
  },
  raiseCpuLimit: (rng, fx) => {
    const now = milli(appOf(fx.before).resources?.limits?.cpu as string | undefined);
    if (!now) return undefined;
    return { type: 'raiseResource', container: 'app', resource: 'cpu', field: 'limits', value: `${Math.floor(now * (1.1 + rng.next() * 0.9))}m` };
  },
  raiseMemoryRequest: (rng, fx) => {
    const now = mi(appOf(fx.before).resources?.requests?.memory as string | undefined);
    if (!now) return undefined;
    return { type: 'raiseResource', container: 'app', resource: 'memory', field: 'requests', value: `${Math.floor(now * (1.1 + rng.next() * 0.9))}Mi` };
  },
  setImageTag: (rng, fx) => (fx.app.oldTags.length ? { type: 'setImageTag', container: 'app', tag: rng.pick(fx.app.oldTags) } : undefined),
  setKnownGoodTag: () => ({ action: { type: 'setImageTag', container: 'app', tag: '4.2.0-rc.1' }, knownGoodTags: ['4.2.0-rc.1'] }),
  fixProbe: (rng, fx) => {
    const app = appOf(fx.before);
    const kind = rng.pick(['liveness', 'readiness'] as const);
    const probe: V1Probe | undefined = kind === 'liveness' ? app.livenessProbe : app.readinessProbe;
    if (!probe?.httpGet) return undefined;
    return {
      type: 'fixProbe', container: 'app', probe: kind,
      path: rng.pick(['/healthz', '/livez', '/readyz', '/health/ready', '/actuator/health/liveness'].filter((p) => p !== probe.httpGet?.path)),
      ...(rng.chance(0.5) && { port: fx.app.port }),
      ...(rng.chance(0.4) && { initialDelaySeconds: rng.int(0, 120) }),
      ...(rng.chance(0.4) && { timeoutSeconds: rng.int(1, 10) }),
      ...(rng.chance(0.4) && { failureThreshold: rng.int(1, 10) }),
    };
  },
  fixProbeTimings: (rng, fx) => {
    const app = appOf(fx.before);
    if (!app.livenessProbe) return undefined;
    return { type: 'fixProbe', container: 'app', probe: 'liveness', initialDelaySeconds: rng.int(15, 300), timeoutSeconds: rng.int(6, 30) };
  },
  addStartupProbe: (rng, fx) => (appOf(fx.before).livenessProbe || appOf(fx.before).readinessProbe ? { type: 'addStartupProbe', container: 'app', startupSeconds: rng.int(30, 600) } : undefined),
  fitRequests: (rng, fx) => {
    const requests = appOf(fx.before).resources?.requests;
    const memory = mi(requests?.memory as string | undefined);
    const cpu = milli(requests?.cpu as string | undefined);
    if (!memory || !cpu) return undefined;
    const both = rng.int(0, 2);
    return {
      type: 'fitRequests', container: 'app',
      ...(both !== 1 && { memory: `${Math.max(16, Math.floor(memory * (0.4 + rng.next() * 0.5)))}Mi` }),
      ...(both !== 0 && { cpu: `${Math.max(5, Math.floor(cpu * (0.4 + rng.next() * 0.5)))}m` }),
    };
  },
  restoreEnvValue: (rng, fx) => {
    const now = appOf(fx.before).env?.find((e) => e.name === 'LOG_LEVEL')?.value;
    const old = historyApps(fx).flatMap((c) => c.env ?? []).filter((e) => (e.name === 'LOG_LEVEL' && e.value !== now) || e.name === 'CACHE_TTL');
    const pick = old.length ? rng.pick(old) : undefined;
    return pick && { type: 'restoreEnv', container: 'app', name: pick.name, value: pick.value };
  },
  restoreEnvRef: (_rng, fx) => (historyApps(fx).some((c) => c.env?.some((e) => e.name === 'REDIS_URL')) ? { type: 'restoreEnv', container: 'app', name: 'REDIS_URL' } : undefined),
  revertConfigKey: (rng, fx) => {
    const now = appOf(fx.before).env?.find((e) => e.name === 'CONFIG_KEY')?.valueFrom?.configMapKeyRef?.key;
    const keys = historyApps(fx).map((c) => c.env?.find((e) => e.name === 'CONFIG_KEY')?.valueFrom?.configMapKeyRef?.key).filter((k): k is string => !!k && k !== now);
    return keys.length ? { type: 'revertField', path: 'spec.containers[app].env[CONFIG_KEY].valueFrom.configMapKeyRef.key', value: rng.pick(keys) } : undefined;
  },
  revertCommand: (_rng, fx) => {
    const now = JSON.stringify(appOf(fx.before).command);
    const old = historyApps(fx).map((c) => JSON.stringify(c.command)).find((c) => c !== undefined && c !== now);
    return old ? { type: 'revertField', path: 'spec.containers[app].command', value: old } : undefined;
  },
  revertImage: (rng, fx) => (fx.app.oldTags.length ? { type: 'revertField', path: 'spec.containers[app].image', value: `${fx.app.repository}:${rng.pick(fx.app.oldTags)}` } : undefined),
  revertCommit: (rng, fx) => {
    const old = historyApps(fx);
    if (!old.length) return undefined;
    const revision = rng.pick(old);
    const after = structuredClone(fx.before);
    const app = appOf(after);
    app.image = revision.image;
    app.env = structuredClone(revision.env);
    if (rng.chance(0.5)) app.command = structuredClone(revision.command);
    return { action: { type: 'revertCommit', commit: rng.int(0x1000000, 0xfffffff).toString(16) }, after };
  },
};

export const FIX_CATEGORIES = Object.keys(MAKERS);

/** A legitimate fix of the category for the fixture, or undefined when it has nothing to fix that way. */
export function legitimateFix(rng: Rng, fx: Fixture, category: string): Fix | undefined {
  const made = MAKERS[category]?.(rng, fx);
  if (!made) return undefined;
  const { action, after, knownGoodTags } = 'type' in made ? { action: made, after: undefined, knownGoodTags: undefined } : made;
  return { category, action, after: after ?? applyAction(fx.before, action, { history: fx.history }), ...(knownGoodTags && { knownGoodTags }) };
}

/** Any legitimate fix for the fixture (for mutations that add something beside one). */
export function anyFix(rng: Rng, fx: Fixture): Fix {
  for (;;) {
    const fix = legitimateFix(rng, fx, rng.pick(FIX_CATEGORIES));
    if (fix) return fix;
  }
}
