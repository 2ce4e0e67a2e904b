// One file's edit, end to end: type the values, rewrite the text, prove the result, and
// show it as a unified diff.
import { EditRefused, type EditOp } from './edit-op.ts';
import { coerceOps } from './coerce.ts';
import { proveEdit } from './prove-edit.ts';
import { unifiedDiff } from './unified-diff.ts';
import { editDocument } from './document-edit.ts';
import { editYaml } from './yaml-edit.ts';

/** A proven edit of one file in the repository. */
export interface FileEdit {
  /** The file's path in the repository. */
  path: string;
  before: string;
  after: string;
  /** A unified diff (`--- a/path`, `+++ b/path`). */
  diff: string;
}

export type FileEditResult = { ok: true; edit: FileEdit } | { ok: false; reason: string };

// The Document API fallback may respace what it serializes; past this many rewritten
// lines the edit is no longer minimal and is refused instead.
const MAX_FALLBACK_LINES = 8;

/** Applies ops to document `docIndex` of a file, or says why not. */
export function editFile(path: string, before: string, docIndex: number, ops: readonly EditOp[]): FileEditResult {
  let typed: EditOp[];
  try {
    typed = coerceOps(before, docIndex, ops);
  } catch (error) {
    if (error instanceof EditRefused) return { ok: false, reason: `${path}: ${error.message}` };
    throw error;
  }
  const splice = attempt(path, before, docIndex, typed, editYaml);
  if (splice.ok || splice.final) return strip(splice);
  // Where the splice cannot place a change, the Document API of that document may.
  const document = attempt(path, before, docIndex, typed, editDocument);
  if (!document.ok) return strip(splice);
  const rewritten = document.edit.diff.split('\n').filter((l) => l.startsWith('-') && !l.startsWith('---')).length;
  if (rewritten > MAX_FALLBACK_LINES) return { ok: false, reason: `${splice.reason}; rewriting the document instead would change ${rewritten} lines` };
  return document;
}

type Attempt = ({ ok: true; edit: FileEdit } | { ok: false; reason: string }) & { final?: boolean };

function attempt(path: string, before: string, docIndex: number, ops: EditOp[], edit: typeof editYaml): Attempt {
  let after: string;
  try {
    after = edit(before, docIndex, ops);
  } catch (error) {
    if (error instanceof EditRefused) return { ok: false, reason: `${path}: ${error.message}`, final: error.final };
    throw error;
  }
  // Nothing to change is an answer, not a failure to retry another way.
  if (after === before) return { ok: false, reason: `${path} already has the intended value`, final: true };
  const problems = proveEdit(before, after, docIndex, ops);
  if (problems.length > 0) return { ok: false, reason: `${path}: ${problems.join('; ')}`, final: true };
  return { ok: true, edit: { path, before, after, diff: unifiedDiff(path, before, after) } };
}

function strip(result: Attempt): FileEditResult {
  return result.ok ? { ok: true, edit: result.edit } : { ok: false, reason: result.reason };
}
