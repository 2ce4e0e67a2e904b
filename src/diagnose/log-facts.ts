// What container logs say, in the words apps commonly use: the env var they exit
// without, the paths and port they serve, whether they were still starting. Structured
// (JSON) lines are read as their message plus key=value pairs, so one set of patterns
// covers both `listening on :8080` and {"msg":"listening","addr":":8080"}.

/** Log lines as text, JSON lines flattened to "msg key=value …", empty lines dropped. */
export function logLines(...texts: Array<string | undefined>): string[] {
  return texts.flatMap((text) => (text ?? '').split('\n')).map(readable).filter((line) => line.trim() !== '');
}

function readable(line: string): string {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{')) return trimmed;
  try {
    const record = JSON.parse(trimmed) as Record<string, unknown>;
    const message = record.msg ?? record.message ?? '';
    const rest = Object.entries(record)
      .filter(([key]) => !['msg', 'message', 'level', 'time', 'ts', 'timestamp'].includes(key))
      .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
    // An error level is kept (it says the line is the cause); info and debug say nothing.
    const level = typeof record.level === 'string' && /^(?:error|fatal|panic|critical)$/i.test(record.level) ? [`level=${record.level}`] : [];
    return [String(message), ...rest, ...level].join(' ');
  } catch {
    return trimmed;
  }
}

export interface Fact<T> {
  value: T;
  /** The log line it was read from, to quote. */
  line: string;
}

const ENV_NAME = '([A-Za-z_][A-Za-z0-9_]*)';
const MISSING_ENV = [
  new RegExp(`env(?:ironment)?[ _-]?var(?:iable)?\\s+["'\`]?${ENV_NAME}["'\`]?\\s+(?:is\\s+)?(?:not\\s+set|unset|missing|empty|required|must\\s+be\\s+set)`, 'i'),
  new RegExp(`missing\\s+(?:required\\s+)?env(?:ironment)?[ _-]?var(?:iable)?s?:?\\s+["'\`]?${ENV_NAME}`, 'i'),
  /\b([A-Z][A-Z0-9_]{2,})\s+(?:is\s+)?(?:not\s+set|must\s+be\s+set|is\s+required)\b/,
  /KeyError:\s*['"]([A-Z][A-Z0-9_]*)['"]/,
];

/** The env var the app says it cannot run without. */
export function missingEnvVar(lines: string[]): Fact<string> | undefined {
  for (const line of lines) {
    for (const pattern of MISSING_ENV) {
      const name = pattern.exec(line)?.[1];
      if (name) return { value: name, line };
    }
  }
  return undefined;
}

const ACCESS = /\b(?:GET|HEAD)\s+(\/[\w./~%-]*)(?:\?\S*)?(?:\s+HTTP\/[\d.]+)?"?\s+(?:status=)?(\d{3})\b/;
const ROUTES = /\b(?:routes?|paths|endpoints|handlers?|serving)\b/i;
const PATH_TOKEN = /(?:^|[\s,;=:"'([])(\/[\w./~%-]*)/g;

/** Paths the app answers with 2xx (access logs) or announces (a routes/paths banner). */
export function servedPaths(lines: string[]): { paths: Fact<string>[]; notFound: Fact<string>[] } {
  const paths = new Map<string, Fact<string>>();
  const notFound = new Map<string, Fact<string>>();
  for (const line of lines) {
    const access = ACCESS.exec(line);
    if (access?.[1] && access[2]) {
      if (access[2].startsWith('2')) paths.set(access[1], paths.get(access[1]) ?? { value: access[1], line });
      else if (access[2] === '404') notFound.set(access[1], { value: access[1], line });
      continue;
    }
    if (!ROUTES.test(line)) continue;
    for (const match of line.matchAll(PATH_TOKEN)) {
      const path = match[1];
      if (path && !paths.has(path)) paths.set(path, { value: path, line });
    }
  }
  for (const path of notFound.keys()) paths.delete(path);
  return { paths: [...paths.values()], notFound: [...notFound.values()] };
}

// "listening on :8080", "addr=:8080", "Listening on http://0.0.0.0:8080", "server started on port 8080".
const LISTENING = [/\blisten(?:s|ing)?\b.*?:(\d{2,5})\b/i, /\b(?:listen(?:s|ing)?|serv(?:es|ing)|started)\b.*?\bport\s*[=:]?\s*(\d{2,5})\b/i];

/** The ports the app says it listens on. */
export function listeningPorts(lines: string[]): Fact<number>[] {
  const found = new Map<number, Fact<number>>();
  for (const line of lines) {
    const port = Number(LISTENING.map((pattern) => pattern.exec(line)?.[1]).find(Boolean));
    if (Number.isInteger(port) && port > 0 && port < 65536 && !found.has(port)) found.set(port, { value: port, line });
  }
  return [...found.values()];
}

const STARTING = /\b(?:starting|warming|warm-?up|loading|initiali[sz]ing|migrat\w*|bootstrapp\w*|compiling|building|waiting for|start-?up)\b/i;
const DURATION = /(\d+(?:\.\d+)?)\s*(ms|s|sec|secs|seconds?|m|mins?|minutes?)\b/i;

/**
 * Whether the previous instance was still starting when it died: it printed start-up
 * work and never said it was listening. Its announced start-up time, if any, comes along.
 */
export function stillStarting(lines: string[]): Fact<number | undefined> | undefined {
  if (listeningPorts(lines).length > 0 || lines.some((l) => /\b(?:ready to serve|server started|started server|ready for connections)\b/i.test(l))) return undefined;
  const starting = lines.filter((line) => STARTING.test(line));
  if (starting.length === 0) return undefined;
  let seconds: number | undefined;
  let quoted = starting[starting.length - 1] ?? '';
  for (const line of starting) {
    const d = parseDuration(DURATION.exec(line));
    if (d !== undefined && (seconds === undefined || d > seconds)) {
      seconds = d;
      quoted = line;
    }
  }
  return { value: seconds, line: quoted };
}

function parseDuration(m: RegExpExecArray | null): number | undefined {
  if (!m?.[1] || !m[2]) return undefined;
  const n = Number(m[1]);
  const unit = m[2].toLowerCase();
  if (unit === 'ms') return n / 1000;
  if (unit.startsWith('m')) return n * 60;
  return n;
}

/**
 * The line that says why the app died: the first panic, fatal error or traceback (what
 * follows is its stack), else the last line that mentions an error.
 */
export function errorLine(lines: string[]): string | undefined {
  return lines.find((line) => /^(?:panic:|fatal|traceback)|\b(?:fatal|uncaught exception)\b|level=fatal/i.test(line))
    ?? [...lines].reverse().find((line) => /\b(?:panic|error|exception|segmentation)\b/i.test(line));
}
