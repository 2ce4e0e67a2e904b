import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig, type KubernetesObject, type V1Node } from '@kubernetes/client-node';
import { ensureComponents, type Tier } from '../build-all.ts';
import { formatDuration, type Report } from '../binaries/index.ts';
import { isAlive } from '../binaries/file-lock.ts';
import { repoPath } from '../paths.ts';
import { createAll, crdsEstablished, readManifests } from './apply.ts';
import { FLUX_PORT_NAMES, startFlux, type FluxPorts } from './flux.ts';
import { startGitea } from './gitea.ts';
import { PORT_NAMES, apiserverArgs, controllerManagerArgs, etcdArgs, schedulerArgs, type SandboxPorts } from './control-plane.ts';
import { kwokArgs } from './kwok.ts';
import { simulatedNode } from './nodes.ts';
import { OBSERVABILITY_PORT_NAMES, startObservability, type ObservabilityPorts } from './observability.ts';
import { createPki, writeKubeconfig, type Pki } from './pki.ts';
import { freePorts, isListening } from './ports.ts';
import { probeOk } from './probe.ts';
import { StartupError, startProcess, stopProcess, waitUntil, type ManagedProcess } from './processes.ts';
import { STATE_FILE, readSandboxState, saveState, type SandboxState } from './state.ts';

export { readSandboxState, type SandboxState };

export interface SandboxOptions {
  /** Folder for this sandbox's certificates, data, logs and state. */
  dir: string;
  tier: Tier;
  /** Simulated nodes (tier 2). */
  nodes?: number;
  report?: Report;
  env?: NodeJS.ProcessEnv;
}

export class SandboxRunningError extends Error {
  constructor(dir: string) {
    super(`A sandbox is already running in ${dir}. Stop it first with: gopherguard sandbox down --dir ${dir}`);
    this.name = 'SandboxRunningError';
  }
}

/**
 * Starts a sandbox cluster of real components as local processes on free loopback ports
 * and returns once it answers: tier 1 is etcd and kube-apiserver; tier 2 adds the
 * controller manager, the scheduler, KWOK with the stage library, simulated nodes, the
 * behaviour controller and the Flux and Argo CD CRDs; tier 3 adds Gitea with an admin
 * user and an access token, Flux's source- and kustomize-controller, and Prometheus and
 * Alertmanager fed by the behaviour controller's metrics exporter. On any failure
 * everything already started is stopped again.
 */
export async function startSandbox(options: SandboxOptions): Promise<SandboxState> {
  const report = options.report ?? (() => undefined);
  const env = options.env ?? process.env;
  const existing = await readSandboxState(options.dir);
  if (existing?.processes.some((p) => isAlive(p.pid))) throw new SandboxRunningError(options.dir);

  const built = await ensureComponents(options.tier, report, env);
  const bin = (component: keyof typeof built.components, file: string): string => {
    const path = built.components[component]?.binaries[file];
    if (!path) throw new Error(`no ${file} binary resolved for ${component}`);
    return path;
  };

  const started = Date.now();
  const dir = options.dir;
  await rm(join(dir, 'etcd'), { recursive: true, force: true });
  await mkdir(join(dir, 'logs'), { recursive: true });
  const pki = await createPki(join(dir, 'pki'));
  const portNames: Array<keyof SandboxPorts> = options.tier >= 3
    ? [...PORT_NAMES, 'gitea', ...FLUX_PORT_NAMES, ...OBSERVABILITY_PORT_NAMES]
    : PORT_NAMES;
  const portList = await freePorts(portNames.length);
  const ports = Object.fromEntries(portNames.map((name, i) => [name, portList[i]])) as unknown as SandboxPorts;
  const server = `https://127.0.0.1:${ports.apiserver}`;
  const kubeconfig = join(dir, 'kubeconfig');
  await writeKubeconfig(kubeconfig, pki, server, `gopherguard-sandbox-${ports.apiserver}`);

  const state: SandboxState = {
    dir, tier: options.tier, kubeconfig, server, ports, processes: [], startedAt: new Date().toISOString(), startupMs: 0,
  };
  const launch = async (name: string, command: string, args: string[], extraEnv: Record<string, string> = {}): Promise<ManagedProcess> => {
    const proc = startProcess({ name, command, args, logFile: join(dir, 'logs', `${name}.log`), extraEnv, cwd: dir });
    state.processes.push(proc);
    await saveState(state); // so `sandbox down` can clean up even a half-started sandbox
    return proc;
  };

  try {
    const etcd = await launch('etcd', bin('etcd', 'etcd'), etcdArgs(join(dir, 'etcd'), ports));
    await waitUntil(etcd, 'serving', () => probeOk({ url: `http://127.0.0.1:${ports.etcdClient}/health` }));
    report(`etcd is up on 127.0.0.1:${ports.etcdClient}`);

    const apiserver = await launch('kube-apiserver', bin('kubernetes', 'kube-apiserver'), apiserverArgs(pki, ports, options.tier >= 2));
    await waitUntil(apiserver, 'ready', () => probeOk({ url: `${server}/readyz`, pki }), 90_000);
    report(`kube-apiserver is ready at ${server}`);

    if (options.tier >= 2) {
      const kcm = await launch('kube-controller-manager', bin('kubernetes', 'kube-controller-manager'), controllerManagerArgs(pki, kubeconfig, ports, dir));
      const scheduler = await launch('kube-scheduler', bin('kubernetes', 'kube-scheduler'), schedulerArgs(kubeconfig, ports, dir));
      await waitUntil(kcm, 'healthy', () => probeOk({ url: `https://127.0.0.1:${ports.controllerManager}/healthz`, insecure: true }));
      await waitUntil(scheduler, 'healthy', () => probeOk({ url: `https://127.0.0.1:${ports.scheduler}/healthz`, insecure: true }));
      report('kube-controller-manager and kube-scheduler are healthy');

      const kc = new KubeConfig();
      kc.loadFromFile(kubeconfig);
      const assets = built.components['kwok-assets']?.dir;
      const gitops = built.components['gitops-crds']?.dir;
      if (!assets || !gitops) throw new Error('kwok assets or GitOps CRDs were not resolved');
      // Flux's and Argo CD's CRDs: in tier 2 no controller runs and tests write status as
      // the engines would; tier 3 starts Flux's. Pre-parsed JSON: YAML-parsing the 400 KB
      // Application CRD is slow.
      const gitopsCrds = JSON.parse(await readFile(join(gitops, 'crds.json'), 'utf8')) as KubernetesObject[];
      await createAll(kc, [...await readManifests(join(assets, 'crds')), ...gitopsCrds]);
      const kwok = await launch('kwok', bin('kwok', 'kwok'), kwokArgs(kubeconfig, ports), { KWOK_WORKDIR: join(dir, 'kwok') });
      await waitUntil(kwok, 'serving', () => probeOk({ url: `http://127.0.0.1:${ports.kwokServer}/healthz` }));
      const sim = await launch('behaviour-controller', process.execPath, [
        repoPath('src', 'sandbox', 'sim', 'main.ts'), `--kubeconfig=${kubeconfig}`, `--log-dir=${join(dir, 'pod-logs')}`,
        ...ports.simMetrics === undefined ? [] : [`--metrics-port=${ports.simMetrics}`],
      ]);
      await createAll(kc, [...await readManifests(join(assets, 'node-stages')), ...await readManifests(repoPath('sandbox', 'stages'))]);
      const nodeNames = Array.from({ length: options.nodes ?? 3 }, (_, i) => `sandbox-node-${i + 1}`);
      await createAll(kc, nodeNames.map((name) => simulatedNode(name)));
      await waitUntil(kwok, `managing ${nodeNames.length} ready nodes`, () => nodesReady(kc, nodeNames));
      await waitUntil(sim, 'running', async () => (await readFile(sim.logFile, 'utf8')).includes('behaviour controller started'));
      if (ports.simMetrics !== undefined) {
        await waitUntil(sim, 'serving metrics', () => probeOk({ url: `http://127.0.0.1:${ports.simMetrics}/metrics` }));
      }
      await waitUntil(kcm, 'creating service accounts', () => defaultServiceAccountExists(kc));
      await waitUntil(apiserver, 'serving the GitOps CRDs', () => crdsEstablished(kc, gitopsCrds.map((c) => c.metadata?.name ?? '')));
      report(`kwok manages ${nodeNames.length} simulated nodes`);
    }
    if (options.tier >= 3) {
      const staticRoot = built.components['gitea-assets']?.dir;
      if (!staticRoot || ports.gitea === undefined) throw new Error('gitea assets or port were not resolved');
      state.gitea = await startGitea({ binary: bin('gitea', 'gitea'), staticRoot, dir, port: ports.gitea, launch });
      report(`gitea is serving at ${state.gitea.url} (user ${state.gitea.username}; token and password in ${join(dir, STATE_FILE)})`);
      await startFlux({
        sourceController: bin('flux-source-controller', 'source-controller'),
        kustomizeController: bin('flux-kustomize-controller', 'kustomize-controller'),
        dir, kubeconfig, ports: fluxPorts(ports), launch,
      });
      report(`flux source-controller and kustomize-controller are healthy (artifacts at http://127.0.0.1:${ports.fluxSourceStorage})`);
      const debian = built.debian;
      if (!debian) throw new Error('prometheus and alertmanager were not resolved');
      const observability = await startObservability({
        prometheus: debian.binaries.prometheus, alertmanager: debian.binaries.alertmanager, dir, ports: observabilityPorts(ports), launch,
      });
      state.prometheus = observability.prometheus;
      state.alertmanager = observability.alertmanager;
      report(`prometheus is serving at ${state.prometheus.url} (scraping the simulated pods every 2 s); alertmanager at ${state.alertmanager.url}`);
    }
    state.startupMs = Date.now() - started;
    await saveState(state);
    report(`sandbox tier ${options.tier} is ready in ${formatDuration(state.startupMs)}`);
    return state;
  } catch (error) {
    await stopProcesses(state.processes);
    await rm(join(dir, STATE_FILE), { force: true });
    throw error instanceof StartupError ? error : new StartupError(`the sandbox did not start: ${String(error)}`, { cause: error });
  }
}

function fluxPorts(ports: SandboxPorts): FluxPorts {
  return pickPorts(ports, FLUX_PORT_NAMES) as unknown as FluxPorts;
}

function observabilityPorts(ports: SandboxPorts): ObservabilityPorts {
  return pickPorts(ports, OBSERVABILITY_PORT_NAMES) as unknown as ObservabilityPorts;
}

function pickPorts(ports: SandboxPorts, names: ReadonlyArray<keyof SandboxPorts>): Record<string, number> {
  const picked = names.map((name) => [name, ports[name]] as const);
  const missing = picked.filter(([, port]) => port === undefined).map(([name]) => name);
  if (missing.length > 0) throw new Error(`no ports chosen for ${missing.join(', ')}`);
  return Object.fromEntries(picked) as Record<string, number>;
}

async function nodesReady(kc: KubeConfig, names: string[]): Promise<boolean> {
  const list = await kc.makeApiClient(CoreV1Api).listNode();
  const ready = (node: V1Node) => node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
  return names.every((name) => list.items.some((node) => node.metadata?.name === name && ready(node)));
}

async function defaultServiceAccountExists(kc: KubeConfig): Promise<boolean> {
  await kc.makeApiClient(CoreV1Api).readNamespacedServiceAccount({ name: 'default', namespace: 'default' });
  return true;
}

/**
 * Stops one component and starts it again with the same flags, as a crash and restart
 * would: for tests of what survives an API server restart.
 */
export async function restartComponent(dir: string, name: string, downMs = 0): Promise<ManagedProcess> {
  const state = await readSandboxState(dir);
  const old = state?.processes.find((p) => p.name === name);
  if (!state || !old) throw new Error(`no component ${name} in the sandbox in ${dir}`);
  await stopProcess(old);
  if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
  const fresh = startProcess({ name, command: old.command, args: old.args, logFile: old.logFile, cwd: old.cwd, extraEnv: old.extraEnv });
  state.processes = state.processes.map((p) => (p.name === name ? fresh : p));
  await saveState(state);
  if (name === 'kube-apiserver') {
    const pki = adminPki(dir);
    await waitUntil(fresh, 'ready', () => probeOk({ url: `${state.server}/readyz`, pki }), 90_000);
  }
  return fresh;
}

/** Stops every process of the sandbox in a folder and checks that its ports are free. */
export async function stopSandbox(dir: string): Promise<{ stopped: number }> {
  const state = await readSandboxState(dir);
  if (!state) return { stopped: 0 };
  const alive = state.processes.filter((p) => isAlive(p.pid)).length;
  await stopProcesses(state.processes);
  const busy: number[] = [];
  for (const port of Object.values(state.ports)) if (await isListening(port)) busy.push(port);
  if (busy.length > 0) throw new Error(`the sandbox in ${dir} stopped, but ports ${busy.join(', ')} are still in use`);
  await rm(join(dir, STATE_FILE), { force: true });
  await rm(join(dir, 'etcd'), { recursive: true, force: true });
  await rm(join(dir, 'gitea'), { recursive: true, force: true });
  await rm(join(dir, 'flux'), { recursive: true, force: true });
  await rm(join(dir, 'prometheus'), { recursive: true, force: true });
  await rm(join(dir, 'alertmanager'), { recursive: true, force: true });
  return { stopped: alive };
}

async function stopProcesses(processes: ManagedProcess[]): Promise<void> {
  // Reverse order: clients before the API server, the API server before etcd.
  for (const proc of [...processes].reverse()) await stopProcess(proc);
}

export interface ComponentStatus {
  name: string;
  pid: number;
  running: boolean;
  logFile: string;
}

export interface SandboxStatus {
  state: SandboxState;
  components: ComponentStatus[];
  apiserverReady: boolean;
  /** Tier 3: whether Gitea's API answers. */
  giteaReady?: boolean;
  /** Tier 3: whether Prometheus and Alertmanager answer /-/ready. */
  prometheusReady?: boolean;
  alertmanagerReady?: boolean;
}

export async function sandboxStatus(dir: string): Promise<SandboxStatus | undefined> {
  const state = await readSandboxState(dir);
  if (!state) return undefined;
  const components = state.processes.map((p) => ({ name: p.name, pid: p.pid, running: isAlive(p.pid), logFile: p.logFile }));
  const pki = adminPki(dir);
  const apiserverReady = await probeOk({ url: `${state.server}/readyz`, pki });
  const giteaReady = state.gitea ? await probeOk({ url: `${state.gitea.url}/api/v1/version` }) : undefined;
  const prometheusReady = state.prometheus ? await probeOk({ url: `${state.prometheus.url}/-/ready` }) : undefined;
  const alertmanagerReady = state.alertmanager ? await probeOk({ url: `${state.alertmanager.url}/-/ready` }) : undefined;
  return { state, components, apiserverReady, giteaReady, prometheusReady, alertmanagerReady };
}

/** The CA and admin client certificate of a sandbox already created (for probes). */
function adminPki(dir: string): Pick<Pki, 'caCert' | 'adminCert' | 'adminKey'> {
  return { caCert: join(dir, 'pki', 'ca.crt'), adminCert: join(dir, 'pki', 'admin.crt'), adminKey: join(dir, 'pki', 'admin.key') };
}
