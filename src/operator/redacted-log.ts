// The operator's own log lines pass the redactor too: an error from a forge, a model or the
// API server can quote a token or a connection string, and logs are shipped and kept.
import type { Log } from './operator.ts';

export function redactedLog(log: Log, redact: (text: string) => string): Log {
  return (level, message, fields) => log(level, redact(message), fields && redactFields(fields, redact));
}

function redactFields(fields: Record<string, unknown>, redact: (text: string) => string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value === 'string') out[key] = redact(value);
    else if (value !== null && typeof value === 'object') {
      try {
        out[key] = JSON.parse(redact(JSON.stringify(value))) as unknown;
      } catch {
        out[key] = '[unloggable]';
      }
    } else out[key] = value;
  }
  return out;
}
