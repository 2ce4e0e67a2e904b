import type { ForgeKind } from './types.ts';

/**
 * `conflict`: the forge refused because something moved under us (a branch or file
 * changed, a branch or request appeared); re-reading and trying again usually succeeds.
 */
export type ForgeErrorCode =
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'invalid'
  | 'rate-limited'
  | 'server'
  | 'network'
  | 'bad-response'
  | 'unsupported';

export interface ForgeErrorInit {
  forge: ForgeKind;
  code: ForgeErrorCode;
  /** The HTTP status, or 0 when no answer came back. */
  status: number;
  retryable: boolean;
  /** What we were doing, in words: "create pull request on o/r". */
  operation: string;
  message: string;
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * Every failure of the forge layer. The message is for a person (what failed, what the
 * forge said, what to check); `retryable` and `retryAfterMs` are for the work queue, which
 * requeues the key instead of blocking a worker through a long rate-limit window.
 */
export class ForgeError extends Error {
  readonly forge: ForgeKind;
  readonly code: ForgeErrorCode;
  readonly status: number;
  readonly retryable: boolean;
  readonly operation: string;
  readonly retryAfterMs: number | undefined;

  constructor(init: ForgeErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'ForgeError';
    this.forge = init.forge;
    this.code = init.code;
    this.status = init.status;
    this.retryable = init.retryable;
    this.operation = init.operation;
    this.retryAfterMs = init.retryAfterMs;
  }
}

export function isForgeError(error: unknown, code?: ForgeErrorCode): error is ForgeError {
  return error instanceof ForgeError && (code === undefined || error.code === code);
}

/** Resolves to undefined when `work` fails with a 404, so lookups read as "absent". */
export async function absentOn404<T>(work: Promise<T>): Promise<T | undefined> {
  try {
    return await work;
  } catch (error) {
    if (isForgeError(error, 'not-found')) return undefined;
    throw error;
  }
}

/**
 * The same error as a `conflict` when the forge's words show a lost race (a branch or file
 * that appeared or moved) rather than bad input; forges answer those with 400, 409 or 422.
 */
export function conflictIf(error: unknown, statuses: readonly number[], said: RegExp): unknown {
  if (isForgeError(error) && statuses.includes(error.status) && said.test(error.message)) {
    return new ForgeError({ forge: error.forge, code: 'conflict', status: error.status, retryable: true, operation: error.operation, message: error.message, cause: error });
  }
  return error;
}

export const FORGE_LABELS: Record<ForgeKind, string> = { github: 'GitHub', gitlab: 'GitLab', gitea: 'Gitea' };

// Token shapes that must never be echoed even when we were not told the exact value
// (a proxy quoting a header back, say): GitHub PATs and App tokens, GitLab PATs.
const TOKEN_SHAPES = [/\bgh[pousr]_[A-Za-z0-9]{20,}\b/g, /\bgithub_pat_[A-Za-z0-9_]{20,}\b/g, /\bglpat-[A-Za-z0-9_-]{20,}\b/g];

/** Removes the given secrets, and anything shaped like a forge token, from `text`. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('[REDACTED]');
  for (const shape of TOKEN_SHAPES) out = out.replace(shape, '[REDACTED]');
  return out;
}

/**
 * The human part of an error body. GitHub: `{message, errors}`; GitLab: `{message}` where
 * message may be a string, a list, or field → messages; `{error, error_description}` for
 * auth; Gitea: `{message, url}`.
 */
export function serverMessage(body: unknown): string {
  if (typeof body === 'string') return body.trim().slice(0, 500);
  if (!body || typeof body !== 'object') return '';
  const record = body as Record<string, unknown>;
  const parts: string[] = [];
  const message = record.message;
  if (typeof message === 'string') parts.push(message);
  else if (Array.isArray(message)) parts.push(message.map(String).join('; '));
  else if (message && typeof message === 'object') {
    parts.push(Object.entries(message).map(([field, value]) => `${field} ${Array.isArray(value) ? value.join(', ') : String(value)}`).join('; '));
  }
  if (Array.isArray(record.errors)) {
    for (const item of record.errors) {
      if (typeof item === 'string') parts.push(item);
      else if (item && typeof item === 'object') {
        const detail = item as Record<string, unknown>;
        parts.push(typeof detail.message === 'string' ? detail.message : [detail.resource, detail.field, detail.code].filter(Boolean).join(' '));
      }
    }
  }
  if (typeof record.error_description === 'string') parts.push(record.error_description);
  else if (typeof record.error === 'string') parts.push(record.error);
  return parts.filter(Boolean).join(': ').slice(0, 500);
}

export interface HttpFailure {
  forge: ForgeKind;
  operation: string;
  status: number;
  /** What the forge said, already extracted with serverMessage. */
  said: string;
  rateLimited: boolean;
  retryAfterMs: number | undefined;
  secrets: readonly string[];
}

/** A ForgeError for an HTTP answer that was not a success, with a hint of what to do. */
export function errorFromStatus(failure: HttpFailure): ForgeError {
  const { forge, operation, status, said } = failure;
  const label = FORGE_LABELS[forge];
  let code: ForgeErrorCode;
  let hint: string;
  let retryable = false;
  if (failure.rateLimited) {
    code = 'rate-limited';
    retryable = true;
    hint = failure.retryAfterMs === undefined ? 'rate limited; try again later' : `rate limited; try again in ${Math.ceil(failure.retryAfterMs / 1000)} s`;
  } else if (status === 401) {
    code = 'unauthorized';
    hint = `${label} rejected the token: check that the Secret holds a valid, unexpired token for this host`;
  } else if (status === 403) {
    code = 'forbidden';
    hint = forbiddenHint(forge);
  } else if (status === 404) {
    code = 'not-found';
    hint = 'not found, or the token cannot see it';
  } else if (status === 409) {
    code = 'conflict';
    hint = 'it conflicts with the current state; it may succeed after a re-read';
  } else if (status >= 500) {
    code = 'server';
    retryable = status === 500 || status === 502 || status === 503 || status === 504;
    hint = `${label} had an internal error`;
  } else {
    code = 'invalid';
    hint = `${label} refused the request`;
  }
  const message = scrubSecrets(`${label}: ${operation} failed (HTTP ${status}): ${said || 'no message'}; ${hint}`, failure.secrets);
  return new ForgeError({ forge, code, status, retryable, operation, message, ...(failure.retryAfterMs === undefined ? {} : { retryAfterMs: failure.retryAfterMs }) });
}

function forbiddenHint(forge: ForgeKind): string {
  switch (forge) {
    case 'github':
      return 'the token lacks permission: it needs contents and pull requests (read and write) on this repository';
    case 'gitlab':
      return 'the token lacks permission: it needs the api scope and at least the Developer role on this project';
    case 'gitea':
      return 'the token lacks permission: it needs write:repository and write:issue scopes and write access to this repository';
  }
}

/** No answer at all: a reset, a refused connection, DNS, a timeout. */
export function networkError(forge: ForgeKind, operation: string, cause: unknown, secrets: readonly string[]): ForgeError {
  const detail = describeNetworkCause(cause);
  return new ForgeError({
    forge,
    code: 'network',
    status: 0,
    retryable: true,
    operation,
    message: scrubSecrets(`${FORGE_LABELS[forge]}: ${operation} failed: no answer (${detail}); check the API URL and the network path to the forge`, secrets),
    cause,
  });
}

function describeNetworkCause(cause: unknown): string {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  for (let current = cause; current instanceof Error && !seen.has(current) && parts.length < 3; current = current.cause) {
    seen.add(current);
    const code = (current as { code?: unknown }).code;
    parts.push(typeof code === 'string' ? `${current.message} [${code}]` : current.message);
  }
  return parts.join(': ') || String(cause);
}
