// The strict core of the forge fakes (fake-github.ts, fake-gitlab.ts): a real HTTP server
// on 127.0.0.1 that answers from a script, in order. Like Renovate's nock wrapper, any
// call that is not the next expected one fails the test (answered 599, which no client
// retries), and assertDone() fails on expected calls that never came.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

export interface RecordedCall {
  method: string;
  /** Decoded or raw (percent-encoded) path, as the server was told to compare. */
  path: string;
  rawPath: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Parsed JSON, or the text when it is not JSON; undefined without a body. */
  body: unknown;
  /** performance.now() at arrival, to assert waits. */
  at: number;
  /** Date.now() at arrival, to compare with a rate-limit reset given in Unix seconds. */
  wallAt: number;
}

export type FakeReply =
  /** `delayMs` holds the answer back (past a client's timeout, say). */
  | { status: number; body?: unknown; headers?: Record<string, string>; delayMs?: number }
  /** Reads the request, then resets the TCP connection: the client gets no answer. */
  | { reset: true };

export interface Expectation {
  method: string;
  path: string;
  /** Each listed parameter must be present with this value; others are allowed. */
  query?: Record<string, string>;
  /** A subset the JSON body must contain (arrays compared element by element, same length). */
  body?: unknown;
  reply: FakeReply;
}

export interface ScriptedServerOptions {
  name: string;
  /** GitLab wants percent-encoded project and file paths, so its fake compares raw paths. */
  pathMode: 'decoded' | 'raw';
  /** The exact Authorization-style header every call must carry. */
  auth: { header: string; value: string };
}

export interface ScriptedServer {
  /** http://127.0.0.1:PORT */
  url: string;
  calls: RecordedCall[];
  /** Appends to the script. */
  expect(...expectations: Expectation[]): void;
  /** Throws if any call was unexpected or any expected call was not made. */
  assertDone(): void;
  close(): Promise<void>;
}

export async function startScriptedServer(options: ScriptedServerOptions): Promise<ScriptedServer> {
  const script: Expectation[] = [];
  const calls: RecordedCall[] = [];
  const failures: string[] = [];
  const sockets = new Set<Socket>();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      if (text) {
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
      }
      const call: RecordedCall = {
        method: req.method ?? 'GET',
        rawPath: url.pathname,
        path: options.pathMode === 'raw' ? url.pathname : decodeURIComponent(url.pathname),
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        body,
        at: performance.now(),
        wallAt: Date.now(),
      };
      calls.push(call);
      const describe = `${call.method} ${call.path}${url.search}`;
      const next = script.shift();
      const problem = next ? mismatch(next, call, options) : 'no call was expected';
      if (problem || !next) {
        failures.push(`${options.name}: unexpected call #${calls.length} ${describe}: ${problem}`);
        res.writeHead(599, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: `${options.name}: unexpected call ${describe}: ${problem}` }));
        return;
      }
      const reply = next.reply;
      if ('reset' in reply) {
        req.socket.resetAndDestroy();
        return;
      }
      const payload = reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
      const answer = () => {
        if (res.destroyed) return;
        res.writeHead(reply.status, { ...(payload ? { 'content-type': 'application/json; charset=utf-8' } : {}), ...reply.headers });
        res.end(payload);
      };
      if (reply.delayMs) setTimeout(answer, reply.delayMs).unref();
      else answer();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    expect: (...expectations) => void script.push(...expectations),
    assertDone() {
      const problems = [...failures, ...script.map((e) => `${options.name}: expected call never made: ${e.method} ${e.path}`)];
      if (problems.length) throw new Error(problems.join('\n'));
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function mismatch(expected: Expectation, call: RecordedCall, options: ScriptedServerOptions): string | undefined {
  const wanted = `expected ${expected.method} ${expected.path}`;
  if (call.method !== expected.method || call.path !== expected.path) return wanted;
  const auth = call.headers[options.auth.header.toLowerCase()];
  if (auth !== options.auth.value) return `${wanted}: wrong or missing ${options.auth.header} header`;
  for (const [key, value] of Object.entries(expected.query ?? {})) {
    if (call.query[key] !== value) return `${wanted}: query ${key}=${JSON.stringify(call.query[key])}, expected ${JSON.stringify(value)}`;
  }
  if (expected.body !== undefined) {
    const problem = subsetProblem(expected.body, call.body, 'body');
    if (problem) return `${wanted}: ${problem}`;
  }
  return undefined;
}

/** Where `actual` fails to contain `expected`, or undefined. */
export function subsetProblem(expected: unknown, actual: unknown, at: string): string | undefined {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return `${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
    for (let i = 0; i < expected.length; i++) {
      const problem = subsetProblem(expected[i], actual[i], `${at}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  }
  if (expected && typeof expected === 'object') {
    if (!actual || typeof actual !== 'object') return `${at}: expected an object, got ${JSON.stringify(actual)}`;
    for (const [key, value] of Object.entries(expected)) {
      if (value === undefined) {
        if (key in actual) return `${at}.${key}: expected absent, got ${JSON.stringify((actual as Record<string, unknown>)[key])}`;
        continue;
      }
      const problem = subsetProblem(value, (actual as Record<string, unknown>)[key], `${at}.${key}`);
      if (problem) return problem;
    }
    return undefined;
  }
  return Object.is(expected, actual) ? undefined : `${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
}
