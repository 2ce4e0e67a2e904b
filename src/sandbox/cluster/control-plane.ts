import { join } from 'node:path';
import type { FluxPorts } from './flux.ts';
import type { ObservabilityPorts } from './observability.ts';
import type { Pki } from './pki.ts';

/** Loopback ports of one sandbox, chosen free at start-up (Flux's and the metrics stack's: tier 3 only). */
export interface SandboxPorts extends Partial<FluxPorts>, Partial<ObservabilityPorts> {
  etcdClient: number;
  etcdPeer: number;
  apiserver: number;
  controllerManager: number;
  scheduler: number;
  kwokServer: number;
  /** Tier 3 only. */
  gitea?: number;
}

export const PORT_NAMES: Array<keyof SandboxPorts> = [
  'etcdClient', 'etcdPeer', 'apiserver', 'controllerManager', 'scheduler', 'kwokServer',
];

export function etcdArgs(dataDir: string, ports: SandboxPorts): string[] {
  const client = `http://127.0.0.1:${ports.etcdClient}`;
  const peer = `http://127.0.0.1:${ports.etcdPeer}`;
  return [
    '--name=sandbox',
    `--data-dir=${dataDir}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=sandbox=${peer}`,
    // A throwaway cluster: durability is worth nothing, start-up and write latency are.
    '--unsafe-no-fsync=true',
    '--log-level=warn',
  ];
}

export function apiserverArgs(pki: Pki, ports: SandboxPorts, withControllerManager: boolean): string[] {
  const args = [
    `--etcd-servers=http://127.0.0.1:${ports.etcdClient}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${ports.apiserver}`,
    `--tls-cert-file=${pki.servingCert}`,
    `--tls-private-key-file=${pki.servingKey}`,
    `--client-ca-file=${pki.caCert}`,
    '--authorization-mode=Node,RBAC',
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${pki.serviceAccountPub}`,
    `--service-account-signing-key-file=${pki.serviceAccountKey}`,
    '--service-cluster-ip-range=10.0.0.0/24',
    '--allow-privileged=true',
    // kubectl logs goes from the API server to the "kubelet", which kwok serves.
    `--kubelet-client-certificate=${pki.kubeletClientCert}`,
    `--kubelet-client-key=${pki.kubeletClientKey}`,
    '--kubelet-preferred-address-types=InternalIP',
    // The kubernetes Service's endpoint would be 127.0.0.1, which endpoint validation
    // rejects over and over; nothing in the sandbox dials it.
    '--endpoint-reconciler-type=none',
    '--v=1',
  ];
  // Without the controller manager nobody creates service-account tokens, and the
  // ServiceAccount admission plugin would then reject every pod.
  if (!withControllerManager) args.push('--disable-admission-plugins=ServiceAccount');
  return args;
}

export function controllerManagerArgs(pki: Pki, kubeconfig: string, ports: SandboxPorts, certDir: string): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    '--leader-elect=false',
    '--bind-address=127.0.0.1',
    `--secure-port=${ports.controllerManager}`,
    `--cert-dir=${join(certDir, 'kube-controller-manager')}`,
    '--authorization-always-allow-paths=/healthz,/readyz,/livez,/metrics',
    `--root-ca-file=${pki.caCert}`,
    `--service-account-private-key-file=${pki.serviceAccountKey}`,
    '--use-service-account-credentials=false',
    '--v=1',
  ];
}

export function schedulerArgs(kubeconfig: string, ports: SandboxPorts, certDir: string): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    '--leader-elect=false',
    '--bind-address=127.0.0.1',
    `--secure-port=${ports.scheduler}`,
    `--cert-dir=${join(certDir, 'kube-scheduler')}`,
    '--authorization-always-allow-paths=/healthz,/readyz,/livez,/metrics',
    '--v=1',
  ];
}
