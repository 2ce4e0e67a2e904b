// Locating a field in a Helm chart kept in Git: the templates say which values key feeds
// it; the values files say where that key is set last. Edits go to values files only,
// never to templates. A key the chart's values.yaml sets is overridden in the last of
// the Application's value files rather than changed for every release of the chart.
import { parseDocument } from 'yaml';
import { applyOps } from '../edit/edit-op.ts';
import type { ChangePlan, FieldChange } from '../edit/field-change.ts';
import { formatPath, getAt, isNamed, isRecord, type Step } from '../edit/path.ts';
import { plain } from '../edit/value-diff.ts';
import { describeWorkload, type Workload } from '../edit/workload.ts';
import { splitImage } from '../../diagnose/image-analyzer.ts';
import type { GitSource } from './git-source.ts';
import { valuesRefs, workloadTemplates, writtenInTemplate, type Template, type ValuesRef } from './helm-templates.ts';
import { mergeChanges, notLocated, type FileChange, type Location } from './location.ts';
import { YAML_FILE, type RepoTree } from './repo-tree.ts';

interface ValuesFile {
  path: string;
  data: unknown;
}

export async function locateInHelm(tree: RepoTree, source: GitSource, workload: Workload, plan: ChangePlan): Promise<Location> {
  const chart = source.path;
  const at = (p: string) => (chart ? `${chart}/${p}` : p);
  if ((await tree.read(at('Chart.yaml'))) === undefined) return notLocated(`${chart || 'the root'} has no Chart.yaml`);
  const templates: Template[] = [];
  for (const path of await tree.list(at('templates'))) {
    if (YAML_FILE.test(path) || path.endsWith('.tpl')) templates.push({ path, text: (await tree.read(path)) ?? '' });
  }
  const rendering = workloadTemplates(templates, workload.kind);
  if (rendering.length === 0) return notLocated(`no template of chart ${chart} renders a ${workload.kind}`);
  const files = await valuesFiles(tree, source, at('values.yaml'));
  if (typeof files === 'string') return notLocated(files);
  const changes: FileChange[] = [];
  const notes: string[] = [];
  for (const change of plan.changes) {
    const ref = pickRef(rendering, change, workload, plan.container);
    if (typeof ref === 'string') return notLocated(ref);
    const placed = place(ref, change, files, source, at('values.yaml'));
    if (typeof placed === 'string') return notLocated(placed);
    if (placed.change.ops.length > 0) changes.push(placed.change);
    notes.push(placed.note);
  }
  return { located: true, changes: mergeChanges(changes), notes };
}

async function valuesFiles(tree: RepoTree, source: GitSource, defaults: string): Promise<ValuesFile[] | string> {
  const paths = [defaults, ...(source.helm?.valueFiles ?? []).filter((f) => f !== defaults)];
  const files: ValuesFile[] = [];
  for (const path of paths) {
    const text = await tree.read(path);
    if (text === undefined) {
      if (path === defaults || source.helm?.ignoreMissingValueFiles) continue;
      return `values file ${path} is not in the repository`;
    }
    const doc = parseDocument(text, { version: '1.1' });
    if (doc.errors.length > 0) return `${path} does not parse: ${doc.errors[0]?.message}`;
    files.push({ path, data: plain(doc.toJS()) ?? {} });
  }
  return files;
}

// The steps of a change below the container (or the pod spec), as templates name them.
function fieldSteps(change: FieldChange): Step[] | undefined {
  const [spec, list, item, ...rest] = change.path;
  if (spec !== 'spec') return undefined;
  if ((list === 'containers' || list === 'initContainers') && item !== undefined && isNamed(item)) return rest;
  return change.path.slice(1);
}

function pickRef(rendering: Template[], change: FieldChange, workload: Workload, container: string | undefined): ValuesRef | string {
  const steps = fieldSteps(change);
  if (!steps || steps.length === 0) return `${formatPath(change.path)} is not a field a values file can set`;
  const refs = valuesRefs(rendering, steps, change.imageTag !== undefined);
  if (typeof refs === 'string') return refs;
  const distinct = [...new Map(refs.map((r) => [JSON.stringify(r.path), r])).values()];
  if (distinct.length === 1) return distinct[0] as ValuesRef;
  if (distinct.length === 0) {
    const written = rendering.map((t) => writtenInTemplate(t, steps)).find(Boolean);
    return written
      ? `${written}, not from a values key; templates are never edited`
      : `no template of the chart reads ${formatPath(steps)} from .Values`;
  }
  // Charts with several components (`api:`, `worker:`) read the same keys under each: the
  // one named like the workload, its container or its template file is this workload's.
  const names = [workload.metadata.name, container].filter((n): n is string => !!n);
  const mine = distinct.filter((r) => {
    const component = r.path[0];
    return typeof component === 'string' && names.some((n) => n === component || n.endsWith(`-${component}`));
  });
  if (mine.length === 1) return mine[0] as ValuesRef;
  return `the chart reads ${formatPath(steps)} from ${distinct.map((r) => `.Values.${formatPath(r.path)}`).join(', ')}; cannot tell which one ${describeWorkload(workload)} uses`;
}

function place(ref: ValuesRef, change: FieldChange, files: ValuesFile[], source: GitSource, defaults: string): { change: FileChange; note: string } | string {
  const path = ref.path;
  // Helm merges maps and replaces lists: a key below a list item is set where the list is.
  const listAt = path.findIndex((s) => typeof s !== 'string');
  const unit = listAt === -1 ? path : path.slice(0, listAt);
  const overridden = overriddenBy(unit, source);
  if (overridden) return overridden;
  let writer: ValuesFile | undefined;
  for (const file of [...files].reverse()) {
    const hit = defines(file.data, unit);
    if (typeof hit === 'string') return `${file.path}: ${hit}`;
    if (hit) {
      writer = file;
      break;
    }
  }
  const last = files[files.length - 1];
  const overrideFile = last && last.path !== defaults ? last : undefined;
  const computed = newValue(ref, change, writer);
  if ('error' in computed) return computed.error;
  const value = computed.value;
  if (writer && (writer.path !== defaults || !overrideFile)) {
    const op = change.remove ? { op: 'delete' as const, path } : { op: 'set' as const, path, value };
    return { change: { file: writer.path, docIndex: 0, ops: [op] }, note: `${writer.path}: values key ${formatPath(path)} (read by ${ref.template})` };
  }
  const target = overrideFile ?? files.find((f) => f.path === defaults);
  if (!target) return `the chart has no values.yaml and the Application names no value files`;
  if (listAt === -1) {
    if (change.remove) return { change: { file: target.path, docIndex: 0, ops: [] }, note: `${formatPath(path)} is not set` };
    return { change: { file: target.path, docIndex: 0, ops: [{ op: 'set', path, value }] }, note: `${target.path}: values key ${formatPath(path)} (read by ${ref.template}), set here to override the chart's default` };
  }
  // Overriding one item of a list from values.yaml means restating the whole list.
  const list = structuredClone(getAt(writer?.data, unit) ?? []);
  const holder = { list };
  applyOps(holder, [change.remove ? { op: 'delete', path: ['list', ...path.slice(listAt)] } : { op: 'set', path: ['list', ...path.slice(listAt)], value }]);
  return {
    change: { file: target.path, docIndex: 0, ops: [{ op: 'set', path: unit, value: holder.list }] },
    note: `${target.path}: values key ${formatPath(unit)} (read by ${ref.template}), restated from ${writer?.path ?? defaults} with the change`,
  };
}

// A values path set by the Application itself (parameters, inline values) wins over files.
function overriddenBy(unit: Step[], source: GitSource): string | undefined {
  const dotted = unit.join('.');
  for (const p of source.helm?.parameters ?? []) {
    if (p.name === dotted || p.name.startsWith(`${dotted}.`) || dotted.startsWith(`${p.name}.`)) {
      return `${source.origin} sets ${p.name} in helm.parameters, which override every values file`;
    }
  }
  const inline = source.helm?.values;
  if (inline !== undefined) {
    const hit = defines(plain(inline), unit);
    if (hit) return `${source.origin} sets ${dotted} in its helm values, which override every values file`;
  }
  return undefined;
}

// Whether values data sets a path: true, false, or why the answer makes the edit unsafe.
function defines(data: unknown, unit: Step[]): boolean | string {
  let node = data;
  for (let i = 0; i < unit.length; i++) {
    if (!isRecord(node)) return false;
    const next = node[unit[i] as string];
    if (next === undefined) return false;
    if (i < unit.length - 1 && next === null) return `${formatPath(unit.slice(0, i + 1))} is null, which deletes the chart's default`;
    if (i < unit.length - 1 && !isRecord(next)) return `${formatPath(unit.slice(0, i + 1))} is not a map`;
    node = next;
  }
  return true;
}

// The value for the key: the field's value, or for an image string, the same
// repository with the new tag.
function newValue(ref: ValuesRef, change: FieldChange, writer: ValuesFile | undefined): { value: unknown } | { error: string } {
  if (change.imageTag === undefined) return { value: change.value };
  if (ref.style === 'image-tag') return { value: change.imageTag };
  const current = getAt(writer?.data, ref.path);
  if (typeof current !== 'string' || current.includes('@')) {
    return { error: `${writer?.path ?? 'the values'} write ${formatPath(ref.path)} as ${JSON.stringify(current)}, not an image with a tag` };
  }
  return { value: `${splitImage(current).repository}:${change.imageTag}` };
}
