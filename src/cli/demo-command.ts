import { startSandbox, stopSandbox } from '../sandbox/cluster/sandbox.ts';
import { defaultSandboxDir } from '../sandbox/paths.ts';
import { usageLines } from './sandbox-command.ts';

/**
 * `npm run demo`. Until the full healing loop exists, the demo is the sandbox itself:
 * it starts a tier-2 cluster (building its binaries on first use), prints how to use it,
 * and stops it on Ctrl-C.
 */
export async function runDemo(): Promise<number> {
  const dir = defaultSandboxDir('demo');
  const report = (line: string) => process.stderr.write(`[demo] ${line}\n`);
  await stopSandbox(dir); // a demo killed earlier may have left processes behind
  const state = await startSandbox({ dir, tier: 2, report });
  process.stdout.write([
    '',
    'GopherGuard sandbox is running: a real kube-apiserver, controller manager and scheduler,',
    'with KWOK simulating nodes whose pods behave as their spec says. Try, in another shell:',
    '',
    ...usageLines(state).map((line) => `  ${line}`),
    '  kubectl apply -f examples/sandbox/oom-deployment.yaml && kubectl get pods -w',
    '',
    'Press Ctrl-C to stop it.',
    '',
  ].join('\n'));
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  report('stopping the sandbox');
  await stopSandbox(dir);
  return 0;
}
