// A unified diff as a <pre> whose lines carry a class, so additions and removals stand out
// without any script. Each line is escaped like any other text.
import { h, type Html } from './html.ts';

export type DiffLineKind = 'add' | 'del' | 'hunk' | 'meta' | 'context';

export function diffLineKind(line: string): DiffLineKind {
  if (line.startsWith('+++') || line.startsWith('---') || line.startsWith('diff ') || line.startsWith('index ')) return 'meta';
  if (line.startsWith('@@')) return 'hunk';
  if (line.startsWith('+')) return 'add';
  if (line.startsWith('-')) return 'del';
  return 'context';
}

export function renderDiff(diff: string): Html {
  const lines = diff.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
  // No newlines between the spans: each is display:block, and <pre> would show them twice.
  return h`<pre class="diff">${lines.map((line) => h`<span class="${diffLineKind(line)}">${line === '' ? ' ' : line}</span>`)}</pre>`;
}
