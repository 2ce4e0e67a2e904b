// The policy half of the guard: deterministic, offline, and suspicious of the proposed
// object (another component's YAML edit may be wrong, a model's choice may be hostile).
// Every reason is kept, so a person sees all that is wrong at once.
import { RemedyAction } from '../../diagnose/remedy-action.ts';
import { allowList, type Allowed } from './allow-list.ts';
import { resourceBounds } from './bounds.ts';
import { diffObjects, type LeafChange } from './diff.ts';
import { isInjectionVector } from './env-names.ts';
import { frozenField } from './frozen.ts';
import { hadLeaf, indexHistory, type RevisionIndex } from './history.ts';
import { imageParts } from './images.ts';
import { intentReasons } from './intent.ts';
import { display, PathError, sameObject } from './json-paths.ts';
import { probeBounds } from './probe-bounds.ts';
import { securityLoosening } from './security.ts';
import { DEFAULT_GUARD_LIMITS, type ChangeInput, type Verdict } from './types.ts';
import { allContainers, asList, asObject, isObject, podSpecOf, WORKLOAD_KINDS } from './workload.ts';

// Kinds whose every change is a grant of power: the guard never passes one.
const FORBIDDEN_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'ServiceAccount', 'Secret']);

export function checkChange(input: ChangeInput): Verdict {
  const reasons = [...new Set(policyReasons(input))];
  return reasons.length === 0 ? { ok: true } : { ok: false, reasons };
}

function policyReasons(input: ChangeInput): string[] {
  const { action, before, after } = input;
  // The operator parses actions already; the guard does not rely on it.
  const parsed = RemedyAction.safeParse(action);
  if (!parsed.success) return [`the action is not one of the closed set: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'action'}: ${i.message}`).join('; ')}`];
  if (!isObject(before) || !isObject(after)) return ['the current and the proposed object must both be objects'];
  const kinds = [before.kind, after.kind];
  // Items of a list (an informer's cache) carry no kind or apiVersion: the caller must set them.
  if (kinds.includes(undefined)) return ['the current or the proposed object has no kind (list items carry none): set kind and apiVersion before guarding'];
  const forbidden = kinds.find((k) => typeof k === 'string' && FORBIDDEN_KINDS.has(k));
  if (forbidden) return [`${forbidden} objects are never changed by GopherGuard`];
  if (!kinds.every((k) => (WORKLOAD_KINDS as readonly unknown[]).includes(k))) {
    return [`only ${WORKLOAD_KINDS.join(', ')} objects can be changed (got ${kinds.map(String).join(' → ')})`];
  }
  let changes: LeafChange[];
  try {
    changes = diffObjects(before, after);
  } catch (error) {
    if (error instanceof PathError) return [`the proposed object cannot be checked: ${error.message}`];
    throw error;
  }
  if (action.type === 'none') return changes.length ? [`action none may change nothing, yet ${changes.length} field(s) changed: ${changes[0]?.path}`] : [];
  if (changes.length === 0) return ['the proposed object is the same as the current one'];
  const history = indexHistory(input.history);
  const limits = { ...DEFAULT_GUARD_LIMITS, ...input.limits };
  return [
    ...securityLoosening(before, after),
    ...duplicateContainers(after),
    ...pathReasons(changes, allowList(action, history), input, history),
    ...resourceBounds(before, after, input.baseline ?? before, limits),
    ...probeBounds(before, after, limits),
    ...imageReasons(before, after),
    ...envReasons(before, after),
    ...intentReasons({ action, before, after, history, knownGoodTags: input.knownGoodTags ?? [] }),
  ];
}

/** Each changed path must be one the action may change; frozen ones say why they are frozen. */
function pathReasons(changes: LeafChange[], allowed: Allowed, input: ChangeInput, history: RevisionIndex): string[] {
  const reasons: string[] = [];
  const reverting = input.action.type === 'revertField' || input.action.type === 'revertCommit';
  for (const change of changes) {
    const frozen = frozenField(change.path);
    if (frozen && !(frozen.revertible && reverting && allowed(change) && hadLeaf(history, change.path, change.after))) {
      reasons.push(`changes ${change.path} (${frozen.what} may never change${frozen.revertible ? ' except back to a value from history' : ''})`);
    } else if (!frozen && !allowed(change)) {
      reasons.push(`changes ${change.path}, which a ${input.action.type} action may not change`);
    }
  }
  return reasons;
}

// Two containers with one name would make "container app" mean either.
function duplicateContainers(after: unknown): string[] {
  const names = allContainers(podSpecOf(after)).map((c) => c.name);
  const dupes = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
  return dupes.map((name) => `more than one container is named ${name}`);
}

/** An image may change its tag or digest, never its repository, and never to an unpinned tag. */
function imageReasons(before: unknown, after: unknown): string[] {
  const was = new Map(allContainers(podSpecOf(before)).map((c) => [`${c.list}/${c.name}`, c.container.image]));
  const reasons: string[] = [];
  for (const { list, name, container } of allContainers(podSpecOf(after))) {
    const previous = was.get(`${list}/${name}`);
    if (previous === undefined || previous === container.image) continue;
    if (typeof container.image !== 'string' || typeof previous !== 'string') {
      reasons.push(`the image of container ${name} is not a string`);
      continue;
    }
    const a = imageParts(previous);
    const b = imageParts(container.image);
    if (a.repository !== b.repository) reasons.push(`changes the image repository of container ${name} from ${a.repository} to ${b.repository}`);
    if (!b.digest && (!b.tag || b.tag.toLowerCase() === 'latest')) reasons.push(`container ${name} would run ${container.image}, which names no particular build`);
  }
  return reasons;
}

/** Env vars that steer loading or trust may not appear or change, whatever the action. */
function envReasons(before: unknown, after: unknown): string[] {
  const was = new Map(allContainers(podSpecOf(before)).map((c) => [`${c.list}/${c.name}`, asList(c.container.env).map(asObject)]));
  const reasons: string[] = [];
  for (const { list, name, container } of allContainers(podSpecOf(after))) {
    for (const item of asList(container.env).map(asObject)) {
      const envName = display(item.name) ?? '';
      if (!isInjectionVector(envName)) continue;
      const same = (was.get(`${list}/${name}`) ?? []).some((e) => sameObject(e, item));
      if (!same) reasons.push(`sets env var ${envName} of container ${name}, which changes what the process loads or trusts`);
    }
  }
  return reasons;
}
