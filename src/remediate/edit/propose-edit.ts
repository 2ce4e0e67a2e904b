// From a remedy action to proven file edits: plan the field changes, locate them in Git,
// edit each file and prove each edit. The first doubt ends in a refusal with its reason.
import type { RemedyAction } from '../../diagnose/remedy-action.ts';
import type { GitSource } from '../source/git-source.ts';
import { locateField } from '../source/locate-field.ts';
import { cachedTree, type RepoTree } from '../source/repo-tree.ts';
import { editFile, type FileEdit } from './file-edit.ts';
import { planChange } from './plan-change.ts';
import { replacedValues, type ReplacedValue } from './replaced-values.ts';
import { unifiedDiff } from './unified-diff.ts';
import type { Workload } from './workload.ts';

export interface ProposeInput {
  tree: RepoTree;
  source: GitSource;
  workload: Workload;
  action: RemedyAction;
}

export type Proposal =
  /** `replaced`: the values Git held where the edits write new ones (the guard's baseline). */
  | { ok: true; edits: FileEdit[]; summary: string; notes: string[]; replaced: ReplacedValue[] }
  | {
    ok: false;
    /** none: explain only; unsupported: no edit for this action; not-located: no certain place; refused: the edit failed its proof. */
    kind: 'none' | 'unsupported' | 'not-located' | 'refused';
    reason: string;
  };

export async function proposeEdit(input: ProposeInput): Promise<Proposal> {
  const planned = planChange(input.action, input.workload);
  if (!planned.ok) return { ok: false, kind: planned.kind, reason: planned.reason };
  const tree = cachedTree(input.tree);
  const location = await locateField(tree, input.source, input.workload, planned.plan);
  if (!location.located) return { ok: false, kind: 'not-located', reason: location.reason };
  // Several documents of one file are edited one after the other, then shown as one diff.
  const texts = new Map<string, { before: string; after: string }>();
  const replaced: ReplacedValue[] = [];
  for (const change of location.changes) {
    const current = texts.get(change.file) ?? (await initial(tree, change.file));
    if (typeof current === 'string') return { ok: false, kind: 'not-located', reason: current };
    const result = editFile(change.file, current.after, change.docIndex, change.ops);
    if (!result.ok) return { ok: false, kind: 'refused', reason: result.reason };
    replaced.push(...replacedValues(current.after, change.docIndex, change.ops));
    texts.set(change.file, { before: current.before, after: result.edit.after });
  }
  const edits = [...texts].map(([path, { before, after }]) => ({ path, before, after, diff: unifiedDiff(path, before, after) }));
  return { ok: true, edits, summary: planned.plan.summary, notes: location.notes, replaced };
}

async function initial(tree: RepoTree, file: string): Promise<{ before: string; after: string } | string> {
  const text = await tree.read(file);
  return text === undefined ? `${file} is not in the repository` : { before: text, after: text };
}
