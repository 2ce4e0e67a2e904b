// What earlier revisions held, for the changes that restore something: a revert may only
// write back a value that Git or a ReplicaSet already ran.
import { display, flatten, sameLeaf, type Segment } from './json-paths.ts';
import { imageParts } from './images.ts';
import type { ChangeHistory } from './types.ts';
import { asList, asObject, revisionTemplates, type JsonObject } from './workload.ts';

const TEMPLATE: readonly Segment[] = [{ key: 'spec' }, { key: 'template' }];

export interface RevisionIndex {
  templates: JsonObject[];
  /** Each revision's leaves, with paths as the workload's (spec.template....). */
  leaves: Map<string, unknown>[];
}

export function indexHistory(history: ChangeHistory | undefined): RevisionIndex {
  const templates = revisionTemplates(history?.revisions);
  const leaves: Map<string, unknown>[] = [];
  for (const template of templates) {
    try {
      leaves.push(flatten(template, TEMPLATE));
    } catch {
      // A revision too large to index restores nothing.
    }
  }
  return { templates, leaves };
}

/** True when some revision had exactly this leaf (undefined: had no such field). */
export function hadLeaf(index: RevisionIndex, path: string, value: unknown): boolean {
  return index.leaves.some((leaves) => sameLeaf(leaves.get(path), value));
}

/** True when some revision had this value at the path, as the analyzers print values. */
export function hadDisplayed(index: RevisionIndex, path: string, value: string): boolean {
  return index.leaves.some((leaves) => display(leaves.get(path)) === value);
}

function containers(index: RevisionIndex, name: string): JsonObject[] {
  return index.templates.flatMap((t) => asList(asObject(t.spec).containers).map(asObject).filter((c) => c.name === name));
}

/** The definitions a container's env var had in earlier revisions. */
export function historyEnv(index: RevisionIndex, container: string, name: string): JsonObject[] {
  return containers(index, container).flatMap((c) => asList(c.env).map(asObject).filter((e) => e.name === name));
}

/** The tags of this repository that the container ran in earlier revisions. */
export function historyTags(index: RevisionIndex, container: string, repository: string): Set<string> {
  const tags = new Set<string>();
  for (const c of containers(index, container)) {
    if (typeof c.image !== 'string') continue;
    const parts = imageParts(c.image);
    if (parts.repository === repository && parts.tag) tags.add(parts.tag);
  }
  return tags;
}
