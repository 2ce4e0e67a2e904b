// A thin Kubernetes REST client for the operator's hot path: JSON in, JSON out, one
// keep-alive connection pool, list pages and watch streams. Objects stay plain JSON
// (timestamps are strings), which is what the cache keeps anyway. ADR 7 says why the
// operator does not use client-node's generated API classes: they cost 130 MB at import.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import type { ClusterAccess, ExecPlugin } from './kubeconfig.ts';

const run = promisify(execFile);
const maxRetryAfterAttempts = 10;
const maxRetryAfterSeconds = 10;

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Defaults to application/json; patches pass their own (merge-patch+json, ...). */
  contentType?: string;
  /** Defaults to application/json. */
  accept?: string;
  signal?: AbortSignal;
  /** Milliseconds until the request is abandoned (default 30 s). */
  timeoutMs?: number;
}

/** An HTTP error from the API server, with its Status reason (NotFound, Conflict, ...). */
export class KubeApiError extends Error {
  /** The HTTP status, named `code` as client-node's ApiException names it. */
  readonly code: number;
  readonly reason: string | undefined;
  /** Seconds the server asked us to wait before sending the same request again, if it did. */
  readonly retryAfterSeconds: number | undefined;
  constructor(code: number, reason: string | undefined, message: string, retryAfterSeconds?: number) {
    super(message);
    this.name = 'KubeApiError';
    this.code = code;
    this.reason = reason;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export interface WatchEvent<T> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: T;
}

export interface ListResult<T> {
  items: T[];
  metadata?: { resourceVersion?: string; continue?: string };
}

interface Credentials {
  token?: string;
  cert?: Buffer;
  key?: Buffer;
  /** When an exec plugin's credentials run out (ms since epoch). */
  expiresAt?: number;
}

export class KubeClient {
  readonly access: ClusterAccess;
  private readonly base: URL;
  private agent: http.Agent | undefined;
  private watchAgent: http.Agent | undefined;
  private execCredentials: Credentials | undefined;

  constructor(access: ClusterAccess) {
    this.access = access;
    this.base = new URL(access.server);
  }

  /** The namespace the kubeconfig's context or the pod's service account names. */
  get namespace(): string | undefined {
    return this.access.namespace;
  }

  async get<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.json<T>('GET', path, options);
  }

  async create<T>(path: string, body: unknown, options: RequestOptions = {}): Promise<T> {
    return this.json<T>('POST', path, { ...options, body });
  }

  async replace<T>(path: string, body: unknown, options: RequestOptions = {}): Promise<T> {
    return this.json<T>('PUT', path, { ...options, body });
  }

  async mergePatch<T>(path: string, body: unknown, options: RequestOptions = {}): Promise<T> {
    return this.json<T>('PATCH', path, { ...options, body, contentType: 'application/merge-patch+json' });
  }

  async delete<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.json<T>('DELETE', path, options);
  }

  /** A plain-text GET, such as a container's log. */
  async text(path: string, options: RequestOptions = {}): Promise<string> {
    const response = await this.send('GET', path, { ...options, accept: options.accept ?? '*/*' });
    return readText(response);
  }

  async json<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.send(method, path, options);
    const body = await readText(response);
    return (body.length ? JSON.parse(body) : {}) as T;
  }

  /**
   * Streams a watch: calls onEvent for each event, resolves when the server ends the
   * stream (its timeoutSeconds), rejects on a transport error or an HTTP error status.
   * Abort through the signal; an aborted watch resolves.
   */
  async watch<T>(path: string, query: Query, onEvent: (event: WatchEvent<T>) => void, signal?: AbortSignal): Promise<void> {
    let response: http.IncomingMessage;
    try {
      response = await this.send('GET', path, { query: { ...query, watch: true }, signal, timeoutMs: 0 });
    } catch (error) {
      if (signal?.aborted) return;
      throw error;
    }
    const lines = createInterface({ input: response, crlfDelay: Infinity });
    try {
      for await (const line of lines) {
        if (!line) continue;
        onEvent(JSON.parse(line) as WatchEvent<T>);
      }
    } catch (error) {
      if (signal?.aborted) return;
      throw error;
    } finally {
      lines.close();
      response.destroy();
    }
  }

  /** Closes pooled connections (tests, shutdown). */
  close(): void {
    this.agent?.destroy();
    this.watchAgent?.destroy();
    this.agent = undefined;
    this.watchAgent = undefined;
  }

  /**
   * Sends a request, and sends it again when the API server says it did not take it and
   * when to come back: 429 (priority and fairness, or "storage is (re)initializing" just
   * after a restart) or a 5xx with Retry-After. client-go does the same, ten times at most.
   */
  private async send(method: string, path: string, options: RequestOptions): Promise<http.IncomingMessage> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.sendOnce(method, path, options);
      } catch (error) {
        const waitSeconds = error instanceof KubeApiError ? error.retryAfterSeconds : undefined;
        if (waitSeconds === undefined || attempt >= maxRetryAfterAttempts || options.signal?.aborted) throw error;
        await sleep(Math.min(waitSeconds, maxRetryAfterSeconds) * 1000, options.signal);
      }
    }
  }

  private async sendOnce(method: string, path: string, options: RequestOptions): Promise<http.IncomingMessage> {
    const url = new URL(this.base.pathname.replace(/\/$/, '') + path, this.base);
    for (const [name, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined && value !== '') url.searchParams.set(name, String(value));
    }
    const credentials = await this.credentials();
    const headers: http.OutgoingHttpHeaders = { accept: options.accept ?? 'application/json', 'user-agent': 'gopherguard' };
    if (credentials.token) headers.authorization = `Bearer ${credentials.token}`;
    let payload: Buffer | undefined;
    if (options.body !== undefined) {
      payload = Buffer.from(JSON.stringify(options.body));
      headers['content-type'] = options.contentType ?? 'application/json';
      headers['content-length'] = payload.length;
    }
    const secure = url.protocol === 'https:';
    const request = (secure ? https : http).request(url, {
      method,
      headers,
      agent: this.agentFor(secure, credentials, options.query?.watch === true),
      signal: options.signal,
      timeout: options.timeoutMs ?? 30_000,
    });
    return new Promise((resolveResponse, reject) => {
      request.once('timeout', () => request.destroy(Object.assign(new Error(`${method} ${path}: no answer in ${options.timeoutMs ?? 30_000} ms`), { name: 'TimeoutError' })));
      request.once('error', reject);
      request.once('response', (response) => {
        const status = response.statusCode ?? 0;
        if (status < 400) {
          resolveResponse(response);
          return;
        }
        void readText(response).then((body) => reject(apiError(method, path, status, body, response.headers['retry-after'])), reject);
      });
      request.end(payload);
    });
  }

  /**
   * Requests share a pool of 16 sockets; each watch holds a socket for minutes, so
   * watches get their own unbounded pool. In one pool, a dozen informers' watches took
   * every socket and left lists and status writes queued behind them for good.
   */
  private agentFor(secure: boolean, credentials: Credentials, forWatch: boolean): http.Agent {
    const existing = forWatch ? this.watchAgent : this.agent;
    if (existing) return existing;
    const common = { keepAlive: true, maxSockets: forWatch ? Infinity : 16, scheduling: 'lifo' as const };
    const agent = secure
      ? new https.Agent({
        ...common,
        ca: this.access.ca,
        cert: credentials.cert ?? this.access.cert,
        key: credentials.key ?? this.access.key,
        rejectUnauthorized: !this.access.insecureSkipTlsVerify,
      })
      : new http.Agent(common);
    if (forWatch) this.watchAgent = agent;
    else this.agent = agent;
    return agent;
  }

  private async credentials(): Promise<Credentials> {
    const { token, tokenFile, exec } = this.access;
    if (exec) {
      const cached = this.execCredentials;
      if (cached && (cached.expiresAt === undefined || cached.expiresAt - Date.now() > 60_000)) return cached;
      const fresh = await runExecPlugin(exec);
      // New client certificates need a new TLS pool.
      if (fresh.cert && cached?.cert && !fresh.cert.equals(cached.cert)) this.close();
      this.execCredentials = fresh;
      return fresh;
    }
    if (tokenFile) return { token: (await readFile(tokenFile, 'utf8')).trim() };
    return { token };
  }
}

/** Runs a client.authentication.k8s.io exec plugin and reads its ExecCredential. */
async function runExecPlugin(plugin: ExecPlugin): Promise<Credentials> {
  let stdout: string;
  try {
    ({ stdout } = await run(plugin.command, plugin.args, { cwd: plugin.cwd, env: { ...process.env, ...plugin.env }, timeout: 60_000 }));
  } catch (error) {
    throw new Error(`the kubeconfig's exec credential plugin ${plugin.command} failed: ${(error as Error).message}`, { cause: error });
  }
  const status = (JSON.parse(stdout) as { status?: Record<string, string | undefined> }).status ?? {};
  return {
    token: status.token,
    cert: status.clientCertificateData ? Buffer.from(status.clientCertificateData) : undefined,
    key: status.clientKeyData ? Buffer.from(status.clientKeyData) : undefined,
    expiresAt: status.expirationTimestamp ? Date.parse(status.expirationTimestamp) : undefined,
  };
}

function apiError(method: string, path: string, status: number, body: string, retryAfter: string | undefined): KubeApiError {
  let reason: string | undefined;
  let message = body.slice(0, 1024);
  try {
    const parsed = JSON.parse(message) as { reason?: string; message?: string };
    reason = parsed.reason;
    message = parsed.message ?? message;
  } catch {
    // Not a Status object (a proxy's page): keep the text.
  }
  // Retry-After counts only where client-go honours it: 429, or a 5xx that sets it.
  const seconds = retryAfter !== undefined && /^\d+$/.test(retryAfter) ? Number(retryAfter) : undefined;
  const retryAfterSeconds = status === 429 || status >= 500 ? seconds : undefined;
  return new KubeApiError(status, reason, `${method} ${path}: ${status}${reason ? ` ${reason}` : ''}: ${message}`, retryAfterSeconds);
}

/** Waits, or stops waiting early (without throwing) when the request is aborted. */
async function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  await new Promise<void>((done) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', () => { clearTimeout(timer); done(); }, { once: true });
  });
}

/**
 * The body as a string, decoded chunk by chunk. A list page is megabytes: kept as V8
 * strings it is garbage the GC reclaims and reuses, where one large Buffer.concat per page
 * left the C heap fragmented (RSS outside the JS heap 145 -> 111 MB at 10,000 pods in one
 * `npm run bench -- scale` run; the figure varies by about 25 MB between runs).
 */
async function readText(stream: http.IncomingMessage): Promise<string> {
  stream.setEncoding('utf8');
  let text = '';
  for await (const chunk of stream) text += chunk as string;
  return text;
}
