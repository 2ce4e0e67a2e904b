// Locating a field in plain manifests or a kustomize tree: find the resource, trace the
// last writer of each changed field, and edit it there, unless that place is shared with
// other deployments, in which case the change goes into the overlay.
import { splitImage } from '../../diagnose/image-analyzer.ts';
import type { EditOp } from '../edit/edit-op.ts';
import type { ChangePlan } from '../edit/field-change.ts';
import { formatPath, type Step } from '../edit/path.ts';
import { describeWorkload, podTemplatePath, type Workload } from '../edit/workload.ts';
import type { GitSource } from './git-source.ts';
import { buildSource, type Layer, type Resource } from './kustomize-build.ts';
import { findSharing, type Sharing } from './kustomize-shared.ts';
import { changeAt, layerPlace, sharedBecause } from './layer-place.ts';
import { mergeChanges, notLocated, type FileChange, type Location } from './location.ts';
import { overlayImage, overlayPatch, type OverlayField } from './overlay-patch.ts';
import type { RepoTree } from './repo-tree.ts';
import { findResource, untraceable } from './resource-match.ts';
import { lastWriter } from './trace-field.ts';
import { imageName, imageUsers, traceImage } from './trace-image.ts';

export async function locateInManifests(
  tree: RepoTree,
  source: GitSource,
  kind: 'kustomize' | 'plain',
  workload: Workload,
  plan: ChangePlan,
): Promise<Location> {
  const prefix = podTemplatePath(workload.kind);
  if (!prefix) return notLocated(`${workload.kind} has no pod template`);
  const build = await buildSource(tree, source, kind);
  const r = findResource(build, workload, source.path);
  if (typeof r === 'string') return notLocated(r);
  const opaque = untraceable(r);
  if (opaque) return notLocated(opaque);
  const sharing: Sharing | undefined = kind === 'kustomize' ? await findSharing(tree, build) : undefined;
  const live = liveImage(workload, plan);
  const sharedLayer = (layer: Layer) => sharedBecause(layerPlace(layer), sharing, build, layer) !== undefined;
  const changes: FileChange[] = [];
  const notes: string[] = [];
  const overlay: OverlayField[] = [];
  let overlayWhy = '';
  for (const change of plan.changes) {
    const path = [...prefix, ...change.path];
    if (change.imageTag !== undefined) {
      const w = traceImage(r, path, build.root);
      if (!w.ok) return notLocated(w.reason);
      if (live && imageName(w.image) !== imageName(live)) {
        return notLocated(`Git renders image ${w.image} for ${describeWorkload(workload)}, but it runs ${live}; Git and the cluster disagree`);
      }
      if (w.place.engine) return notLocated(`the image tag is set by ${w.place.engine}, not in Git`);
      if (w.kind === 'string' && (typeof w.current !== 'string' || w.current.includes('@'))) {
        return notLocated(`${w.place.describe} pins the image by digest`);
      }
      const users = imageUsers(build.resources, r, path, prefix, build.root, imageName(w.image));
      let shared = sharedBecause(w.place, sharing, build, w.layer);
      if (w.kind === 'entry' && users.length > 0) {
        const also = `${w.place.describe} also sets the image of ${users.join(', ')}`;
        // The overlay's own entry applies after its patches: nothing later can undo it for one workload.
        if (w.place.level === build.root) return notLocated(also);
        shared ??= also;
      }
      if (shared) {
        // A new entry in the overlay would catch every container of that image there;
        // with others around, a patch sets this container's image instead.
        const o = users.length === 0
          ? overlayImage(build, w.nameAtRoot, change.imageTag, shared)
          : overlayPatch(build, r, [{ path, value: `${w.nameAtRoot}:${change.imageTag}` }], shared, sharedLayer);
        if (typeof o === 'string') return notLocated(o);
        changes.push(o.change);
        notes.push(o.note);
        continue;
      }
      const value = w.kind === 'entry' ? change.imageTag : `${splitImage(w.current as string).repository}:${change.imageTag}`;
      changes.push(changeAt(w.place, [{ op: 'set', path: w.path, value }]));
      notes.push(`${w.place.describe}: ${formatPath(w.path)} sets the image tag`);
      continue;
    }
    const w = lastWriter(r, path);
    if (!w.ok) return notLocated(w.reason);
    if (w.place.engine) return notLocated(`${formatPath(change.path)} is set by ${w.place.engine}, not in Git`);
    const shared = sharedBecause(w.place, sharing, build, w.layer);
    if (shared) {
      overlay.push({ path, ...(change.remove ? { remove: true } : { value: change.value }) });
      overlayWhy ||= shared;
      continue;
    }
    const op = change.remove ? removal(r, path, w) : ({ op: 'set', path: w.path, value: change.value } as EditOp);
    if (typeof op === 'string') return notLocated(op);
    changes.push(changeAt(w.place, [op]));
    notes.push(`${w.place.describe}: ${formatPath(w.path)}`);
  }
  if (overlay.length > 0) {
    const o = overlayPatch(build, r, overlay, overlayWhy, sharedLayer);
    if (typeof o === 'string') return notLocated(o);
    changes.push(o.change);
    notes.push(o.note);
  }
  return { located: true, changes: mergeChanges(changes), notes };
}

// Deleting a field from the patch that sets it last would uncover the value an earlier
// layer sets; a strategic-merge patch removes it for good with null instead.
function removal(r: Resource, path: Step[], w: Extract<ReturnType<typeof lastWriter>, { ok: true }>): EditOp | string {
  if (!w.layer) return { op: 'delete', path: w.path };
  if (w.layer.type !== 'smp') return `${w.place.describe} writes ${formatPath(path)} with a JSON patch; removing it there is not traced`;
  const index = r.layers.indexOf(w.layer);
  const below = lastWriter(r, path, (l) => r.layers.indexOf(l) < index);
  return below.ok && below.current !== undefined ? { op: 'set', path: w.path, value: null } : { op: 'delete', path: w.path };
}

function liveImage(workload: Workload, plan: ChangePlan): string | undefined {
  const change = plan.changes.find((c) => c.imageTag !== undefined);
  return typeof change?.value === 'string' ? `${splitImage(change.value).repository}` : undefined;
}
