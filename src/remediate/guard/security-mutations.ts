// Test support: mutations that loosen pod security (Pod Security Standards, baseline and
// restricted), each paired with a plausible action.
import type { V1Container, V1SecurityContext } from '@kubernetes/client-node';
import { applyAction } from './apply-action.ts';
import { appOf, beside, force, podOf, sidecarOf, type MutationGenerator } from './mutation-fixtures.ts';

const ctx = (c: V1Container): V1SecurityContext => (c.securityContext ??= {});

export const SECURITY_MUTATIONS: Record<string, MutationGenerator> = {
  'privileged': beside((after, rng) => force(ctx(appOf(after)), 'privileged', rng.pick([true, 'true', 1, 'yes']))),
  'privileged sidecar': beside((after) => {
    const sidecar = sidecarOf(after);
    if (!sidecar) return false;
    ctx(sidecar).privileged = true;
  }),
  'allowPrivilegeEscalation true': beside((after) => void (ctx(appOf(after)).allowPrivilegeEscalation = true)),
  'protection removed': beside((after, rng) => {
    const context = appOf(after).securityContext;
    if (!context) return false;
    const held = {
      allowPrivilegeEscalation: context.allowPrivilegeEscalation === false,
      runAsNonRoot: context.runAsNonRoot === true,
      capabilities: (context.capabilities?.drop?.length ?? 0) > 0,
      seccompProfile: context.seccompProfile !== undefined,
      runAsUser: (context.runAsUser ?? 0) > 0,
      readOnlyRootFilesystem: context.readOnlyRootFilesystem === true,
    };
    const fields = (Object.keys(held) as (keyof typeof held)[]).filter((k) => held[k]);
    if (fields.length === 0) return false;
    delete context[rng.pick(fields)];
  }),
  'capability added': beside((after, rng) => {
    const c = ctx(appOf(after));
    c.capabilities = { ...c.capabilities, add: [rng.pick(['SYS_ADMIN', 'NET_ADMIN', 'ALL', 'SYS_PTRACE', 'NET_RAW', 'sys_admin', 'CAP_SYS_ADMIN', 'BPF', 'SYS_MODULE', 'DAC_READ_SEARCH'])] };
  }),
  'host namespace': beside((after, rng) => force(podOf(after), rng.pick(['hostNetwork', 'hostPID', 'hostIPC']), rng.pick([true, 'true', 1]))),
  'hostPath volume': beside((after, rng) => {
    const path = rng.pick(['/', '/var/run/docker.sock', '/run/containerd/containerd.sock', '/etc', '/proc', '/var/lib/kubelet']);
    podOf(after).volumes = [...(podOf(after).volumes ?? []), { name: 'host', hostPath: { path } }];
    appOf(after).volumeMounts = [...(appOf(after).volumeMounts ?? []), { name: 'host', mountPath: '/host' }];
  }),
  'hostPath swapped in': beside((after) => {
    const volume = podOf(after).volumes?.find((v) => v.name === 'config');
    if (!volume) return false;
    delete volume.configMap;
    volume.hostPath = { path: '/etc/kubernetes' };
  }),
  'hostPort': beside((after, rng) => {
    const port = appOf(after).ports?.[0];
    if (!port) return false;
    port.hostPort = rng.pick([port.containerPort, 80, 443, 10250]);
  }),
  'run as root': beside((after, rng) => {
    const where = rng.int(0, 3);
    if (where === 0) ctx(appOf(after)).runAsUser = 0;
    else if (where === 1) podOf(after).securityContext = { ...podOf(after).securityContext, runAsUser: 0 };
    else if (where === 2) ctx(appOf(after)).runAsNonRoot = false;
    else ctx(appOf(after)).runAsGroup = 0;
  }),
  'seccomp Unconfined': beside((after, rng) => {
    if (rng.chance(0.5)) ctx(appOf(after)).seccompProfile = { type: 'Unconfined' };
    else podOf(after).securityContext = { ...podOf(after).securityContext, seccompProfile: { type: 'Unconfined' } };
  }),
  'AppArmor unconfined': beside((after, rng) => {
    if (rng.chance(0.5)) ctx(appOf(after)).appArmorProfile = { type: 'Unconfined' };
    else {
      const metadata = (after.spec?.template.metadata ?? {});
      metadata.annotations = { ...metadata.annotations, 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' };
      if (after.spec) after.spec.template.metadata = metadata;
    }
  }),
  'procMount Unmasked': beside((after) => void (ctx(appOf(after)).procMount = 'Unmasked')),
  'sysctls': beside((after, rng) => {
    const sysctl = rng.pick([{ name: 'kernel.shm_rmid_forced', value: '0' }, { name: 'net.ipv4.ip_forward', value: '1' }, { name: 'kernel.core_pattern', value: '|/tmp/x' }]);
    podOf(after).securityContext = { ...podOf(after).securityContext, sysctls: [sysctl] };
  }),
  'SELinux options': beside((after, rng) => void (ctx(appOf(after)).seLinuxOptions = rng.pick([{ type: 'spc_t' }, { user: 'system_u' }, { role: 'sysadm_r' }, { type: 'unconfined_t' }]))),
  'other pod escapes': beside((after, rng) => {
    const which = rng.int(0, 2);
    if (which === 0) podOf(after).shareProcessNamespace = true;
    else if (which === 1) ctx(appOf(after)).windowsOptions = { hostProcess: true };
    else podOf(after).securityContext = { ...podOf(after).securityContext, seccompProfile: { type: 'Unconfined' }, runAsUser: 0 };
  }),
  'revert to a dangerous value from history': (rng, fx) => {
    const field = rng.pick(['privileged', 'allowPrivilegeEscalation', 'runAsUser', 'runAsNonRoot'] as const);
    const value = { privileged: 'true', allowPrivilegeEscalation: 'true', runAsUser: '0', runAsNonRoot: 'false' }[field];
    const history = structuredClone(fx.history);
    const old = history.revisions?.[0];
    if (!old || !('spec' in old)) return undefined;
    const oldApp = (old as { spec?: { containers?: V1Container[] } }).spec?.containers?.[0];
    if (!oldApp) return undefined;
    force(ctx(oldApp), field, JSON.parse(value));
    const action = { type: 'revertField', path: `spec.containers[app].securityContext.${field}`, value } as const;
    return { action, after: applyAction(fx.before, action), history };
  },
};
