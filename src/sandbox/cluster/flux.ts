import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { probeOk } from './probe.ts';
import { waitUntil, type ManagedProcess } from './processes.ts';

/** Loopback ports of Flux's two controllers (tier 3), chosen free at start-up. */
export interface FluxPorts {
  fluxSourceMetrics: number;
  fluxSourceHealth: number;
  /** source-controller's artifact server, which kustomize-controller downloads from. */
  fluxSourceStorage: number;
  fluxKustomizeMetrics: number;
  fluxKustomizeHealth: number;
}

export const FLUX_PORT_NAMES: Array<keyof FluxPorts> = [
  'fluxSourceMetrics', 'fluxSourceHealth', 'fluxSourceStorage', 'fluxKustomizeMetrics', 'fluxKustomizeHealth',
];

/**
 * Both controllers read the kubeconfig from KUBECONFIG: they parse their flags with pflag,
 * and controller-runtime registers --kubeconfig on Go's own flag set, which they never
 * add, so --kubeconfig is an unknown flag. RUNTIME_NAMESPACE is where they would look
 * for their own secrets (none here); with --watch-all-namespaces it scopes nothing.
 */
export function fluxEnv(kubeconfig: string): Record<string, string> {
  return { KUBECONFIG: kubeconfig, RUNTIME_NAMESPACE: 'flux-system' };
}

/**
 * Flags from source-controller v1.9.1's main.go and fluxcd/pkg (artifact/config,
 * runtime/leaderelection, runtime/controller): both controllers default to :8080 and
 * :9440, so every address is set. The advertised storage address goes into artifact URLs,
 * so it is the loopback address kustomize-controller can reach.
 */
export function sourceControllerArgs(storagePath: string, ports: FluxPorts): string[] {
  const storage = `127.0.0.1:${ports.fluxSourceStorage}`;
  return [
    `--storage-path=${storagePath}`,
    `--storage-addr=${storage}`,
    `--storage-adv-addr=${storage}`,
    `--metrics-addr=127.0.0.1:${ports.fluxSourceMetrics}`,
    `--health-addr=127.0.0.1:${ports.fluxSourceHealth}`,
    '--watch-all-namespaces=true',
    '--enable-leader-election=false',
  ];
}

/** Flags from kustomize-controller v1.9.4's main.go; remote bases would reach the internet. */
export function kustomizeControllerArgs(ports: FluxPorts): string[] {
  return [
    `--metrics-addr=127.0.0.1:${ports.fluxKustomizeMetrics}`,
    `--health-addr=127.0.0.1:${ports.fluxKustomizeHealth}`,
    '--watch-all-namespaces=true',
    '--enable-leader-election=false',
    '--no-remote-bases=true',
  ];
}

export interface StartFluxOptions {
  sourceController: string;
  kustomizeController: string;
  /** The sandbox's folder; artifacts go under flux/artifacts in it. */
  dir: string;
  kubeconfig: string;
  ports: FluxPorts;
  /** Starts a managed process (recorded in the sandbox state, stopped by `sandbox down`). */
  launch: (name: string, command: string, args: string[], extraEnv?: Record<string, string>) => Promise<ManagedProcess>;
}

/**
 * Starts source-controller and kustomize-controller out of cluster against the sandbox's
 * API server (admin kubeconfig) and returns once both health endpoints answer.
 */
export async function startFlux(options: StartFluxOptions): Promise<void> {
  const storage = join(options.dir, 'flux', 'artifacts');
  // Each start is a new etcd, so artifacts of an earlier run describe objects long gone.
  await rm(storage, { recursive: true, force: true });
  await mkdir(storage, { recursive: true });
  const env = fluxEnv(options.kubeconfig);
  const source = await options.launch('source-controller', options.sourceController, sourceControllerArgs(storage, options.ports), env);
  const kustomize = await options.launch('kustomize-controller', options.kustomizeController, kustomizeControllerArgs(options.ports), env);
  await waitUntil(source, 'healthy', () => probeOk({ url: `http://127.0.0.1:${options.ports.fluxSourceHealth}/readyz` }));
  await waitUntil(kustomize, 'healthy', () => probeOk({ url: `http://127.0.0.1:${options.ports.fluxKustomizeHealth}/readyz` }));
}
