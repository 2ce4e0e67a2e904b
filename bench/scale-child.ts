// The measuring half of bench/scale.bench.ts, run in a fresh process so that nothing the
// population made counts: syncs one cache against the cluster and prints what it cost as
// one line of JSON.
// Usage: node --expose-gc bench/scale-child.ts <kubeconfig> <cluster-cache | raw-informer | idle>
import { performance } from 'node:perf_hooks';
import type { V1Pod } from '@kubernetes/client-node';

export interface ChildResult {
  mode: string;
  syncMs: number;
  objects: Record<string, number>;
  /**
   * process.memoryUsage(): at boot (Node running this .ts file, nothing imported), after
   * importing the operator's modules, after sync, after a forced GC.
   * The first two follow a forced GC.
   */
  boot: NodeJS.MemoryUsage;
  before: NodeJS.MemoryUsage;
  afterSync: NodeJS.MemoryUsage;
  afterGc: NodeJS.MemoryUsage;
  /** Peak resident set size of the whole process, bytes. */
  maxRss: number;
}

const [kubeconfig, mode] = process.argv.slice(2);
const gc = globalThis.gc;
if (!kubeconfig || !mode || !['cluster-cache', 'raw-informer', 'idle'].includes(mode)) {
  console.error('usage: node --expose-gc bench/scale-child.ts <kubeconfig> <cluster-cache | raw-informer | idle>');
  process.exit(2);
}
if (!gc) throw new Error('run with --expose-gc');
const fullGc = () => {
  // Twice: the first pass can leave objects that only a second one frees (weak refs, finalizers).
  gc();
  gc();
};

fullGc();
const boot = process.memoryUsage();
// Imported only now, so that what they cost shows apart from Node's own footprint.
const { ClusterCache } = await import('../src/reconcile/cluster-cache.ts');
const { KubeClient } = await import('../src/k8s/kube-client.ts');
const { fromKubeconfigFiles } = await import('../src/k8s/kubeconfig.ts');
const client = new KubeClient(fromKubeconfigFiles([kubeconfig]));
fullGc();
const before = process.memoryUsage();
const started = performance.now();
let objects: Record<string, number> = {};
let stop = () => undefined as unknown;
if (mode === 'cluster-cache') {
  const cache = new ClusterCache({ client, log: (message, fields) => console.error(message, fields) });
  await cache.start();
  objects = {
    pods: cache.pods.list().length, replicaSets: cache.replicaSets.list().length, deployments: cache.deployments.list().length,
    statefulSets: cache.statefulSets.list().length, daemonSets: cache.daemonSets.list().length, events: cache.events.list().length,
    aegisWatches: cache.watches.list().length, healingIncidents: cache.incidents.list().length,
  };
  stop = () => cache.stop();
} else if (mode === 'raw-informer') {
  // client-node's own informer as its README shows it: one unpaged list, objects kept whole.
  // Imported only here, so that the operator's modes do not pay for client-node.
  const { CoreV1Api, KubeConfig, makeInformer } = await import('@kubernetes/client-node');
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(kubeconfig);
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const informer = makeInformer<V1Pod>(kubeConfig, '/api/v1/pods', () => core.listPodForAllNamespaces());
  await informer.start();
  objects = { pods: informer.list().length };
  stop = () => informer.stop();
}
const syncMs = performance.now() - started;
const afterSync = process.memoryUsage();
fullGc();
const afterGc = process.memoryUsage();
const maxRss = process.resourceUsage().maxRSS * 1024;
await stop();
const result: ChildResult = { mode, syncMs, objects, boot, before, afterSync, afterGc, maxRss };
console.log(JSON.stringify(result));
process.exit(0);
