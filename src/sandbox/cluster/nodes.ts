import type { V1Node } from '@kubernetes/client-node';

export interface NodeShape {
  cpu: string;
  memory: string;
  pods: number;
}

/** The default simulated node: small enough that a request for 16 CPUs fits nowhere. */
export const DEFAULT_NODE: NodeShape = { cpu: '4', memory: '8Gi', pods: 110 };

/** A Node object that KWOK manages (it writes its status, heartbeats and pods). */
export function simulatedNode(name: string, shape: NodeShape = DEFAULT_NODE): V1Node {
  const resources = { cpu: shape.cpu, memory: shape.memory, pods: String(shape.pods) };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: {
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/role': 'agent',
        'node-role.kubernetes.io/agent': '',
        type: 'kwok',
      },
    },
    status: {
      allocatable: resources,
      capacity: resources,
      nodeInfo: {
        architecture: 'amd64', bootID: '', containerRuntimeVersion: 'kwok', kernelVersion: '', kubeProxyVersion: '',
        kubeletVersion: 'kwok', machineID: '', operatingSystem: 'linux', osImage: 'kwok', systemUUID: '',
      },
    },
  };
}
