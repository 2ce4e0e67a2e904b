// The last writer of a pod template field: walk the layers from the last applied back to
// the manifest, and stop at the first that writes the field.
import { formatPath, getAt, isNamed, type Step } from '../edit/path.ts';
import type { Layer, Resource } from './kustomize-build.ts';
import { layerPlace, resourcePlace, type Place } from './layer-place.ts';
import { indexPath, traceJson, traceSmp } from './patch-trace.ts';

export type Writer =
  | { ok: true; place: Place; path: Step[]; layer?: Layer; current: unknown }
  | { ok: false; reason: string };

/** Who writes `path` (from the manifest root) last, and at which path in what it writes. */
export function lastWriter(r: Resource, path: Step[], until?: (layer: Layer) => boolean): Writer {
  const indexes = indexPath(r.doc, path);
  for (let i = r.layers.length - 1; i >= 0; i--) {
    const layer = r.layers[i] as Layer;
    if (layer.type === 'images' || (until && !until(layer))) continue;
    const trace = layer.type === 'smp' ? traceSmp(layer.data, path) : traceJson(layer.ops, path, indexes);
    if (trace.writes === false) continue;
    const place = layerPlace(layer);
    if (trace.writes === 'unknown') return { ok: false, reason: `${place.describe}: ${trace.why}` };
    if (layer.match === 'maybe') {
      return { ok: false, reason: `${place.describe} may or may not apply to this resource (its target cannot be evaluated) and writes the field` };
    }
    const current = layer.type === 'smp' ? getAt(layer.data, trace.path) : getAt(layer.ops, trace.path);
    return { ok: true, place, path: trace.path, layer, current };
  }
  // Nobody writes the field. It is created where its list item (an env var, or else the
  // container holding it) is written: in the manifest, or in the patch that adds it.
  const missing = indexes.indexOf(undefined);
  if (missing === -1) return { ok: true, place: resourcePlace(r), path, current: getAt(r.doc, path) };
  for (let pos = missing; pos >= 0; pos--) {
    if (!isNamed(path[pos] as Step)) continue;
    if (indexes[pos] !== undefined) return { ok: true, place: resourcePlace(r), path, current: undefined };
    const item = path.slice(0, pos + 1);
    for (let i = r.layers.length - 1; i >= 0; i--) {
      const layer = r.layers[i] as Layer;
      if (layer.type === 'images') continue;
      const trace = layer.type === 'smp' ? traceSmp(layer.data, item) : traceJson(layer.ops, item, indexes.slice(0, pos + 1));
      if (trace.writes === false) continue;
      const place = layerPlace(layer);
      if (trace.writes === 'unknown') return { ok: false, reason: `${place.describe}: ${trace.why}` };
      if (layer.match === 'maybe') return { ok: false, reason: `${place.describe} may or may not apply to this resource and adds ${formatPath(item)}` };
      return { ok: true, place, path: [...trace.path, ...path.slice(pos + 1)], layer, current: undefined };
    }
  }
  const item = path.slice(0, missing + 1);
  return { ok: false, reason: `${formatPath(item)} is neither in ${r.file} nor added by a patch` };
}
