import { pino } from 'pino';
import type { Log } from '../operator/operator.ts';

export type LogFormat = 'json' | 'text';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * JSON lines (pino) for clusters, where logs are collected and parsed; a readable line
 * per message for a terminal. Both go to stderr, so stdout stays for command output.
 */
export function createLog(format: LogFormat, level: LogLevel): Log {
  if (format === 'json') {
    const logger = pino({ level, base: { component: 'gopherguard' } }, pino.destination(2));
    return (lvl, message, fields) => logger[lvl](fields ?? {}, message);
  }
  const order: LogLevel[] = ['debug', 'info', 'warn', 'error'];
  return (lvl, message, fields) => {
    if (order.indexOf(lvl) < order.indexOf(level)) return;
    const extra = Object.entries(fields ?? {}).map(([k, v]) => `${k}=${typeof v === 'string' && !/\s/.test(v) ? v : JSON.stringify(v)}`).join(' ');
    process.stderr.write(`${new Date().toISOString()} ${lvl.toUpperCase().padEnd(5)} ${message}${extra ? ` ${extra}` : ''}\n`);
  };
}
