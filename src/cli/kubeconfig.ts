import { KubeConfig } from '@kubernetes/client-node';

/** --kubeconfig, else $KUBECONFIG, else ~/.kube/config, else the in-cluster service account. */
export function loadKubeConfig(file?: string): KubeConfig {
  const kubeConfig = new KubeConfig();
  if (file) kubeConfig.loadFromFile(file);
  else kubeConfig.loadFromDefault();
  if (!kubeConfig.getCurrentCluster()) {
    throw new Error('no Kubernetes cluster configured: pass --kubeconfig, set KUBECONFIG, or run inside a cluster');
  }
  return kubeConfig;
}
