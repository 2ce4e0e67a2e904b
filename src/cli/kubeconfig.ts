import { KubeClient } from '../k8s/kube-client.ts';
import { loadClusterAccess } from '../k8s/kubeconfig.ts';

/** A client for --kubeconfig, else $KUBECONFIG, else ~/.kube/config, else the in-cluster service account. */
export function connect(file?: string): KubeClient {
  return new KubeClient(loadClusterAccess(file));
}
