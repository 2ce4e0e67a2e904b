// Logs are most of a naive prompt and little of its meaning: a crash loop prints the same
// stack trace at every start. This keeps what explains the failure, within a budget.

export interface LogCompressOptions {
  /** The most characters the result may have. */
  maxChars?: number;
  /** The last distinct lines before the container died, kept whatever they say. */
  tailLines?: number;
  /** Lines kept before each relevant line. */
  contextLines?: number;
  /** Stack frames kept after an exception or panic line; the rest are counted. */
  framesPerTrace?: number;
  /** Longer lines (JSON logs, base64 dumps) are cut to this. */
  maxLineChars?: number;
}

export interface CompressedLog {
  text: string;
  inputLines: number;
  /** Distinct lines (after normalization) in the input. */
  distinctLines: number;
  keptLines: number;
}

const DEFAULTS: Required<LogCompressOptions> = { maxChars: 3000, tailLines: 10, contextLines: 1, framesPerTrace: 5, maxLineChars: 240 };
/** Read at most this much of the end of a log: it bounds the work a huge log can cause. */
const MAX_INPUT_CHARS = 512 * 1024;

export const RELEVANT =
  /error|exception|fatal|panic|killed|refused|not found|denied|timeout|timed out|fail|caused by|out of memory|oom|cannot|can't|unable|invalid|no such|missing|unauthori[sz]ed|forbidden|segmentation|sigsegv|sigkill|exit(ed)? (code|status)|traceback|crash/i;
/** Java/Kotlin `at …` and `... 12 more`, Go `pkg.fn(…)` and `\t/file.go:12`, Python `File "…", line 3`. */
const FRAME = /^\s+at\s|^\s*\.\.\.\s\d+\s(more|common frames)|^\s+\S+\.go:\d+|^[\w./*()-]+\.[\w*()]+\(.*\)$|^\s+File ".*", line \d+|^goroutine \d+ \[/;
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

/**
 * The line with what changes between repeats (times, ids, addresses, numbers) replaced,
 * so that near-duplicates collapse. Also the basis of evidence signatures (cache keys).
 */
export function normalizeLine(line: string): string {
  return line
    .replace(/\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?/g, '<ts>')
    .replace(/\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b/g, '<ts>')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<id>')
    .replace(/-[0-9a-f]{8,10}-[a-z0-9]{5}\b/g, '-<pod>')
    .replace(/\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b/g, '<ip>')
    .replace(/\b0x[0-9a-f]+\b|\b(?=[0-9a-f]*\d)[0-9a-f]{8,}\b/gi, '<hex>')
    .replace(/\d+/g, '#')
    .replace(/\s+/g, ' ')
    .trim();
}

interface Entry {
  text: string;
  count: number;
  last: number;
  relevant: boolean;
  frame: boolean;
}

/** Distinct lines in the order of their last occurrence, each shown as last printed. */
function distinct(lines: string[], maxLineChars: number): Entry[] {
  const byKey = new Map<string, Entry>();
  lines.forEach((raw, index) => {
    const line = raw.length > maxLineChars ? `${raw.slice(0, maxLineChars - 1)}…` : raw;
    const key = normalizeLine(line);
    const seen = byKey.get(key);
    if (seen) {
      seen.count++;
      seen.last = index;
      seen.text = line;
      byKey.delete(key); // re-insert: Map order becomes last-occurrence order
      byKey.set(key, seen);
    } else {
      const frame = FRAME.test(line);
      byKey.set(key, { text: line, count: 1, last: index, frame, relevant: !frame && RELEVANT.test(line) });
    }
  });
  return [...byKey.values()];
}

/** Lower numbers are kept longer when the budget forces a choice. */
function priorities(entries: Entry[], o: Required<LogCompressOptions>): Map<number, number> {
  const keep = new Map<number, number>();
  const mark = (i: number, p: number) => {
    if (i >= 0 && i < entries.length) keep.set(i, Math.min(p, keep.get(i) ?? Infinity));
  };
  entries.forEach((e, i) => {
    if (!e.relevant) return;
    mark(i, 1);
    for (let c = 1; c <= o.contextLines; c++) if (!entries[i - c]?.frame) mark(i - c, 4);
    for (let f = 1; f <= o.framesPerTrace && entries[i + f]?.frame; f++) mark(i + f, 2);
  });
  // The last lines before the end, but not the tail of a trace: its head (above) says more.
  for (let i = entries.length - 1, n = 0; i >= 0 && n < o.tailLines; i--) {
    if (entries[i]?.frame) continue;
    mark(i, 3);
    n++;
  }
  mark(0, 5);
  return keep;
}

function render(entries: Entry[], kept: number[]): string {
  const out: string[] = [];
  let previous = -1;
  for (const i of kept) {
    const gap = i - previous - 1;
    if (gap > 0) {
      const frames = entries.slice(previous + 1, i).every((e) => e.frame);
      out.push(frames ? `  … ${gap} more frames` : `… ${gap} lines omitted`);
    }
    const e = entries[i];
    if (e) out.push(e.count > 1 ? `${e.text} (x${e.count})` : e.text);
    previous = i;
  }
  const rest = entries.length - previous - 1;
  if (rest > 0) out.push(`… ${rest} lines omitted`);
  return out.join('\n');
}

/**
 * Duplicates collapse (with a count), and what is left is the lines that name a failure,
 * a few frames of each trace, a line of context, the start and the last lines. Over the
 * budget, the least telling go first: the first line, context, then the middle of the log.
 */
export function compressLog(log: string, options: LogCompressOptions = {}): CompressedLog {
  const o = { ...DEFAULTS, ...options };
  const input = log.length > MAX_INPUT_CHARS ? log.slice(-MAX_INPUT_CHARS) : log;
  const lines = input.replace(ANSI, '').split(/\r?\n/).map((l) => l.trimEnd()).filter((l) => l.trim() !== '');
  const entries = distinct(lines, o.maxLineChars);
  const keep = priorities(entries, o);
  let kept = [...keep.keys()].sort((a, b) => a - b);
  let text = render(entries, kept);
  if (text.length > o.maxChars) {
    const n = entries.length;
    const dropOrder = [...kept].sort((a, b) => (keep.get(b) ?? 0) - (keep.get(a) ?? 0) || Math.min(b, n - 1 - b) - Math.min(a, n - 1 - a));
    const dropped = new Set<number>();
    // Estimate the saving of each drop (a line may give way to an "omitted" marker) and
    // render again only when the estimate says it fits.
    let estimate = text.length;
    for (const i of dropOrder) {
      dropped.add(i);
      estimate -= Math.max(0, (entries[i]?.text.length ?? 0) - 24);
      if (estimate > o.maxChars) continue;
      text = render(entries, kept.filter((k) => !dropped.has(k)));
      if (text.length <= o.maxChars) break;
      estimate = text.length;
    }
    kept = kept.filter((i) => !dropped.has(i));
    text = render(entries, kept);
    if (text.length > o.maxChars) text = `${text.slice(0, o.maxChars - 1)}…`;
  }
  return { text, inputLines: lines.length, distinctLines: entries.length, keptLines: kept.length };
}
