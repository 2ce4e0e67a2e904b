// Test support: realistic, varied workloads with their history, from a seeded PRNG, for
// the generated tests (dangerous mutations and legitimate fixes).
import type { V1Container, V1Deployment, V1EnvVar, V1PodTemplateSpec, V1Probe } from '@kubernetes/client-node';
import type { ChangeHistory } from './types.ts';
import { mulberry32 } from '../../../test/support/prng.ts';

export function prng(seed: number): Rng {
  const next = mulberry32(seed);
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)] as never,
    chance: (p) => next() < p,
  };
}

export interface Rng {
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

export interface Fixture {
  before: V1Deployment;
  /** Earlier revisions, newest first (pod templates, as ReplicaSets hold them). */
  history: ChangeHistory;
  /** The facts the generators build on. */
  app: { repository: string; tag: string; oldTags: string[]; port: number };
}

const REPOSITORIES = ['ghcr.io/acme/app', 'ghcr.io/acme/checkout', 'registry.example.com/team/api', 'quay.io/shop/cart', 'docker.io/library/nginx', 'nginx', '123456789012.dkr.ecr.eu-west-1.amazonaws.com/payments', 'registry.local:5000/billing/worker'];
const NAMES = ['checkout', 'cart', 'payments', 'jokeservice', 'search', 'inventory', 'gateway', 'billing-worker'];
const PATHS = ['/healthz', '/livez', '/readyz', '/health', '/actuator/health', '/status'];
const MEMORY = ['128Mi', '256Mi', '384Mi', '512Mi', '768Mi', '1Gi', '1536Mi'];
const CPU = ['100m', '200m', '250m', '500m', '750m', '1'];

function version(rng: Rng): string {
  return rng.chance(0.15) ? `sha-${rng.int(0x1000000, 0xfffffff).toString(16)}` : `${rng.int(0, 3)}.${rng.int(0, 20)}.${rng.int(0, 9)}`;
}

function halve(q: string): string {
  if (q.endsWith('Gi')) return `${Number(q.slice(0, -2)) * 512}Mi`;
  if (q.endsWith('Mi')) return `${Math.max(32, Math.round(Number(q.slice(0, -2)) / 2))}Mi`;
  if (q.endsWith('m')) return `${Math.max(10, Math.round(Number(q.slice(0, -1)) / 2))}m`;
  return `${Number(q) * 500}m`;
}

function probe(rng: Rng, port: number): V1Probe {
  const kind = rng.int(0, 9);
  const handler: V1Probe = kind < 7
    ? { httpGet: { path: rng.pick(PATHS), port: rng.chance(0.3) ? 'http' : port } }
    : kind < 9 ? { tcpSocket: { port } } : { exec: { command: ['/bin/check', '--quick'] } };
  return { ...handler, periodSeconds: rng.pick([5, 10, 15]), ...(rng.chance(0.5) && { timeoutSeconds: rng.int(1, 5) }), ...(rng.chance(0.5) && { failureThreshold: rng.int(2, 5) }) };
}

function appContainer(rng: Rng, repository: string, tag: string, port: number): V1Container {
  const memory = rng.pick(MEMORY);
  const cpu = rng.pick(CPU);
  const limits = rng.chance(0.85);
  const env: V1EnvVar[] = [
    { name: 'LOG_LEVEL', value: rng.pick(['info', 'debug', 'warn']) },
    { name: 'PORT', value: String(port) },
    { name: 'CONFIG_KEY', valueFrom: { configMapKeyRef: { name: 'app-config', key: 'app.yaml' } } },
    ...(rng.chance(0.6) ? [{ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'db', key: 'url' } } }] : []),
    ...(rng.chance(0.4) ? [{ name: 'FEATURE_FLAGS', value: 'search,recommendations' }] : []),
  ];
  const restricted = rng.chance(0.5);
  return {
    name: 'app',
    image: `${repository}:${tag}`,
    ...(rng.chance(0.4) && { command: ['/app/server'], args: ['--port', String(port)] }),
    ports: [{ name: 'http', containerPort: port, protocol: 'TCP' }, ...(rng.chance(0.4) ? [{ name: 'metrics', containerPort: 9090 }] : [])],
    env,
    resources: {
      requests: { memory: halve(memory), cpu: halve(cpu) },
      ...(limits && { limits: { memory, ...(rng.chance(0.6) && { cpu }) } }),
    },
    ...(rng.chance(0.8) && { livenessProbe: probe(rng, port) }),
    ...(rng.chance(0.7) && { readinessProbe: probe(rng, port) }),
    ...(restricted && {
      securityContext: {
        runAsNonRoot: true, runAsUser: 10001, allowPrivilegeEscalation: false, readOnlyRootFilesystem: rng.chance(0.7),
        capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
      },
    }),
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }, { name: 'config', mountPath: '/etc/app', readOnly: true }],
  };
}

function sidecar(rng: Rng): V1Container {
  return rng.pick<V1Container>([
    { name: 'envoy', image: 'docker.io/envoyproxy/envoy:v1.31.2', ports: [{ name: 'admin', containerPort: 9901 }], resources: { limits: { memory: '128Mi', cpu: '200m' }, requests: { memory: '64Mi', cpu: '50m' } }, readinessProbe: { httpGet: { path: '/ready', port: 9901 } } },
    { name: 'log-shipper', image: 'cr.fluentbit.io/fluent/fluent-bit:3.1.9', resources: { limits: { memory: '64Mi' }, requests: { memory: '32Mi', cpu: '10m' } }, securityContext: { runAsNonRoot: true, runAsUser: 65534 } },
    { name: 'metrics', image: 'quay.io/prometheus/statsd-exporter:v0.27.1', ports: [{ name: 'statsd', containerPort: 9102 }], resources: { limits: { memory: '64Mi', cpu: '100m' } } },
  ]);
}

/** A Deployment as a team would write it, and two or three earlier revisions of it. */
export function randomFixture(rng: Rng, index: number): Fixture {
  const name = `${rng.pick(NAMES)}-${index}`;
  const repository = rng.pick(REPOSITORIES);
  const tags = [version(rng), version(rng), version(rng), version(rng)].filter((t, i, all) => all.indexOf(t) === i);
  const [tag = '9.9.9', ...oldTags] = tags;
  const port = rng.pick([8080, 8000, 3000, 9000, 5000]);
  const labels = { app: name, 'app.kubernetes.io/part-of': 'shop' };
  const containers = [appContainer(rng, repository, tag, port), ...(rng.chance(0.5) ? [sidecar(rng)] : [])];
  const template: V1PodTemplateSpec = {
    metadata: { labels, ...(rng.chance(0.3) && { annotations: { 'prometheus.io/scrape': 'true' } }) },
    spec: {
      ...(rng.chance(0.5) && { serviceAccountName: name }),
      ...(rng.chance(0.3) && { securityContext: { runAsNonRoot: true, fsGroup: 2000, seccompProfile: { type: 'RuntimeDefault' } } }),
      ...(rng.chance(0.2) && { initContainers: [{ name: 'migrate', image: `${repository}:${tag}`, command: ['/app/migrate'] }] }),
      ...(rng.chance(0.2) && { nodeSelector: { 'kubernetes.io/os': 'linux' } }),
      containers,
      volumes: [{ name: 'tmp', emptyDir: {} }, { name: 'config', configMap: { name: 'app-config' } }],
    },
  };
  const before: V1Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: rng.pick(['shop', 'payments', 'default', 'team-a']), labels },
    spec: { replicas: rng.int(1, 5), selector: { matchLabels: labels }, template },
  };
  return { before, history: { revisions: oldTags.map((old) => earlier(rng, template, repository, old)) }, app: { repository, tag, oldTags, port } };
}

/** An earlier revision: another tag and some values that have since changed. */
function earlier(rng: Rng, template: V1PodTemplateSpec, repository: string, tag: string): V1PodTemplateSpec {
  const revision = structuredClone(template);
  revision.metadata = { ...revision.metadata, labels: { ...revision.metadata?.labels, 'pod-template-hash': rng.int(1e8, 9e8).toString(36) } };
  const app = revision.spec?.containers[0] as V1Container;
  app.image = `${repository}:${tag}`;
  for (const env of app.env ?? []) {
    if (env.name === 'LOG_LEVEL') env.value = rng.pick(['info', 'debug', 'warn', 'error']);
    if (env.name === 'CONFIG_KEY' && env.valueFrom?.configMapKeyRef) env.valueFrom.configMapKeyRef.key = rng.pick(['app.yaml', 'config.yaml', 'settings.yaml']);
  }
  if (rng.chance(0.5)) app.env = [...(app.env ?? []), { name: 'CACHE_TTL', value: String(rng.pick([30, 60, 300])) }];
  if (rng.chance(0.5)) app.env = [...(app.env ?? []), { name: 'REDIS_URL', valueFrom: { secretKeyRef: { name: 'redis', key: 'url' } } }];
  if (app.command && rng.chance(0.5)) app.command = ['/app/server', '--legacy-config'];
  return revision;
}
