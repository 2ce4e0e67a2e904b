// What the locators answer: the edits (as ops on documents of files) that change the live
// value as intended, with a note for each saying why that place; or why no place can be
// named with certainty. Never a guess.
import type { EditOp } from '../edit/edit-op.ts';

export interface FileChange {
  /** The file's path in the repository. */
  file: string;
  docIndex: number;
  ops: EditOp[];
}

export type Location =
  | { located: true; changes: FileChange[]; notes: string[] }
  | { located: false; reason: string };

export function notLocated(reason: string): Location {
  return { located: false, reason };
}

/** Ops for one document, merged per file and document in first-seen order. */
export function mergeChanges(changes: readonly FileChange[]): FileChange[] {
  const out: FileChange[] = [];
  for (const change of changes) {
    const same = out.find((c) => c.file === change.file && c.docIndex === change.docIndex);
    if (same) same.ops.push(...change.ops);
    else out.push({ file: change.file, docIndex: change.docIndex, ops: [...change.ops] });
  }
  return out;
}
