import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { V1Pod } from '@kubernetes/client-node';
import type { Verdict } from './judge.ts';

export interface ContainerLogFiles {
  container: string;
  logsFile: string;
  previousLogsFile: string;
}

/**
 * Writes what each container of a pod would have printed, in the CRI log format that
 * KWOK's log server (and so `kubectl logs` through the API server) requires. A failing
 * container's log names its cause the way a real app would, so that diagnosis is tested
 * against the same evidence a person would read.
 */
export async function writeContainerLogs(root: string, pod: V1Pod, verdict: Verdict, at = new Date()): Promise<ContainerLogFiles[]> {
  const dir = join(root, pod.metadata?.namespace ?? 'default', pod.metadata?.name ?? 'unknown');
  await mkdir(dir, { recursive: true });
  const files: ContainerLogFiles[] = [];
  for (const container of pod.spec?.containers ?? []) {
    const name = container.name;
    const failing = verdict.container === name ? verdict : { behaviour: 'healthy' as const };
    const port = container.ports?.[0]?.containerPort ?? 8080;
    const lines = linesFor(failing, port);
    const restarts = ['oom', 'crash', 'liveness-fail', 'slow-start'].includes(failing.behaviour);
    const logsFile = join(dir, `${name}.log`);
    const previousLogsFile = join(dir, `${name}.previous.log`);
    await writeFile(logsFile, toCri(lines, at));
    // Only a container that has restarted has a previous instance with output.
    await writeFile(previousLogsFile, restarts ? toCri(lines, new Date(at.getTime() - 5000)) : '');
    files.push({ container: name, logsFile, previousLogsFile });
  }
  return files;
}

interface Line {
  stream: 'stdout' | 'stderr';
  text: string;
}

const out = (text: string): Line => ({ stream: 'stdout', text });
const err = (text: string): Line => ({ stream: 'stderr', text });

export function linesFor(verdict: Verdict, port: number): Line[] {
  const start = [out('{"level":"info","msg":"starting jokeservice","version":"1.0.0"}')];
  const listening = out(`{"level":"info","msg":"listening","addr":":${port}"}`);
  switch (verdict.behaviour) {
    case 'healthy':
      return [...start, listening, out('{"level":"info","msg":"GET /healthz","status":200}'), out('{"level":"info","msg":"GET /joke","status":200}')];
    case 'oom':
      return [
        ...start,
        out('{"level":"info","msg":"loading joke corpus into memory"}'),
        out(`{"level":"info","msg":"cache warm-up","rss":"${verdict.detail?.limit ?? ''}","target":"${verdict.detail?.needs ?? ''}"}`),
        // The kernel kills the process mid-allocation: no last words.
      ];
    case 'crash':
      if (verdict.detail?.env) {
        return [...start, err(`{"level":"fatal","msg":"required environment variable ${verdict.detail.env} is not set"}`)];
      }
      return [
        ...start,
        listening,
        err('panic: runtime error: invalid memory address or nil pointer dereference'),
        err('[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a3f2c]'),
        err(''),
        err('goroutine 1 [running]:'),
        err('main.(*JokeStore).Random(...)'),
        err('\t/src/store.go:42 +0x2c'),
        err('main.main()'),
        err('\t/src/main.go:27 +0x1d8'),
      ];
    case 'liveness-fail':
    case 'readiness-fail':
      if (verdict.probe === 'http-404') {
        const served = verdict.detail?.served ?? '';
        const asked = verdict.detail?.probePath ?? '/';
        return [
          ...start,
          listening,
          out(`{"level":"info","msg":"serving paths","paths":"${served}"}`),
          ...Array.from({ length: 3 }, () => out(`{"level":"warn","msg":"GET ${asked}","status":404}`)),
        ];
      }
      return [...start, listening];
    case 'slow-start':
      return [
        ...start,
        out(`{"level":"info","msg":"warming caches before listening","expected":"${verdict.detail?.startsIn ?? ''}"}`),
        out('{"level":"info","msg":"received SIGTERM during start-up, exiting"}'),
      ];
    case 'image-pull':
    case 'config-error':
      return []; // the container never ran
  }
}

function toCri(lines: Line[], at: Date): string {
  return lines.map((line, i) => `${new Date(at.getTime() + i * 10).toISOString()} ${line.stream} F ${line.text}\n`).join('');
}
