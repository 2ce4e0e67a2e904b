// Warm start-up of the sandbox (binaries cached): time from startSandbox() to a ready
// cluster, per tier, median of N runs. Usage: npm run bench -- sandbox-startup [N]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureComponents } from '../src/sandbox/build-all.ts';
import { startSandbox, stopSandbox } from '../src/sandbox/cluster/sandbox.ts';
import { median, printTable } from './table.ts';

const runs = Number(process.argv[2] ?? 3);
await ensureComponents(2, (line) => console.error(line));
const rows: Array<Array<string | number>> = [];
for (const tier of [1, 2] as const) {
  const startMs: number[] = [];
  const stopMs: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const dir = await mkdtemp(join(tmpdir(), 'gopherguard-bench-'));
    const state = await startSandbox({ dir, tier });
    startMs.push(state.startupMs);
    const stopping = Date.now();
    await stopSandbox(dir);
    stopMs.push(Date.now() - stopping);
    await rm(dir, { recursive: true, force: true });
  }
  rows.push([tier, runs, (median(startMs) / 1000).toFixed(1), (Math.min(...startMs) / 1000).toFixed(1), (Math.max(...startMs) / 1000).toFixed(1), (median(stopMs) / 1000).toFixed(1)]);
}
printTable('Sandbox warm start-up (binaries cached)', ['tier', 'runs', 'start median s', 'min s', 'max s', 'stop median s'], rows);
