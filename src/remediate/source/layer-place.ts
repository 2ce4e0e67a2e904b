// Where a layer (or the resource itself) is written, and how to address an edit there:
// in a patch file, inside an inline patch string of a kustomization, or in the manifest.
import type { EditOp } from '../edit/edit-op.ts';
import type { Step } from '../edit/path.ts';
import type { Build, Layer, Level, Resource } from './kustomize-build.ts';
import type { FileChange } from './location.ts';
import type { Sharing } from './kustomize-shared.ts';

export interface Place {
  file: string;
  docIndex: number;
  level: Level;
  /** For an inline patch: the string's path in the kustomization, and the document inside it. */
  embedded?: { path: Step[]; docIndex: number };
  /** For settings of the engine object: who holds them. */
  engine?: string;
  describe: string;
}

export function resourcePlace(r: Resource): Place {
  return { file: r.file, docIndex: r.docIndex, level: r.chain[0] as Level, describe: r.file };
}

export function layerPlace(layer: Layer): Place {
  const level = layer.level;
  if (level.engine) return { file: level.engine, docIndex: 0, level, engine: level.engine, describe: level.engine };
  const kfile = level.kustomization?.file ?? level.dir;
  if (layer.type === 'images') return { file: kfile, docIndex: 0, level, describe: `${kfile} images[${layer.index}]` };
  const inner = layer.type === 'smp' ? layer.docIndex : 0;
  if (layer.ref.inline) {
    return { file: kfile, docIndex: 0, level, embedded: { path: layer.ref.inline, docIndex: inner }, describe: `the inline patch in ${kfile}` };
  }
  const file = layer.ref.file ?? kfile;
  return { file, docIndex: inner, level, describe: `patch ${file}` };
}

export function changeAt(place: Place, ops: EditOp[]): FileChange {
  if (!place.embedded) return { file: place.file, docIndex: place.docIndex, ops };
  return { file: place.file, docIndex: place.docIndex, ops: [{ op: 'embedded', path: place.embedded.path, docIndex: place.embedded.docIndex, ops }] };
}

/**
 * Why editing at a place would change more than this workload: a shared base, a patch
 * file other overlays use, or a patch whose target selects other resources as well.
 */
export function sharedBecause(place: Place, sharing: Sharing | undefined, build: Build, layer?: Layer): string | undefined {
  if (sharing?.isShared(place.file, place.level)) return sharing.why(place.file, place.level);
  if (layer && layer.type !== 'images') {
    const others = build.resources.filter((r) => r.layers.some((l) => l.type === layer.type && l.ref === layer.ref && (l.type !== 'smp' || l.docIndex === (layer as { docIndex: number }).docIndex)));
    if (others.length > 1) return `${place.describe} patches ${others.length} resources`;
  }
  return undefined;
}
