// Pieces shared by the gopherguard.dev custom resources. Each schema here is written for
// two readers: zod (the operator parses what it reads) and the CRD generator (the API
// server validates what users write), so bounds live on the schema, not in the controller.
import { z } from 'zod';

export const GROUP = 'gopherguard.dev';
export const VERSION = 'v1alpha1';
export const API_VERSION = `${GROUP}/${VERSION}`;

/** A DNS-1123 subdomain: the names of Deployments, Secrets, Applications, ... */
export const ResourceName = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, 'must be a lower-case DNS name (letters, digits, "-" and ".")');

/** A DNS-1123 label: namespaces. */
export const NamespaceName = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a lower-case DNS label (letters, digits and "-")');

// The API server checks date-time itself; the converter drops zod's long regex for it.
export const DateTime = z.iso.datetime({ offset: true, error: 'must be an RFC 3339 date-time' });

/**
 * A URL with one of the given schemes. zod checks the scheme after parsing; the pattern
 * is only for the CRD, where `format: uri` alone would let any scheme through.
 */
export function urlWith(schemes: 'https' | 'http(s)', max = 2048) {
  const protocol = schemes === 'https' ? /^https$/ : /^https?$/;
  const error = schemes === 'https' ? 'must be an https:// URL' : 'must be an http:// or https:// URL';
  return z.url({ protocol, error }).max(max).meta({ pattern: schemes === 'https' ? '^https://' : '^https?://' });
}

const LOOPBACK_HTTP = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:[0-9]+)?(\/|$)/;

/**
 * https, or plain http to this machine only (a forge beside the operator in development,
 * the sandbox's Gitea): a token never crosses a network in clear text.
 */
export function httpsOrLoopbackUrl(max = 2048) {
  return z
    .url({ protocol: /^https?$/, error: 'must be an https:// URL (or http:// to 127.0.0.1 or localhost)' })
    .max(max)
    .refine((url) => url.startsWith('https://') || LOOPBACK_HTTP.test(url), 'must be an https:// URL (or http:// to 127.0.0.1 or localhost)')
    .meta({ pattern: `^(https://|${LOOPBACK_HTTP.source.slice(1)})` });
}

/** Where a credential lives: a key of a Secret in the resource's own namespace. */
export function secretKeyRef(defaultKey: string) {
  return z.object({
    name: ResourceName,
    key: z.string().min(1).max(253).regex(/^[-._a-zA-Z0-9]+$/, 'must be a Secret key (letters, digits, "-", "_" and ".")').default(defaultKey),
  });
}
export type SecretKeyRef = z.output<ReturnType<typeof secretKeyRef>>;

export const LabelSelectorRequirement = z.object({
  key: z.string().min(1).max(317),
  operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
  values: z.array(z.string().max(63)).max(100).optional(),
});

/** metav1.LabelSelector; atomic like upstream, so a server-side apply replaces it whole. */
export const LabelSelector = z
  .object({
    matchLabels: z.record(z.string().min(1).max(317), z.string().max(63)).optional(),
    matchExpressions: z.array(LabelSelectorRequirement).max(20).optional(),
  })
  .meta({ 'x-kubernetes-map-type': 'atomic' });
export type LabelSelector = z.output<typeof LabelSelector>;

/** metav1.Condition, with the same bounds the upstream type declares. */
export const Condition = z.object({
  type: z
    .string()
    .min(1)
    .max(316)
    .regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$/),
  status: z.enum(['True', 'False', 'Unknown']),
  observedGeneration: z.int().min(0).optional(),
  lastTransitionTime: DateTime,
  reason: z
    .string()
    .min(1)
    .max(1024)
    .regex(/^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/),
  message: z.string().max(32768),
});
export type Condition = z.output<typeof Condition>;

// A list map keyed by type lets server-side apply merge one condition at a time.
export const Conditions = z
  .array(Condition)
  .max(20)
  .meta({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'] });

/** A rule across fields, which zod and the API server (as CEL) both enforce with one message. */
export interface CrossFieldRule<T> {
  cel: string;
  message: string;
  holds: (value: T) => boolean;
}

export function withRule<S extends z.ZodObject>(schema: S, rule: CrossFieldRule<z.output<S>>): S {
  const rules = (schema.meta()?.['x-kubernetes-validations'] as unknown[] | undefined) ?? [];
  const checked = schema.refine((value) => rule.holds(value), { message: rule.message });
  return checked.meta({ ...checked.meta(), 'x-kubernetes-validations': [...rules, { rule: rule.cel, message: rule.message }] });
}

/** Exactly one (or, with `atLeast`, one or more) of the optional fields must be given. */
export function oneOfFields<S extends z.ZodObject>(schema: S, fields: string[], message: string, atLeast = false): S {
  const count = fields.map((f) => `(has(self.${f}) ? 1 : 0)`).join(' + ');
  return withRule(schema, {
    cel: atLeast ? fields.map((f) => `has(self.${f})`).join(' || ') : `${count} == 1`,
    message,
    holds: (value) => {
      const given = fields.filter((f) => (value as Record<string, unknown>)[f] !== undefined).length;
      return atLeast ? given >= 1 : given === 1;
    },
  });
}

export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  jsonPath: string;
  description?: string;
  priority?: number;
}

/** What the CRD generator and the parse helpers need to know about one kind. */
export interface ResourceDefinition<Spec extends z.ZodType = z.ZodType, Status extends z.ZodType = z.ZodType> {
  kind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  description: string;
  spec: Spec;
  status: Status;
  /** CEL rules on the whole spec that zod cannot check, such as immutability. */
  specRules?: Array<{ rule: string; message: string }>;
  printerColumns: PrinterColumn[];
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; problems: string[] };

/** zod issues as sentences that name the field the way kubectl users write it. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], prefix: string): string[] {
  const problems = issues.map((issue) => {
    const path = issue.path.reduce<string>((at, key) => (typeof key === 'number' ? `${at}[${key}]` : `${at}.${String(key)}`), prefix);
    return `${path}: ${issue.message}`;
  });
  return [...new Set(problems)];
}
