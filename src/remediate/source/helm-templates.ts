// Which values key feeds a container field, read from the chart's templates: the usual
// `{{- toYaml .Values.resources | nindent 12 }}`, `{{ .Values.image.tag }}` and
// `{{ .Values.api.livenessProbe | toYaml }}`, found by a textual search for `.Values.<path>`.
// A reference inside a computation (`mul`, `printf`, `tpl`, `include`) is not a value a
// values edit sets directly, and is refused.
import type { Step } from '../edit/path.ts';

export interface Template {
  path: string;
  text: string;
}

export interface ValuesRef {
  /** The values path, steps below it (named list items) appended as in the field. */
  path: Step[];
  /** `image`: the whole image string comes from this key; only its tag changes. */
  style: 'field' | 'image-string' | 'image-tag';
  template: string;
}

// Words an action may hold around a plain reference without changing its value.
const PASS_THROUGH = new Set(['toYaml', 'toJson', 'nindent', 'indent', 'quote', 'squote', 'default', 'with', 'if', 'else', 'end', 'toString', 'trim', 'not', 'and', 'or', 'eq', 'ne']);

/** Templates that render a workload of this kind. */
export function workloadTemplates(templates: readonly Template[], kind: string): Template[] {
  const re = new RegExp(`^kind:\\s*["']?${kind}["']?\\s*$`, 'm');
  return templates.filter((t) => re.test(t.text));
}

/**
 * The values paths that feed `field` (steps from the container, or the pod spec), per
 * template. The longest referenced path wins: a template that reads
 * `.Values.resources.limits.memory` is more precise than one that dumps `.Values.resources`.
 */
export function valuesRefs(templates: readonly Template[], field: Step[], image: boolean): ValuesRef[] | string {
  const refs: ValuesRef[] = [];
  for (const t of templates) {
    const found = image ? imageRef(t) : fieldRef(t, field);
    if (typeof found === 'string') return found;
    if (found) refs.push(found);
  }
  return refs;
}

function fieldRef(t: Template, field: Step[]): ValuesRef | string | undefined {
  for (let k = field.length; k >= 1; k--) {
    const head = field.slice(0, k);
    if (head.some((s) => typeof s !== 'string')) continue;
    const hit = reference(t, head.join('.'));
    if (typeof hit === 'string') return hit;
    if (hit) return { path: [...hit, ...head, ...field.slice(k)], style: 'field', template: t.path };
  }
  return undefined;
}

function imageRef(t: Template): ValuesRef | string | undefined {
  const tag = reference(t, 'image.tag');
  if (typeof tag === 'string') return tag;
  if (tag) return { path: [...tag, 'image', 'tag'], style: 'image-tag', template: t.path };
  const whole = reference(t, 'image');
  if (typeof whole === 'string') return whole;
  if (whole) return { path: [...whole, 'image'], style: 'image-string', template: t.path };
  return undefined;
}

// The prefix (`api.` → ['api']) of the first `.Values.<prefix><dotted>` reference that is
// not followed by a deeper key; a string when the reference is computed.
function reference(t: Template, dotted: string): string[] | string | undefined {
  const escaped = dotted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`\\.Values\\.((?:[A-Za-z_][\\w]*\\.)*?)${escaped}(?![\\w.-])`, 'g');
  const prefixes = new Set<string>();
  for (const m of t.text.matchAll(re)) {
    const action = enclosingAction(t.text, m.index);
    const computed = action && computation(action);
    if (computed) return `${t.path} computes .Values.${m[1]}${dotted} with ${computed}; a values edit cannot be traced through it`;
    prefixes.add(m[1] ?? '');
  }
  if (prefixes.size === 0) return undefined;
  if (prefixes.size > 1) return `${t.path} reads ${[...prefixes].map((p) => `.Values.${p}${dotted}`).join(' and ')}; cannot tell which one feeds this container`;
  const [prefix = ''] = prefixes;
  return prefix.split('.').filter(Boolean);
}

function enclosingAction(text: string, at: number): string | undefined {
  const open = text.lastIndexOf('{{', at);
  const close = text.indexOf('}}', at);
  if (open === -1 || close === -1 || text.lastIndexOf('}}', at) > open) return undefined;
  return text.slice(open + 2, close);
}

function computation(action: string): string | undefined {
  const words = action
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\$?\.[\w.]+/g, ' ')
    .replace(/\$\w*/g, ' ')
    .match(/[A-Za-z_]\w*/g) ?? [];
  return words.find((w) => !PASS_THROUGH.has(w));
}

/**
 * How a template writes a field that no plain values reference feeds: as a literal
 * (`memory: 256Mi`) or through an expression (`memory: {{ mul .Values.mb 2 }}Mi`). The
 * keys are followed in order (`resources:`, then `limits:`, then `memory:`), as far as
 * the template writes them.
 */
export function writtenInTemplate(t: Template, field: Step[]): string | undefined {
  const keys = field.filter((s): s is string => typeof s === 'string');
  let from = 0;
  let line: string | undefined;
  for (const key of keys) {
    const m = new RegExp(`^[ \\t-]*${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:[ \\t]*(.*)$`, 'm').exec(t.text.slice(from));
    if (!m) return undefined;
    from += m.index + m[0].length;
    line = m[1];
  }
  const last = keys[keys.length - 1];
  if (!line?.trim() || last === undefined) return undefined;
  return line.includes('{{') ? `${t.path} computes ${last} as ${line.trim()}` : `${t.path} writes ${last}: ${line.trim()} itself`;
}
