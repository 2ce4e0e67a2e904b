// The sandbox's behaviour controller as a process of its own, started by `sandbox up`;
// with --metrics-port (tier 3) it also serves the simulated pods' metrics to Prometheus.
import { parseArgs } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { BehaviourController } from './behaviour-controller.ts';
import { startMetricsExporter, type MetricsExporter } from './metrics-exporter.ts';
import { loadRegistry } from './registry.ts';

const { values } = parseArgs({
  options: { kubeconfig: { type: 'string' }, 'log-dir': { type: 'string' }, 'metrics-port': { type: 'string' } },
});
const metricsPort = values['metrics-port'] === undefined ? undefined : Number(values['metrics-port']);
if (!values.kubeconfig || !values['log-dir'] || (metricsPort !== undefined && !Number.isInteger(metricsPort))) {
  console.error('usage: main.ts --kubeconfig FILE --log-dir DIR [--metrics-port N]');
  process.exit(2);
}
const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);
const kubeConfig = new KubeConfig();
kubeConfig.loadFromFile(values.kubeconfig);
const registry = loadRegistry();
const controller = new BehaviourController({ kubeConfig, logDir: values['log-dir'], registry, log });
await controller.start();
let exporter: MetricsExporter | undefined;
if (metricsPort !== undefined) {
  exporter = await startMetricsExporter({ port: metricsPort, pods: () => controller.listPods(), registry });
  log(`metrics exporter serving at ${exporter.url}`);
}
log('behaviour controller started');
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => void Promise.all([controller.stop(), exporter?.close()]).finally(() => process.exit(0)));
}
