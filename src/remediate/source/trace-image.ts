// Who sets a container's image tag last: the manifest's `image:` string, a patch that
// rewrites it, or a kustomize `images` entry (`newTag`), replayed in kustomize's order.
import { splitImage } from '../../diagnose/image-analyzer.ts';
import { getAt, type Step } from '../edit/path.ts';
import type { Layer, Level, Resource } from './kustomize-build.ts';
import { layerPlace, resourcePlace, type Place } from './layer-place.ts';
import { indexPath, traceJson, traceSmp } from './patch-trace.ts';

export type ImageWriter =
  | {
    ok: true;
    /** The final image, as Git renders it. */
    image: string;
    /** `string`: a whole `image:` value at `path`; `entry`: `images[index].newTag` of a kustomization. */
    kind: 'string' | 'entry';
    place: Place;
    path: Step[];
    layer?: Layer;
    /** The value written there now (the image string, or the entry's newTag). */
    current: unknown;
    /** The image's name as the root level's `images` see it: what a new entry there must match. */
    nameAtRoot: string;
  }
  | { ok: false; reason: string };

/** The image without tag or digest: what kustomize `images[].name` matches. */
export function imageName(image: string): string {
  const at = image.indexOf('@');
  return splitImage(at === -1 ? image : image.slice(0, at)).repository;
}

export function traceImage(r: Resource, path: Step[], root: Level): ImageWriter {
  const base = getAt(r.doc, path);
  let image = typeof base === 'string' ? base : undefined;
  let writer: Omit<Extract<ImageWriter, { ok: true }>, 'ok' | 'image' | 'nameAtRoot'> = { kind: 'string', place: resourcePlace(r), path, current: base };
  let nameAtRoot: string | undefined;
  const indexes = indexPath(r.doc, path);
  for (const layer of r.layers) {
    if (layer.type === 'images') {
      if (layer.level === root && nameAtRoot === undefined && image) nameAtRoot = imageName(image);
      const entry = layer.entry;
      if (!image || imageName(image) !== entry.name) continue;
      const rest = image.slice(imageName(image).length);
      if (entry.newName) image = `${entry.newName}${rest}`;
      if (entry.digest) {
        if (layer.level.engine) return { ok: false, reason: `${layer.level.engine} pins the image to a digest` };
        return { ok: false, reason: `${layerPlace(layer).describe} pins ${entry.name} to digest ${entry.digest}; a tag would not take effect` };
      }
      if (entry.newTag !== undefined) {
        image = `${imageName(image)}:${entry.newTag}`;
        writer = { kind: 'entry', place: layerPlace(layer), path: ['images', layer.index, 'newTag'], layer, current: entry.newTag };
      }
      continue;
    }
    const trace = layer.type === 'smp' ? traceSmp(layer.data, path) : traceJson(layer.ops, path, indexes);
    if (trace.writes === false) continue;
    if (trace.writes === 'unknown') return { ok: false, reason: `${layerPlace(layer).describe}: ${trace.why}` };
    if (layer.match === 'maybe') return { ok: false, reason: `${layerPlace(layer).describe} may or may not apply and writes the image` };
    const value = layer.type === 'smp' ? getAt(layer.data, trace.path) : getAt(layer.ops, trace.path);
    if (typeof value !== 'string') return { ok: false, reason: `${layerPlace(layer).describe} writes the image as something other than a string` };
    image = value;
    writer = { kind: 'string', place: layerPlace(layer), path: trace.path, layer, current: value };
  }
  if (!image) return { ok: false, reason: `no image is written for ${String(path[path.length - 2] && JSON.stringify(path[path.length - 2]))} in ${r.file}` };
  return { ok: true, image, ...writer, nameAtRoot: nameAtRoot ?? imageName(image) };
}

/**
 * Other containers (in any resource of the build) that render an image of the same name:
 * a kustomize `images` entry for that name would change them too.
 */
export function imageUsers(resources: readonly Resource[], r: Resource, path: Step[], prefix: Step[], root: Level, name: string): string[] {
  const users: string[] = [];
  const own = JSON.stringify(path);
  for (const o of resources) {
    for (const list of ['containers', 'initContainers']) {
      const containers = getAt(o.doc, [...prefix, 'spec', list]);
      if (!Array.isArray(containers)) continue;
      for (const c of containers) {
        const cname = (c as { name?: unknown } | null)?.name;
        if (typeof cname !== 'string') continue;
        const p: Step[] = [...prefix, 'spec', list, { name: cname }, 'image'];
        if (o === r && JSON.stringify(p) === own) continue;
        const w = traceImage(o, p, root);
        if (w.ok && imageName(w.image) === name) users.push(`${o.id.kind} ${o.id.names[o.id.names.length - 1]} container ${cname}`);
      }
    }
  }
  return users;
}
