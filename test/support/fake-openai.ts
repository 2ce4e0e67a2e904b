// A loopback stand-in for an OpenAI-style LLM endpoint: real HTTP on 127.0.0.1, the real
// wire format of Chat Completions (OpenAI, Groq, Ollama, vLLM, …) and of Responses (xAI),
// answering from a script. It checks requests the way the real APIs do (a JSON-schema
// response_format must be well formed, and strict schemas must be strict) and records
// every one, so tests can assert both what was sent and how often.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

export interface RecordedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body (undefined when it did not parse). */
  body: Record<string, unknown> | undefined;
  /** All text the model was given, in order: system, user and assistant messages. */
  promptText: string;
  /** Message by message: [role, text]. */
  messages: Array<[role: string, text: string]>;
  /** `json_schema`, `json_object`, or undefined. */
  responseFormat: string | undefined;
  /** performance.now() when the request arrived. */
  at: number;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
}

/** One scripted reply. `delayMs` holds it back (past a client's timeout, say). */
export type Reply =
  | { kind: 'answer'; content: string | object; usage?: Usage; delayMs?: number }
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: unknown; delayMs?: number }
  | { kind: 'raw'; body: string | Uint8Array; status?: number; contentType?: string; delayMs?: number }
  | { kind: 'reset'; delayMs?: number };

export type Responder = (request: RecordedRequest) => Reply;

export const answer = (content: string | object, usage?: Usage): Reply => ({ kind: 'answer', content, ...(usage ? { usage } : {}) });
export const status = (code: number, headers?: Record<string, string>, body?: unknown): Reply => ({ kind: 'status', status: code, ...(headers ? { headers } : {}), ...(body !== undefined ? { body } : {}) });
export const raw = (body: string | Uint8Array, code = 200): Reply => ({ kind: 'raw', body, status: code });
export const reset = (): Reply => ({ kind: 'reset' });
export const delayed = (delayMs: number, reply: Reply): Reply => ({ ...reply, delayMs });

export interface FakeOpenAI {
  /** e.g. http://127.0.0.1:41234/v1 */
  baseURL: string;
  requests: RecordedRequest[];
  /** Replies for the next requests, in order; a function decides from the request. */
  enqueue(...replies: Array<Reply | Responder>): void;
  /** What answers when the queue is empty; by default a 500 saying so. */
  otherwise: Responder;
  /** Forgets the queue, the recorded requests and any `otherwise`: a clean slate per test. */
  clear(): void;
  close(): Promise<void>;
}

const error = (message: string, type = 'invalid_request_error') => ({ error: { message, type, param: null, code: null } });

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part) => (part && typeof part === 'object' && 'text' in part ? String(part.text) : '')).join('');
  return '';
}

/** OpenAI's strict mode: every object closed, every property required. */
export function strictSchemaProblems(schema: unknown, at = '$'): string[] {
  if (!schema || typeof schema !== 'object') return [];
  const node = schema as Record<string, unknown>;
  const problems: string[] = [];
  if (node.type === 'object' || node.properties) {
    const keys = Object.keys((node.properties as object | undefined) ?? {});
    if (node.additionalProperties !== false) problems.push(`${at}: additionalProperties must be false`);
    const required = new Set((node.required as string[] | undefined) ?? []);
    for (const key of keys) if (!required.has(key)) problems.push(`${at}.${key}: must be required`);
  }
  if ('oneOf' in node) problems.push(`${at}: oneOf is not permitted`);
  for (const [key, value] of Object.entries(node)) {
    if (key === 'properties' && value && typeof value === 'object') {
      for (const [name, sub] of Object.entries(value)) problems.push(...strictSchemaProblems(sub, `${at}.${name}`));
    } else if (Array.isArray(value)) value.forEach((sub, i) => problems.push(...strictSchemaProblems(sub, `${at}.${key}[${i}]`)));
    else if (value && typeof value === 'object') problems.push(...strictSchemaProblems(value, `${at}.${key}`));
  }
  return problems;
}

/** The request as the real API would judge it: an error message, or undefined if acceptable. */
function reject(path: string, body: Record<string, unknown> | undefined): string | undefined {
  if (!body) return 'We could not parse the JSON body of your request.';
  if (typeof body.model !== 'string' || !body.model) return "you must provide a model parameter";
  if (body.stream === true) return 'streaming is not supported by this fake';
  let format: Record<string, unknown> | undefined;
  if (path.endsWith('/chat/completions')) {
    if (!Array.isArray(body.messages) || body.messages.length === 0) return "'messages' must be a non-empty array";
    for (const m of body.messages as Array<Record<string, unknown>>) if (typeof m?.role !== 'string') return "each message needs a 'role'";
    const rf = body.response_format as Record<string, unknown> | undefined;
    if (rf?.type === 'json_schema') format = rf.json_schema as Record<string, unknown> | undefined;
    else if (rf && rf.type !== 'json_object' && rf.type !== 'text') return `Invalid value for 'response_format.type': ${String(rf.type)}`;
    if (rf?.type === 'json_schema' && !format) return "Missing required parameter: 'response_format.json_schema'";
  } else {
    if (!Array.isArray(body.input) && typeof body.input !== 'string') return "'input' must be a string or an array";
    const f = (body.text as Record<string, unknown> | undefined)?.format as Record<string, unknown> | undefined;
    if (f?.type === 'json_schema') format = f;
  }
  if (format) {
    if (typeof format.name !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(format.name)) return "Invalid 'json_schema.name'";
    if (!format.schema || typeof format.schema !== 'object') return "Missing required parameter: 'json_schema.schema'";
    if (format.strict === true) {
      const problems = strictSchemaProblems(format.schema);
      if (problems.length) return `Invalid schema for response_format '${format.name}': ${problems.slice(0, 3).join('; ')}`;
    }
  }
  return undefined;
}

function record(path: string, headers: IncomingHttpHeaders, text: string): RecordedRequest {
  let body: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    body = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    body = undefined;
  }
  const items = (Array.isArray(body?.messages) ? body.messages : Array.isArray(body?.input) ? body.input : []) as Array<Record<string, unknown>>;
  const messages: Array<[string, string]> = [];
  if (typeof body?.instructions === 'string') messages.push(['system', body.instructions]);
  if (typeof body?.input === 'string') messages.push(['user', body.input]);
  for (const item of items) messages.push([String(item.role ?? item.type ?? ''), textOf(item.content)]);
  const rf = (body?.response_format ?? (body?.text as Record<string, unknown> | undefined)?.format) as { type?: string } | undefined;
  return { path, headers, body, messages, promptText: messages.map(([, t]) => t).join('\n'), responseFormat: rf?.type, at: performance.now() };
}

function reply(path: string, model: string, content: string, usage: Usage) {
  const id = Math.random().toString(36).slice(2, 10);
  const created = Math.floor(Date.now() / 1000);
  if (path.endsWith('/responses')) {
    return {
      id: `resp_${id}`, object: 'response', created_at: created, model, status: 'completed',
      output: [{ type: 'message', id: `msg_${id}`, status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: content, annotations: [] }] }],
      usage: { input_tokens: usage.prompt_tokens, output_tokens: usage.completion_tokens, total_tokens: usage.prompt_tokens + usage.completion_tokens },
    };
  }
  return {
    id: `chatcmpl-${id}`, object: 'chat.completion', created, model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop', logprobs: null }],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  };
}

function send(res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(code, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  const queue: Array<Reply | Responder> = [];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const unscripted: Responder = () => status(500, {}, error('no scripted reply left in the fake', 'server_error'));
  const fake: FakeOpenAI = {
    baseURL: '',
    requests,
    enqueue: (...replies) => void queue.push(...replies),
    otherwise: unscripted,
    clear: () => {
      queue.length = 0;
      requests.length = 0;
      fake.otherwise = unscripted;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      if (req.method !== 'POST' || !/^\/v1\/(chat\/completions|responses)$/.test(path)) return send(res, 404, error(`unknown route ${req.method} ${path}`));
      const request = record(path, req.headers, Buffer.concat(chunks).toString('utf8'));
      requests.push(request);
      const problem = reject(path, request.body);
      if (problem) return send(res, 400, error(problem));
      const next = queue.shift() ?? fake.otherwise;
      const scripted = typeof next === 'function' ? next(request) : next;
      const respond = () => {
        if (res.destroyed || req.socket.destroyed) return; // the client gave up (its timeout)
        switch (scripted.kind) {
          case 'answer': {
            const content = typeof scripted.content === 'string' ? scripted.content : JSON.stringify(scripted.content);
            const usage = scripted.usage ?? { prompt_tokens: Math.ceil(request.promptText.length / 4), completion_tokens: Math.ceil(content.length / 4) };
            return send(res, 200, reply(path, String(request.body?.model), content, usage));
          }
          case 'status':
            return send(res, scripted.status, scripted.body ?? error(`scripted ${scripted.status}`, scripted.status >= 500 ? 'server_error' : 'invalid_request_error'), scripted.headers);
          case 'raw':
            res.writeHead(scripted.status ?? 200, { 'content-type': scripted.contentType ?? 'application/json' });
            return void res.end(scripted.body);
          case 'reset':
            return void req.socket.destroy();
        }
      };
      if (!scripted.delayMs) return respond();
      const timer = setTimeout(() => {
        timers.delete(timer);
        respond();
      }, scripted.delayMs);
      timers.add(timer);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return fake;
}
