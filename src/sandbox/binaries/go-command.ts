import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export type Report = (line: string) => void;

export interface GoCommandOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Names the build in progress lines, e.g. "kubernetes 1.36.3". */
  label: string;
  report: Report;
  /** How often a progress line is printed while the command runs. */
  progressEveryMs?: number;
}

export class GoCommandError extends Error {
  readonly exitCode: number | null;
  readonly tail: string;
  constructor(message: string, exitCode: number | null, tail: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'GoCommandError';
    this.exitCode = exitCode;
    this.tail = tail;
  }
}

/**
 * Runs one `go` command and turns its `-v` and `go: downloading` lines into a progress
 * line every few seconds: a cold Kubernetes build is silent for twenty minutes
 * otherwise, and a silent CI job looks like a hung one. Returns stdout.
 */
export function runGo(args: string[], options: GoCommandOptions): Promise<string> {
  const started = Date.now();
  let compiled = 0;
  let downloaded = 0;
  const tail: string[] = [];
  const stdout: string[] = [];
  const child = spawn('go', args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = createInterface({ input: child.stderr });
  lines.on('line', (line) => {
    if (line.startsWith('go: downloading ')) downloaded += 1;
    else if (/^[\w.-]+(\/[\w.~+-]+)*$/.test(line)) compiled += 1;
    tail.push(line);
    if (tail.length > 40) tail.shift();
  });
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => stdout.push(chunk));
  const timer = setInterval(() => {
    const parts = [`${formatDuration(Date.now() - started)}`];
    if (downloaded > 0) parts.push(`${downloaded} modules downloaded`);
    parts.push(`${compiled} packages compiled`);
    options.report(`building ${options.label}: ${parts.join(', ')}`);
  }, options.progressEveryMs ?? 15_000);
  timer.unref();
  return new Promise((resolve, reject) => {
    child.on('error', (error) => {
      clearInterval(timer);
      reject(new GoCommandError(`could not run go ${args[0]} for ${options.label}: ${error.message}`, null, '', { cause: error }));
    });
    child.on('close', (code) => {
      clearInterval(timer);
      if (code === 0) {
        resolve(stdout.join(''));
        return;
      }
      const last = tail.join('\n');
      reject(new GoCommandError(`go ${args.join(' ')} failed for ${options.label} (exit ${code}):\n${last}`, code, last));
    });
  });
}

export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}
