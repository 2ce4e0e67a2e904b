// Realistic evidence for the prompt-token benchmark (and the diagnoser's tests): one
// scenario per fault class, each with ~64 KiB of repetitive logs, as the API server hands
// them over (limitBytes), and a full pod template of a production-looking Deployment.
import type { V1PodTemplateSpec } from '@kubernetes/client-node';
import type { Evidence, SignalClass } from '../src/api/healing-incident.ts';
import type { RuleDiagnosis } from '../src/diagnose/rule-diagnosis.ts';
import { diagnoseWithRules } from '../src/diagnose/rules.ts';
import { analyzerInputFor, fixtureSignals, loadSandboxFixture, sandboxScenarios } from '../src/diagnose/sandbox-fixtures.ts';
import { summarizeEvidence } from '../src/evidence/evidence.ts';
import { templateChange } from '../src/evidence/template-change.ts';
import { mulberry32 } from '../test/support/prng.ts';

export interface Scenario {
  name: string;
  signalClass: SignalClass;
  container: string;
  evidence: Evidence;
  logs: string;
  template: V1PodTemplateSpec;
  rules: RuleDiagnosis;
}

export const LOG_BYTES = 64 * 1024;

/** The tests' seeded generator, so that every run builds the same logs. */
export const prng = mulberry32;

const pick = <T>(rand: () => number, items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
const hex = (rand: () => number, n: number) => Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join('');

function stamp(i: number): string {
  return new Date(Date.UTC(2025, 4, 12, 9, 0, 0) + i * 137).toISOString();
}

/** Noise the way services print it: access logs, debug chatter, GC lines; then `tail` (the end of the log) fits in the budget. */
function logOf(seed: number, noise: (rand: () => number, i: number) => string, tail: string[], everyRestart: string[] = []): string {
  const rand = prng(seed);
  const tailText = tail.join('\n');
  const lines: string[] = [];
  let size = tailText.length;
  for (let i = 0; size < LOG_BYTES; i++) {
    const line = i > 0 && i % 400 === 0 && everyRestart.length ? everyRestart.join('\n') : noise(rand, i);
    lines.push(line);
    size += line.length + 1;
  }
  return `${lines.join('\n')}\n${tailText}`;
}

const access = (rand: () => number, i: number) =>
  `${stamp(i)} INFO  [http-nio-8080-exec-${1 + Math.floor(rand() * 20)}] c.e.shop.web.AccessLog - ${pick(rand, ['GET', 'GET', 'POST', 'PUT'])} ${pick(rand, ['/api/items/', '/api/cart/', '/api/users/'])}${Math.floor(rand() * 100000)} ${pick(rand, [200, 200, 200, 201, 304, 404])} ${Math.floor(rand() * 300)}ms trace=${hex(rand, 32)}`;
const goAccess = (rand: () => number, i: number) =>
  `{"level":"info","ts":"${stamp(i)}","caller":"http/server.go:${100 + Math.floor(rand() * 50)}","msg":"request","method":"GET","path":"/v1/orders/${Math.floor(rand() * 1e6)}","status":200,"duration_ms":${(rand() * 40).toFixed(2)},"request_id":"${hex(rand, 8)}-${hex(rand, 4)}-${hex(rand, 4)}-${hex(rand, 4)}-${hex(rand, 12)}"}`;

const PACKAGES = ['org.springframework.beans.factory.support', 'org.springframework.context.support', 'org.hibernate.engine.jdbc.env.internal', 'org.hibernate.boot.internal', 'com.zaxxer.hikari.pool', 'org.postgresql.core.v3', 'com.example.shop.repo', 'java.base/jdk.internal.reflect'];
const CLASSES = ['AbstractAutowireCapableBeanFactory', 'DefaultListableBeanFactory', 'AbstractBeanFactory', 'ConstructorResolver', 'JdbcEnvironmentInitiator', 'StandardServiceRegistryImpl', 'HikariPool', 'PoolBase', 'ConnectionFactoryImpl', 'QueryExecutorImpl', 'ItemRepository', 'DirectMethodHandleAccessor', 'AbstractApplicationContext', 'SessionFactoryBuilderImpl'];
const METHODS = ['doCreateBean', 'createBean', 'getObject', 'doGetBean', 'preInstantiateSingletons', 'initiateService', 'createService', 'getConnection', 'newConnection', 'openConnectionImpl', 'sendStartupPacket', 'invoke', 'refresh', 'build', 'autowireConstructor'];

/** A Java exception with distinct frames (as real traces have), and its causes. */
function javaTrace(exception: string, frames: number, causes: string[]): string[] {
  const frame = (i: number) => {
    const cls = CLASSES[(i * 7) % CLASSES.length] as string;
    return `\tat ${PACKAGES[(i * 3) % PACKAGES.length]}.${cls}.${METHODS[(i * 5 + Math.floor(i / 15)) % METHODS.length]}(${cls}.java:${100 + ((i * 37) % 900)})`;
  };
  const out = [exception, ...Array.from({ length: frames }, (_, i) => frame(i))];
  causes.forEach((cause, c) => out.push(`Caused by: ${cause}`, ...Array.from({ length: frames / 2 }, (_, i) => frame(97 * (c + 1) + i)), `\t... ${40 + c} more`));
  return out;
}

function goPanic(): string[] {
  const out = ['panic: runtime error: invalid memory address or nil pointer dereference', '[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x8d4f2a]', '', 'goroutine 1 [running]:'];
  out.push('github.com/example/orders/internal/store.(*Client).Get(0x0, {0xc0001a2000, 0x24})', '\t/src/internal/store/client.go:88 +0x2a');
  out.push('main.main()', '\t/src/cmd/orders/main.go:41 +0x1c5');
  for (let g = 2; g < 160; g++) {
    out.push('', `goroutine ${g} [${pick(prng(g), ['select', 'IO wait', 'chan receive', 'sleep'])}, ${g % 7} minutes]:`);
    out.push(`net/http.(*persistConn).readLoop(0xc000${hex(prng(g), 6)})`, '\t/usr/local/go/src/net/http/transport.go:2205 +0x185');
    out.push('created by net/http.(*Transport).dialConn in goroutine 1', '\t/usr/local/go/src/net/http/transport.go:1874 +0x154f');
  }
  out.push('exit status 2');
  return out;
}

/** A production-looking pod template: an app, a log shipper sidecar, an init container, everything set. */
export function fullTemplate(image: string, memory: string, extra: Partial<V1PodTemplateSpec['spec']> = {}): V1PodTemplateSpec {
  const env = ['SPRING_PROFILES_ACTIVE', 'DATABASE_URL', 'DATABASE_USER', 'DATABASE_PASSWORD', 'REDIS_HOST', 'KAFKA_BROKERS', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'JAVA_TOOL_OPTIONS', 'LOG_LEVEL', 'FEATURE_FLAGS', 'SERVICE_NAME', 'REGION', 'TZ', 'CACHE_TTL', 'MAX_POOL_SIZE'];
  return {
    metadata: {
      labels: { app: 'shop', tier: 'web', 'app.kubernetes.io/name': 'shop', 'app.kubernetes.io/version': '2.14.0', 'app.kubernetes.io/part-of': 'storefront', 'pod-template-hash': '5d4c3b2a9f' },
      annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9090', 'checksum/config': hex(prng(7), 64), 'kubectl.kubernetes.io/restartedAt': '2025-05-12T08:55:00Z' },
    },
    spec: {
      serviceAccountName: 'shop', automountServiceAccountToken: false, terminationGracePeriodSeconds: 45, dnsPolicy: 'ClusterFirst', restartPolicy: 'Always', schedulerName: 'default-scheduler',
      securityContext: { runAsNonRoot: true, runAsUser: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
      imagePullSecrets: [{ name: 'ghcr-pull' }],
      initContainers: [{ name: 'migrate', image: 'ghcr.io/example/shop-migrate:2.14.0', args: ['--wait-for-db', '--timeout=120s'], envFrom: [{ secretRef: { name: 'shop-db' } }], resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } } }],
      containers: [
        {
          name: 'app', image, imagePullPolicy: 'IfNotPresent', args: ['--server.port=8080', '--management.port=9090'],
          ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }, { name: 'metrics', containerPort: 9090, protocol: 'TCP' }],
          env: env.map((name) => (name.includes('PASSWORD') ? { name, valueFrom: { secretKeyRef: { name: 'shop-db', key: 'password' } } } : { name, value: `value-of-${name.toLowerCase()}` })),
          envFrom: [{ configMapRef: { name: 'shop-config' } }],
          resources: { requests: { cpu: '250m', memory }, limits: { cpu: '1', memory } },
          livenessProbe: { httpGet: { path: '/actuator/health/liveness', port: 9090, scheme: 'HTTP' }, initialDelaySeconds: 20, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3, successThreshold: 1 },
          readinessProbe: { httpGet: { path: '/actuator/health/readiness', port: 9090, scheme: 'HTTP' }, initialDelaySeconds: 10, periodSeconds: 5, timeoutSeconds: 1, failureThreshold: 3, successThreshold: 1 },
          volumeMounts: [{ name: 'config', mountPath: '/etc/shop' }, { name: 'tmp', mountPath: '/tmp' }],
          securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
          terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'FallbackToLogsOnError',
        },
        {
          name: 'log-shipper', image: 'fluent/fluent-bit:3.0.4', args: ['-c', '/fluent-bit/etc/fluent-bit.conf'],
          resources: { requests: { cpu: '20m', memory: '32Mi' }, limits: { memory: '64Mi' } },
          volumeMounts: [{ name: 'shipper-config', mountPath: '/fluent-bit/etc' }],
          securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
        },
      ],
      volumes: [{ name: 'config', configMap: { name: 'shop-config' } }, { name: 'shipper-config', configMap: { name: 'shop-fluent-bit' } }, { name: 'tmp', emptyDir: { sizeLimit: '256Mi' } }],
      affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'shop' } } } }] } },
      tolerations: [{ key: 'workload', operator: 'Equal', value: 'web', effect: 'NoSchedule' }],
      topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'shop' } } }],
      ...extra,
    },
  };
}

const events = (list: Array<[reason: string, message: string, count: number]>): Evidence['events'] =>
  list.map(([reason, message, count], i) => ({ reason, message, count, lastSeen: stamp(1000 + i) }));

const unsure = (rootCause: string, reason: string): RuleDiagnosis => ({ rootCause, confidence: 0.4, cited: [], action: { type: 'none', reason } });
const pod = 'shop-5d4c3b2a9f-xk2p9';
const summary = (cls: string, extra: string) => `${cls} in container app of pod ${pod}${extra}`;

export function scenarios(): Scenario[] {
  const gcLine = (rand: () => number, i: number) =>
    rand() < 0.5 ? access(rand, i) : `${stamp(i)} [gc] GC(${i}) Pause Young (Allocation Failure) ${180 + Math.floor(rand() * 60)}M->${150 + Math.floor(rand() * 60)}M(256M) ${(rand() * 20).toFixed(3)}ms`;
  const springStart = ['  .   ____          _            __ _ _', ' :: Spring Boot ::                (v3.2.5)', `${stamp(0)} INFO  c.e.shop.ShopApplication - Starting ShopApplication v2.14.0 using Java 21.0.3`];
  return [
    {
      name: 'OOM', signalClass: 'OOMKilled', container: 'app',
      evidence: { summary: summary('OOMKilled', ', reason OOMKilled, exit code 137, 6 restarts'), reason: 'OOMKilled', exitCode: 137, restartCount: 6, events: events([['BackOff', 'Back-off restarting failed container app in pod ' + pod, 31], ['Pulled', 'Container image "ghcr.io/example/shop:2.14.0" already present on machine', 7]]) },
      logs: logOf(1, gcLine, [`${stamp(9999)} WARN  c.e.shop.cache.ItemCache - cache size 48211 entries, evicting`, ...javaTrace('Exception in thread "http-nio-8080-exec-7" java.lang.OutOfMemoryError: Java heap space', 24, [])]),
      template: fullTemplate('ghcr.io/example/shop:2.14.0', '256Mi'),
      rules: { rootCause: 'container app uses more memory than its 256Mi limit and is OOM-killed (exit 137) at every start', confidence: 0.9, cited: ['lastState.terminated.reason: OOMKilled, exit code 137'], action: { type: 'raiseResource', container: 'app', resource: 'memory', field: 'limits', value: '512Mi' } },
    },
    {
      name: 'crash loop (Java)', signalClass: 'CrashLoop', container: 'app',
      evidence: { summary: summary('CrashLoop', ', exit code 1, 9 restarts'), exitCode: 1, restartCount: 9, events: events([['BackOff', 'Back-off restarting failed container app in pod ' + pod, 44]]) },
      logs: logOf(2, access, [...springStart, ...javaTrace('org.springframework.beans.factory.BeanCreationException: Error creating bean with name \'entityManagerFactory\'', 60, ['org.hibernate.service.spi.ServiceException: Unable to create requested service [org.hibernate.engine.jdbc.env.spi.JdbcEnvironment]', 'org.postgresql.util.PSQLException: FATAL: password authentication failed for user "shop"']), 'APPLICATION FAILED TO START'], [...springStart, ...javaTrace('org.springframework.beans.factory.BeanCreationException: Error creating bean with name \'entityManagerFactory\'', 60, ['org.postgresql.util.PSQLException: FATAL: password authentication failed for user "shop"'])]),
      template: fullTemplate('ghcr.io/example/shop:2.14.0', '512Mi'),
      rules: unsure('container app exits with code 1 at start', 'the logs show an application error; no manifest change is known to fix it'),
    },
    {
      name: 'crash loop (Go)', signalClass: 'CrashLoop', container: 'app',
      evidence: { summary: summary('CrashLoop', ', exit code 2, 5 restarts'), exitCode: 2, restartCount: 5, events: events([['BackOff', 'Back-off restarting failed container app in pod ' + pod, 18]]) },
      logs: logOf(3, goAccess, goPanic()),
      template: fullTemplate('ghcr.io/example/orders:1.8.2', '256Mi'),
      rules: unsure('container app panics at start (exit code 2)', 'a nil pointer dereference in the code: needs a code fix'),
    },
    {
      name: 'image pull', signalClass: 'ImagePull', container: 'app',
      evidence: { summary: summary('ImagePull', ', reason ImagePullBackOff: Back-off pulling image "ghcr.io/example/shop:2.15.O"'), reason: 'ImagePullBackOff', events: events([['Failed', 'Failed to pull image "ghcr.io/example/shop:2.15.O": rpc error: code = NotFound desc = failed to pull and unpack image "ghcr.io/example/shop:2.15.O": not found', 12], ['Failed', 'Error: ErrImagePull', 12], ['BackOff', 'Back-off pulling image "ghcr.io/example/shop:2.15.O"', 40]]), templateChange: 'image of container app: ghcr.io/example/shop:2.14.0 -> ghcr.io/example/shop:2.15.O (revision 7 -> 8)' },
      logs: logOf(4, access, [`${stamp(9999)} INFO  c.e.shop.web.AccessLog - GET /api/items/1 200 3ms`]),
      template: fullTemplate('ghcr.io/example/shop:2.15.O', '512Mi'),
      rules: { rootCause: 'image ghcr.io/example/shop:2.15.O cannot be pulled; revision 7 ran ghcr.io/example/shop:2.14.0', confidence: 0.85, cited: ['container app image: ghcr.io/example/shop:2.15.O'], action: { type: 'setImageTag', container: 'app', tag: '2.14.0' } },
    },
    {
      name: 'config error', signalClass: 'ConfigError', container: 'app',
      evidence: { summary: summary('ConfigError', ', reason CreateContainerConfigError: configmap "shop-config-v2" not found'), reason: 'CreateContainerConfigError', events: events([['Failed', 'Error: configmap "shop-config-v2" not found', 25]]), templateChange: 'envFrom[0].configMapRef.name of container app: shop-config -> shop-config-v2' },
      logs: logOf(5, (rand, i) => (rand() < 0.3 ? `${stamp(i)} DEBUG c.e.shop.config.Loader - resolved property ${pick(rand, ['cache.ttl', 'pool.size', 'feature.x', 'region'])}=${Math.floor(rand() * 1000)}` : access(rand, i)), [`${stamp(9999)} ERROR c.e.shop.config.Loader - required property 'payment.endpoint' is not set`]),
      template: fullTemplate('ghcr.io/example/shop:2.14.0', '512Mi', {}),
      rules: unsure('configmap shop-config-v2 does not exist', 'create the ConfigMap shop-config-v2 or point envFrom back at shop-config'),
    },
    {
      name: 'probe failure', signalClass: 'ProbeFailure', container: 'app',
      evidence: { summary: summary('ProbeFailure', ', 14 restarts'), restartCount: 14, events: events([['Unhealthy', 'Liveness probe failed: Get "http://10.244.1.17:9090/actuator/health/liveness": dial tcp 10.244.1.17:9090: connect: connection refused', 42], ['Killing', 'Container app failed liveness probe, will be restarted', 14]]) },
      logs: logOf(6, access, [...springStart, `${stamp(9990)} INFO  o.s.b.a.e.web.EndpointLinksResolver - Exposing 1 endpoint(s) beneath base path '/actuator' on port 8081`, `${stamp(9999)} INFO  c.e.shop.ShopApplication - Started ShopApplication in 41.2 seconds`], springStart),
      template: fullTemplate('ghcr.io/example/shop:2.14.0', '512Mi'),
      rules: unsure('the liveness probe gets connection refused on port 9090', 'the app listens elsewhere or starts slowly'),
    },
    {
      name: 'unschedulable', signalClass: 'Unschedulable', container: 'app',
      evidence: { summary: `Unschedulable in pod ${pod}: 0/5 nodes are available`, reason: 'Unschedulable', events: events([['FailedScheduling', '0/5 nodes are available: 3 Insufficient memory, 2 node(s) had untolerated taint {dedicated: batch}. preemption: 0/5 nodes are available: 3 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.', 63]]) },
      logs: logOf(7, access, [`${stamp(9999)} INFO  c.e.shop.web.AccessLog - GET /api/items/2 200 4ms`]),
      template: fullTemplate('ghcr.io/example/shop:2.14.0', '6Gi'),
      rules: { rootCause: 'requests of 6Gi memory fit no node (largest allocatable 3.5Gi)', confidence: 0.6, cited: ['0/5 nodes are available: 3 Insufficient memory'], action: { type: 'fitRequests', container: 'app', memory: '3Gi' } },
    },
    {
      name: 'stuck rollout', signalClass: 'RolloutStuck', container: 'app',
      evidence: { summary: 'RolloutStuck in Deployment shop: ProgressDeadlineExceeded, 1 of 3 new replicas ready', reason: 'ProgressDeadlineExceeded', events: events([['Unhealthy', 'Readiness probe failed: HTTP probe failed with statuscode: 503', 120]]), templateChange: 'args of container app: --db.pool.size=20 -> --db.pool.size=200 (revision 11 -> 12)' },
      logs: logOf(8, (rand, i) => (rand() < 0.4 ? `${stamp(i)} WARN  com.zaxxer.hikari.pool.HikariPool - HikariPool-1 - Connection is not available, request timed out after 30000ms (total=200, active=200, idle=0, waiting=${Math.floor(rand() * 50)})` : access(rand, i)), [`${stamp(9999)} ERROR o.postgresql.Driver - FATAL: sorry, too many clients already`]),
      template: fullTemplate('ghcr.io/example/shop:2.15.0', '512Mi'),
      rules: unsure('new pods do not become ready after the rollout', 'readiness fails with 503; the logs point at the database pool'),
    },
  ];
}

/**
 * The same inputs built from the evidence the tier-2 sandbox captured (test/fixtures/sandbox),
 * as the operator assembles them: the detector's first signal, the evidence summary, the
 * pod's logs, the template and the rules' answer. The simulated pods log a few lines only,
 * so these show the fixed cost of a prompt, where the synthetic scenarios show the logs'.
 */
export function capturedScenarios(): Scenario[] {
  return sandboxScenarios().map((name) => {
    const fixture = loadSandboxFixture(name);
    const [first] = fixtureSignals(fixture);
    if (!first) throw new Error(`${name}: the detector finds nothing in the fixture`);
    const { signal, input } = analyzerInputFor(fixture, first.class);
    const template = fixture.deployment.spec?.template ?? {};
    const owner = `${fixture.deployment.kind ?? 'Deployment'}/${fixture.deployment.metadata?.name ?? ''}`;
    const evidence = summarizeEvidence(signal, fixture.events, [owner], templateChange(fixture.replicaSets), template);
    const logs = [input.previousLogs && `--- previous ---\n${input.previousLogs}`, input.currentLogs && `--- current ---\n${input.currentLogs}`].filter(Boolean).join('\n');
    return { name, signalClass: signal.class, container: signal.container ?? '', evidence, logs, template, rules: diagnoseWithRules(input) };
  });
}
