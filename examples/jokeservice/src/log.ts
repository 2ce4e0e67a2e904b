/** Values a log line may carry besides its level and message. */
export type Fields = Record<string, string | number | boolean | undefined>;

export type Level = 'info' | 'warn' | 'error';

/**
 * One JSON object per line, level and message first so that `kubectl logs` stays readable
 * and the first bytes of a crash log say what happened. Errors go to stderr (what a
 * container runtime and GopherGuard's evidence keep apart), the rest to stdout.
 */
export function log(level: Level, msg: string, fields: Fields = {}): void {
  const line = JSON.stringify({ level, msg, ...fields, time: new Date().toISOString() });
  (level === 'error' ? process.stderr : process.stdout).write(`${line}\n`);
}
