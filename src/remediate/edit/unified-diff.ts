// A unified diff of two texts by lines (longest common subsequence), for pull requests
// and suggestions. The files edited here are small and the edits few, so the common
// head and tail are trimmed first and the quadratic table stays tiny.

const CONTEXT = 3;

interface Line {
  text: string;
  /** Whether a line break follows: only the last line of a file can lack one. */
  ends: boolean;
}

type Entry = { kind: ' ' | '-' | '+'; line: Line; a: number; b: number };

export function unifiedDiff(path: string, before: string, after: string, context = CONTEXT): string {
  if (before === after) return '';
  const a = lines(before);
  const b = lines(after);
  const entries = diffLines(a, b);
  const hunks = group(entries, context);
  let out = `--- a/${path}\n+++ b/${path}\n`;
  for (const hunk of hunks) {
    const first = hunk[0] as Entry;
    const aCount = hunk.filter((e) => e.kind !== '+').length;
    const bCount = hunk.filter((e) => e.kind !== '-').length;
    out += `@@ -${range(first.a, aCount)} +${range(first.b, bCount)} @@\n`;
    for (const e of hunk) {
      out += `${e.kind}${e.line.text}\n`;
      if (!e.line.ends) out += '\\ No newline at end of file\n';
    }
  }
  return out;
}

function range(start: number, count: number): string {
  // As diff(1) writes it: a hunk that adds to an empty range starts at the line before.
  const line = count === 0 ? start : start + 1;
  return count === 1 ? `${line}` : `${line},${count}`;
}

function lines(text: string): Line[] {
  if (text === '') return [];
  const parts = text.split('\n');
  const ends = text.endsWith('\n');
  if (ends) parts.pop();
  return parts.map((t, i) => ({ text: t, ends: ends || i < parts.length - 1 }));
}

function same(x: Line | undefined, y: Line | undefined): boolean {
  return x !== undefined && y !== undefined && x.text === y.text && x.ends === y.ends;
}

function diffLines(a: Line[], b: Line[]): Entry[] {
  let head = 0;
  while (head < a.length && head < b.length && same(a[head], b[head])) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && same(a[a.length - 1 - tail], b[b.length - 1 - tail])) tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  // lcs[i][j]: the longest common subsequence of midA[i..] and midB[j..].
  const lcs = Array.from({ length: midA.length + 1 }, () => new Array<number>(midB.length + 1).fill(0));
  for (let i = midA.length - 1; i >= 0; i--) {
    for (let j = midB.length - 1; j >= 0; j--) {
      const row = lcs[i] as number[];
      row[j] = same(midA[i], midB[j]) ? ((lcs[i + 1] as number[])[j + 1] as number) + 1 : Math.max((lcs[i + 1] as number[])[j] as number, row[j + 1] as number);
    }
  }
  const entries: Entry[] = [];
  for (let k = 0; k < head; k++) entries.push({ kind: ' ', line: a[k] as Line, a: k, b: k });
  let i = 0;
  let j = 0;
  while (i < midA.length || j < midB.length) {
    if (i < midA.length && j < midB.length && same(midA[i], midB[j])) {
      entries.push({ kind: ' ', line: midA[i] as Line, a: head + i, b: head + j });
      i++;
      j++;
    } else if (j < midB.length && (i === midA.length || ((lcs[i] as number[])[j + 1] as number) >= ((lcs[i + 1] as number[])[j] as number))) {
      entries.push({ kind: '+', line: midB[j] as Line, a: head + i, b: head + j });
      j++;
    } else {
      entries.push({ kind: '-', line: midA[i] as Line, a: head + i, b: head + j });
      i++;
    }
  }
  for (let k = 0; k < tail; k++) {
    entries.push({ kind: ' ', line: a[a.length - tail + k] as Line, a: a.length - tail + k, b: b.length - tail + k });
  }
  return reorder(entries);
}

// Within a run of changes, removed lines come before added ones, as diff(1) shows them.
function reorder(entries: Entry[]): Entry[] {
  const out: Entry[] = [];
  let run: Entry[] = [];
  const flush = () => {
    const removed = run.filter((e) => e.kind === '-');
    const added = run.filter((e) => e.kind === '+');
    const a = removed[0]?.a ?? added[0]?.a ?? 0;
    const b = added[0]?.b ?? removed[0]?.b ?? 0;
    for (const e of [...removed, ...added]) out.push({ ...e, a, b });
    run = [];
  };
  for (const e of entries) {
    if (e.kind === ' ') {
      if (run.length > 0) flush();
      out.push(e);
    } else run.push(e);
  }
  if (run.length > 0) flush();
  return out;
}

function group(entries: Entry[], context: number): Entry[][] {
  const changed = entries.map((e, i) => (e.kind === ' ' ? -1 : i)).filter((i) => i >= 0);
  const hunks: Entry[][] = [];
  let start = -1;
  let end = -1;
  for (const i of changed) {
    if (start >= 0 && i - context <= end + context) {
      end = i;
      continue;
    }
    if (start >= 0) hunks.push(entries.slice(Math.max(0, start - context), Math.min(entries.length, end + context + 1)));
    start = i;
    end = i;
  }
  if (start >= 0) hunks.push(entries.slice(Math.max(0, start - context), Math.min(entries.length, end + context + 1)));
  return hunks;
}
