import { parseArgs } from 'node:util';
import { AppsV1Api, CoreV1Api, CustomObjectsApi, KubeConfig, type V1Deployment } from '@kubernetes/client-node';
import type { HealingIncident } from '../api/healing-incident.ts';
import { connect } from './kubeconfig.ts';
import { installCrds } from '../api/install-crds.ts';
import { Operator } from '../operator/operator.ts';
import { startSandbox, stopSandbox } from '../sandbox/cluster/sandbox.ts';
import { defaultSandboxDir } from '../sandbox/paths.ts';
import { usageLines } from './sandbox-command.ts';

const NAMESPACE = 'jokes';

/** JokeService as its GitOps repo would declare it: it needs 200Mi and is given 256Mi. */
function jokeservice(memoryLimit: string): V1Deployment {
  const labels = { app: 'jokeservice' };
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'jokeservice', labels },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels, annotations: { 'sandbox.gopherguard.dev/needs-memory': '200Mi' } },
        spec: {
          containers: [{
            name: 'app', image: 'ghcr.io/gopherguard/jokeservice:1.0.0', ports: [{ name: 'http', containerPort: 8080 }],
            resources: { requests: { memory: '128Mi', cpu: '50m' }, limits: { memory: memoryLimit } },
            readinessProbe: { httpGet: { path: '/readyz', port: 'http' }, periodSeconds: 5 },
          }],
        },
      },
    },
  };
}

/**
 * `npm run demo`: the sandbox, the operator, and a bad change. Until diagnosis and
 * remediation land, the loop ends at detection: a rollout that cuts JokeService's memory
 * limit below what it needs, and the HealingIncident GopherGuard records, with evidence.
 * `--once` exits 0 when the incident is detected (1 if not within two minutes).
 */
export async function runDemo(args: string[] = []): Promise<number> {
  const { values } = parseArgs({ args, options: { once: { type: 'boolean', default: false } } });
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s`;
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const dir = defaultSandboxDir('demo');
  await stopSandbox(dir); // a demo killed earlier may have left processes behind
  say(`${elapsed()}  starting the sandbox (the first run builds Kubernetes from source: ~15 min)`);
  const state = await startSandbox({ dir, tier: 2, report: (line) => process.stderr.write(`[sandbox] ${line}\n`) });
  say(`${elapsed()}  sandbox ready: ${state.server}`);

  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(state.kubeconfig);
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const apps = kubeConfig.makeApiClient(AppsV1Api);
  const client = connect(state.kubeconfig);
  await installCrds(client);
  await core.createNamespace({ body: { metadata: { name: NAMESPACE } } });
  await waitUntil(async () => Boolean(await core.readNamespacedServiceAccount({ name: 'default', namespace: NAMESPACE })), 30_000);
  await kubeConfig.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({
    group: 'gopherguard.dev', version: 'v1alpha1', namespace: NAMESPACE, plural: 'aegiswatches',
    body: {
      apiVersion: 'gopherguard.dev/v1alpha1', kind: 'AegisWatch', metadata: { name: 'jokeservice' },
      spec: { targets: { workloads: [{ kind: 'Deployment', name: 'jokeservice' }] }, source: { git: { repo: 'https://gitea.sandbox.invalid/demo/jokeservice.git', forge: 'gitea' } }, mode: 'observe' },
    },
  });

  const operator = new Operator({
    client, namespace: NAMESPACE, leaderElection: { enabled: false, namespace: NAMESPACE, name: 'gopherguard-demo' },
    health: { host: '127.0.0.1', port: 0 },
    log: (level, message, fields) => { if (level === 'error') process.stderr.write(`[operator] ${message} ${JSON.stringify(fields ?? {})}\n`); },
  });
  let detected: (incident: HealingIncident) => void = () => undefined;
  const firstIncident = new Promise<HealingIncident>((resolve) => { detected = resolve; });
  let diagnosed: (incident: HealingIncident) => void = () => undefined;
  const firstDiagnosis = new Promise<HealingIncident>((resolve) => { diagnosed = resolve; });
  const shown = new Set<string>();
  await operator.start();
  operator.cache.incidents.on('update', (incident) => {
    const key = `${incident.metadata.name}/${incident.status?.phase}`;
    if (!incident.status?.phase || shown.has(key)) return;
    shown.add(key);
    const diagnosis = incident.status.diagnosis;
    say(`${elapsed()}  incident ${incident.metadata.name}: ${incident.status.phase}: ${diagnosis && incident.status.phase === 'Diagnosed' ? diagnosis.summary ?? diagnosis.rootCause : incident.status.evidence?.summary ?? ''}`);
    detected(incident);
    if (diagnosis) diagnosed(incident);
  });
  say(`${elapsed()}  GopherGuard is guarding ${NAMESPACE}/jokeservice (health: http://127.0.0.1:${operator.healthPort}/readyz)`);

  await apps.createNamespacedDeployment({ namespace: NAMESPACE, body: jokeservice('256Mi') });
  await waitUntil(async () => (await apps.readNamespacedDeployment({ name: 'jokeservice', namespace: NAMESPACE })).status?.availableReplicas === 2, 60_000);
  say(`${elapsed()}  jokeservice 1.0.0 runs healthy with a 256Mi memory limit`);
  await apps.replaceNamespacedDeployment({ name: 'jokeservice', namespace: NAMESPACE, body: jokeservice('128Mi') });
  say(`${elapsed()}  a bad change rolls out: the memory limit drops to 128Mi (the app needs 200Mi)`);

  const incident = await Promise.race([firstIncident, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 120_000).unref())]);
  if (incident) {
    const evidence = incident.status?.evidence;
    say(`${elapsed()}  what GopherGuard saw:`);
    for (const line of (evidence?.templateChange ?? '').split('\n').filter(Boolean)) say(`           ${line}`);
    for (const e of evidence?.events?.slice(0, 3) ?? []) say(`           event ${e.reason} ×${e.count}: ${e.message}`);
    const done = await Promise.race([firstDiagnosis, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 60_000).unref())]);
    const diagnosis = done?.status?.diagnosis;
    if (diagnosis) {
      const params = Object.entries(diagnosis.action.params ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`).join(' ');
      say(`${elapsed()}  diagnosis (${diagnosis.engine}, confidence ${diagnosis.confidence}): ${diagnosis.rootCause}`);
      say(`           remedy action: ${diagnosis.action.type} ${params}`);
      if (diagnosis.witty) say(`           "${diagnosis.witty}"`);
    }
    say('           next: a pull request with the fix, and verification (coming in later issues)');
  } else {
    say(`${elapsed()}  no incident within two minutes: something is wrong; logs are in ${dir}/logs`);
  }

  if (!values.once) {
    say('');
    for (const line of usageLines(state)) say(`  ${line}`);
    say('  kubectl get healingincidents -n jokes -o yaml');
    say('\nPress Ctrl-C to stop.');
    await new Promise<void>((resolve) => { process.once('SIGINT', resolve); process.once('SIGTERM', resolve); });
  }
  await operator.stop();
  await stopSandbox(dir);
  return incident ? 0 : 1;
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`the demo timed out after ${timeoutMs / 1000}s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
