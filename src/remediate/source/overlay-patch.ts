// A change that must not touch a shared base goes into the overlay being fixed: into a
// strategic-merge patch the overlay already has for the resource, or a new inline one
// appended to its `patches`. Images go into the overlay's `images` instead.
import { stringify } from 'yaml';
import { applyOps, type EditOp } from '../edit/edit-op.ts';
import { isNamed, isRecord, type Step } from '../edit/path.ts';
import type { Build, Layer, Resource } from './kustomize-build.ts';
import { changeAt, layerPlace } from './layer-place.ts';
import type { FileChange } from './location.ts';

export interface OverlayField {
  path: Step[];
  value?: unknown;
  remove?: boolean;
}

// Lists a strategic merge patch merges by name; a patch naming an item of any other
// list would replace the whole list.
const MERGED_BY_NAME = new Set(['containers', 'initContainers', 'ephemeralContainers', 'env', 'volumes', 'imagePullSecrets']);

/** Whether editing a layer's file would change other deployments too. */
export type SharedLayer = (layer: Layer) => boolean;

export function overlayPatch(build: Build, r: Resource, fields: OverlayField[], why: string, shared: SharedLayer): { change: FileChange; note: string } | string {
  const k = build.root.kustomization;
  if (!k) return `${why}, and ${build.root.dir || 'the root'} has no kustomization file to add a patch to`;
  for (const field of fields) {
    for (let i = 0; i < field.path.length; i++) {
      const step = field.path[i] as Step;
      if (typeof step === 'number' || (isNamed(step) && !MERGED_BY_NAME.has(String(field.path[i - 1])))) {
        return `${why}, and a patch for ${String(field.path[i - 1])} would replace the whole list`;
      }
    }
  }
  // In a strategic merge patch, null deletes a field.
  const ops: EditOp[] = fields.map((f) => ({ op: 'set', path: f.path, value: f.remove ? null : f.value }));
  const reuse = [...r.layers].reverse().find((l) => reusable(l, build, r) && !shared(l));
  if (reuse) {
    const place = layerPlace(reuse);
    return { change: changeAt(place, ops), note: `${why}; the change goes into ${place.describe}, which already patches ${r.id.kind} ${r.nameAt.get(build.root)}` };
  }
  const doc = applyOps(
    { apiVersion: r.doc.apiVersion, kind: r.id.kind, metadata: { name: r.nameAt.get(build.root) ?? r.id.names[0] } },
    ops,
  );
  const patch = stringify(doc, { version: '1.1', lineWidth: 0 });
  return {
    change: { file: k.file, docIndex: 0, ops: [{ op: 'append', path: ['patches'], value: { patch } }] },
    note: `${why}; the change goes into a new patch in ${k.file}`,
  };
}

// An overlay's own strategic-merge patch for exactly this resource, without directives.
function reusable(layer: Layer, build: Build, r: Resource): boolean {
  if (layer.type !== 'smp' || layer.level !== build.root || layer.match !== 'yes') return false;
  if (layer.ref.target) return false;
  if (JSON.stringify(layer.data).includes('"$patch"')) return false;
  const meta = isRecord(layer.data.metadata) ? layer.data.metadata : {};
  return meta.name === r.nameAt.get(build.root) && build.resources.filter((o) => o.layers.includes(layer)).length === 1;
}

/** An `images` entry in the overlay that sets the tag, or the overlay's entry for that name. */
export function overlayImage(build: Build, name: string, tag: string, why: string): { change: FileChange; note: string } | string {
  const k = build.root.kustomization;
  if (!k) return `${why}, and ${build.root.dir || 'the root'} has no kustomization file to set the image in`;
  const index = k.images.findIndex((e) => e.name === name);
  const op: EditOp = index >= 0
    ? { op: 'set', path: ['images', index, 'newTag'], value: tag }
    : { op: 'append', path: ['images'], value: { name, newTag: tag } };
  return { change: { file: k.file, docIndex: 0, ops: [op] }, note: `${why}; the tag is set in the images of ${k.file}` };
}
