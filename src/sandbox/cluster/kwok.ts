import type { SandboxPorts } from './control-plane.ts';

/**
 * Flags only, no KwokConfiguration: a config file switches off all of kwok's defaults
 * (its play-stage parallelism becomes 0 and the log server is disabled). Stages and Logs
 * are API objects (enable-crds) so the sandbox and its tests manage them at run time.
 */
export function kwokArgs(kubeconfig: string, ports: SandboxPorts): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    '--manage-all-nodes=false',
    '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
    '--enable-crds=Stage,Logs,ClusterLogs',
    // The API server reaches the simulated kubelets (for logs) at this address and port.
    '--node-ip=127.0.0.1',
    `--node-port=${ports.kwokServer}`,
    `--server-address=127.0.0.1:${ports.kwokServer}`,
    '--node-lease-duration-seconds=40',
    '--cidr=10.244.0.0/16',
  ];
}
