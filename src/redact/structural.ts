import type { RedactionResult } from './redactor.ts';

/** What structural redaction needs of a text redactor. */
export interface TextRedactor {
  redactText(text: string): RedactionResult;
}

export interface ObjectRedaction<T> {
  /** A redacted deep copy; the input is not changed (it may be an informer's cached object). */
  object: T;
  count: number;
  rules: string[];
}

/**
 * Env names whose values are secrets whatever they look like: a password is often short
 * and plain (`hunter2`), which no pattern finds. Substrings, so `DB_PASSWORD`, `APIKEY`,
 * `OAUTH_CLIENT_SECRET` and `PGPASS` match; the price is redacting harmless values such as
 * `CERT_PATH` or `AUTHOR`, which is the safe side to err on.
 */
export const SECRET_ENV_NAME = /PASS|PWD|TOKEN|SECRET|KEY|CRED|AUTH|PRIVATE|CERT|DSN|CONN|SALT|SESSION|COOKIE|SIGNATURE|JWT/i;

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const SECRET_KINDS = new Set(['Secret', 'SecretList']);

/**
 * Redacts a Kubernetes object (or list, or any JSON value holding them) before it is
 * serialized: Secret objects are replaced by a marker that keeps only their name, so their
 * data never leaves; managedFields and the last-applied annotation (which repeats the
 * whole manifest, and holds a Secret's data when one was applied with kubectl) are
 * dropped; in pod specs and templates, env values with secret-looking names are replaced,
 * and so are ConfigMap data values with secret-looking keys; every other string goes
 * through the text redactor. `valueFrom` references (a Secret's
 * name and key) are kept: they name a secret, they are not one, and "secret not found"
 * is a failure worth diagnosing.
 */
export function redactObject<T>(object: T, redactor: TextRedactor): ObjectRedaction<T> {
  const tally = { count: 0, rules: new Set<string>() };
  const note = (count: number, rules: Iterable<string>) => {
    tally.count += count;
    for (const r of rules) tally.rules.add(r);
  };
  const text = (value: string) => {
    const result = redactor.redactText(value);
    if (result.count > 0) note(result.count, result.rules);
    return result.text;
  };
  const walk = (value: unknown, key?: string): unknown => {
    if (typeof value === 'string') return text(value);
    if (Array.isArray(value)) return value.map((v) => walk(v));
    if (value === null || typeof value !== 'object') return value;
    const record = value as Record<string, unknown>;
    if (isSecretObject(record)) {
      note(1, ['kubernetes-secret-object']);
      return secretMarker(record);
    }
    if (key === 'metadata') return metadata(record, walk, note);
    if (record.kind === 'ConfigMap') return configMap(record, walk, note);
    if (Array.isArray(record.containers) || Array.isArray(record.initContainers) || Array.isArray(record.ephemeralContainers)) {
      return podSpec(record, walk, note);
    }
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, walk(v, k)]));
  };
  const redacted = walk(object) as T;
  return { object: redacted, count: tally.count, rules: [...tally.rules].sort() };
}

type Walk = (value: unknown, key?: string) => unknown;
type Note = (count: number, rules: Iterable<string>) => void;

// A Secret manifest or API object, not a reference such as Flux's `valuesFrom: [{kind: Secret, name}]`.
function isSecretObject(record: Record<string, unknown>): boolean {
  if (typeof record.kind !== 'string' || !SECRET_KINDS.has(record.kind)) return false;
  return typeof record.apiVersion === 'string' || 'data' in record || 'stringData' in record || 'items' in record;
}

function secretMarker(secret: Record<string, unknown>): Record<string, unknown> {
  const meta = (secret.metadata ?? {}) as Record<string, unknown>;
  return {
    apiVersion: secret.apiVersion,
    kind: secret.kind,
    metadata: { ...(meta.name !== undefined ? { name: meta.name } : {}), ...(meta.namespace !== undefined ? { namespace: meta.namespace } : {}) },
    redacted: 'Secret objects are never passed on',
  };
}

// Passwords end up in ConfigMaps too (`db.password: hunter2`); a value seen alone has no
// context, so a secret-looking key is treated like a secret-looking env name.
function configMap(cm: Record<string, unknown>, walk: Walk, note: Note): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(cm)) {
    if ((k === 'data' || k === 'binaryData') && v && typeof v === 'object') {
      out[k] = Object.fromEntries(Object.entries(v).map(([name, value]) => {
        if (typeof value !== 'string' || value === '' || !SECRET_ENV_NAME.test(name)) return [name, walk(value)];
        note(1, ['secret-config-key']);
        return [name, '[REDACTED:secret-config-key]'];
      }));
    } else {
      out[k] = walk(v, k);
    }
  }
  return out;
}

function metadata(meta: Record<string, unknown>, walk: Walk, note: Note): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(meta)) {
    if (k === 'managedFields') continue; // bookkeeping, 2-4 KB per object, and it lists field names only
    if (k === 'annotations' && v && typeof v === 'object') {
      const annotations: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(v)) {
        if (name === LAST_APPLIED) {
          note(1, ['last-applied-configuration']);
          continue;
        }
        annotations[name] = walk(value);
      }
      out[k] = annotations;
      continue;
    }
    out[k] = walk(v, k);
  }
  return out;
}

function podSpec(spec: Record<string, unknown>, walk: Walk, note: Note): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(spec)) {
    if ((k === 'containers' || k === 'initContainers' || k === 'ephemeralContainers') && Array.isArray(v)) {
      out[k] = v.map((c) => container(c, walk, note));
    } else {
      out[k] = walk(v, k);
    }
  }
  return out;
}

function container(value: unknown, walk: Walk, note: Note): unknown {
  if (value === null || typeof value !== 'object' || !Array.isArray((value as Record<string, unknown>).env)) return walk(value);
  const { env, ...rest } = value as Record<string, unknown> & { env: unknown[] };
  const redactedEnv = env.map((entry) => {
    const e = entry as Record<string, unknown> | null;
    if (e && typeof e.name === 'string' && typeof e.value === 'string' && e.value !== '' && SECRET_ENV_NAME.test(e.name)) {
      note(1, ['secret-env-name']);
      const { value: _value, ...others } = e;
      return { ...(walk(others) as Record<string, unknown>), value: '[REDACTED:secret-env-name]' };
    }
    return walk(entry);
  });
  return { ...(walk(rest) as Record<string, unknown>), env: redactedEnv };
}
