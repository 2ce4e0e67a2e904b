// The sandbox's behaviour controller as a process of its own, started by `sandbox up`.
import { parseArgs } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { BehaviourController } from './behaviour-controller.ts';

const { values } = parseArgs({ options: { kubeconfig: { type: 'string' }, 'log-dir': { type: 'string' } } });
if (!values.kubeconfig || !values['log-dir']) {
  console.error('usage: main.ts --kubeconfig FILE --log-dir DIR');
  process.exit(2);
}
const kubeConfig = new KubeConfig();
kubeConfig.loadFromFile(values.kubeconfig);
const controller = new BehaviourController({
  kubeConfig,
  logDir: values['log-dir'],
  log: (line) => console.log(`${new Date().toISOString()} ${line}`),
});
await controller.start();
console.log(`${new Date().toISOString()} behaviour controller started`);
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => void controller.stop().finally(() => process.exit(0)));
}
