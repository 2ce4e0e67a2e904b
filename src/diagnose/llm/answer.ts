// What the model must answer, and the checks its answer passes before anything uses it.
// Two schemas for one contract: the JSON schema the provider constrains decoding with
// (the strictest subset every provider accepts) and the zod schema that decides, with
// every bound of the closed action set. The model's word is never trusted on its own.
import { jsonSchema, type JSONSchema7 } from 'ai';
import { z } from 'zod';
import { describeIssues } from '../../api/common.ts';
import { RemedyAction } from '../remedy-action.ts';

/** A field the action schema does not know is a reason to reject the answer, not to strip it. */
const strictOptions = RemedyAction.options.map((option) => option.strict()) as unknown as typeof RemedyAction.options;

/** The wire schema says null for "leave as it is"; the action schema says absent. */
function dropNulls(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null));
}

/**
 * revertField is the one action with a free path. The guard allow-lists paths per action;
 * this refuses the ones no diagnosis should ever touch, before they get that far.
 */
const SENSITIVE_PATH =
  /securityContext|privileged|capabilit|allowPrivilegeEscalation|runAs|host(Network|PID|IPC|Path|Port|Aliases)|serviceAccount|automountServiceAccountToken|command|image|namespace|nodeName|volumes|\.\.|^metadata|^kind|^apiVersion/i;

const StrictAction = z.preprocess(dropNulls, z.discriminatedUnion('type', strictOptions)).superRefine((action, ctx) => {
  if (action.type === 'revertField' && SENSITIVE_PATH.test(action.path)) {
    ctx.addIssue({ code: 'custom', path: ['path'], message: 'touches a field no diagnosis may change (security, command, image, namespace)' });
  }
});

const optionalText = (max: number) =>
  z
    .string()
    .max(max)
    .nullish()
    .transform((v) => v ?? '');

export const LlmAnswer = z.strictObject({
  rootCause: z.string().trim().min(1).max(1024),
  confidence: z.number().min(0).max(1),
  summary: optionalText(512),
  witty: optionalText(200),
  cited: z
    .array(z.string().max(300))
    .max(5)
    .nullish()
    .transform((v) => v ?? []),
  action: StrictAction,
});
export type LlmAnswer = z.output<typeof LlmAnswer>;

/**
 * These messages go back to the model (the repair) and onto the incident: a field name
 * the model made up is the one part of them it controls, so only a plain one is quoted.
 */
function tame(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  if (issue.code !== 'unrecognized_keys') return issue;
  const keys = issue.keys.map((k) => (/^[A-Za-z_][\w-]{0,40}$/.test(k) ? k : '(a field with an unusual name)'));
  return { ...issue, message: `unknown field${keys.length > 1 ? 's' : ''} ${keys.join(', ')}` };
}

export type AnswerCheck = { success: true; value: LlmAnswer } | { success: false; error: Error };

/**
 * The answer, or why not in words the repair prompt can quote (field paths and bounds).
 * `more` adds checks that need context (the workload's spec: see bounds.ts).
 */
export function checkAnswer(value: unknown, more: (action: RemedyAction) => string[] = () => []): AnswerCheck {
  const fail = (problems: string[]) => ({ success: false as const, error: new Error(problems.slice(0, 5).join('; ')) });
  const parsed = LlmAnswer.safeParse(value);
  if (!parsed.success) return fail(describeIssues(parsed.error.issues.map(tame), 'answer'));
  // The canonical schema has the last word, whatever the strict copies above might drift to.
  const canonical = RemedyAction.safeParse(parsed.data.action);
  if (!canonical.success) return fail(describeIssues(canonical.error.issues, 'answer.action'));
  const problems = more(canonical.data);
  if (problems.length) return fail(problems);
  return { success: true, value: { ...parsed.data, action: canonical.data } };
}

const DROPPED = new Set(['$schema', 'minLength', 'maxLength', 'pattern', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'format', 'minItems', 'maxItems']);

/**
 * The subset of JSON Schema that OpenAI, Groq and xAI all accept in strict mode: every
 * property required (optional ones nullable), no extra properties, anyOf rather than
 * oneOf, and no length, pattern or numeric bounds (several providers reject them). The
 * bounds are enforced by checkAnswer and described in the system prompt.
 */
export function strictSubset(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strictSubset);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (DROPPED.has(key)) continue;
    if (key === 'oneOf') out.anyOf = strictSubset(value);
    else if (key === 'const') out.enum = [value];
    else if (key === 'properties' || key === 'required') continue;
    else out[key] = strictSubset(value);
  }
  const properties = (node as { properties?: Record<string, unknown> }).properties;
  if (properties) {
    const required = new Set((node as { required?: string[] }).required ?? []);
    out.properties = Object.fromEntries(
      Object.entries(properties).map(([key, value]) => [key, required.has(key) ? strictSubset(value) : { anyOf: [strictSubset(value), { type: 'null' }] }]),
    );
    out.required = Object.keys(properties);
    out.additionalProperties = false;
  }
  return out;
}

const text = { type: 'string' } as const;

export const ANSWER_JSON_SCHEMA = {
  type: 'object',
  properties: {
    rootCause: text,
    confidence: { type: 'number' },
    summary: text,
    witty: text,
    cited: { type: 'array', items: text },
    action: strictSubset(z.toJSONSchema(RemedyAction, { io: 'output' })),
  },
  required: ['rootCause', 'confidence', 'summary', 'witty', 'cited', 'action'],
  additionalProperties: false,
} as JSONSchema7;

/** For generateText's Output.object: the provider gets the JSON schema, checkAnswer decides. */
export function answerSchema(more?: (action: RemedyAction) => string[]) {
  return jsonSchema<LlmAnswer>(ANSWER_JSON_SCHEMA, { validate: (value) => checkAnswer(value, more) });
}
