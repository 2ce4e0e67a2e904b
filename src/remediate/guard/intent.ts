// Each action's own conditions on the values it writes: the allow-list says where a
// change may be, this says what it may be (the action's value, from history, lower, ...).
import type { V1Probe } from '@kubernetes/client-node';
import { PROBE_FIELD } from '../../diagnose/probes.ts';
import type { RemedyAction } from '../../diagnose/remedy-action.ts';
import { parseQuantity } from '../../k8s/quantity.ts';
import { revertPath } from './allow-list.ts';
import { atMost, quantityOf } from './bounds.ts';
import { isInjectionVector } from './env-names.ts';
import { hadDisplayed, historyEnv, historyTags, type RevisionIndex } from './history.ts';
import { imageParts } from './images.ts';
import { display, flatten, PathError, sameObject } from './json-paths.ts';
import { asList, asObject, containerNamed, isObject } from './workload.ts';

export interface IntentInput {
  action: RemedyAction;
  before: unknown;
  after: unknown;
  history: RevisionIndex;
  knownGoodTags: readonly string[];
}

const HANDLERS = ['httpGet', 'tcpSocket', 'grpc', 'exec'] as const;

export function intentReasons(input: IntentInput): string[] {
  const { action, before, after } = input;
  if (action.type === 'none' || action.type === 'revertCommit') return [];
  if (action.type === 'revertField') return revertField(action, after, input.history);
  const was = containerNamed(before, action.container);
  const now = containerNamed(after, action.container);
  if (!was || !now) return [`there is not exactly one container ${action.container} to change`];
  switch (action.type) {
    case 'raiseResource': {
      const what = `the ${action.resource} ${action.field === 'limits' ? 'limit' : 'request'} of container ${action.container}`;
      const value = quantityOf(after, action.container, action.field, action.resource);
      const reasons = sameQuantity(value, action.value) ? [] : [`sets ${what} to ${display(value) ?? '(none)'}, not to ${action.value} as the action says`];
      const previous = parseQuantity(quantityOf(before, action.container, action.field, action.resource) as string | undefined);
      const next = parseQuantity(action.value);
      if (previous !== undefined && next !== undefined && next < previous) reasons.push(`lowers ${what}: raiseResource only raises`);
      return reasons;
    }
    case 'fitRequests':
      return (['cpu', 'memory'] as const).flatMap((resource) => {
        const wanted = action[resource];
        if (wanted === undefined) return [];
        const what = `the ${resource} request of container ${action.container}`;
        const value = quantityOf(after, action.container, 'requests', resource);
        if (!sameQuantity(value, wanted)) return [`sets ${what} to ${display(value) ?? '(none)'}, not to ${wanted} as the action says`];
        // Without a request the scheduler reserves the limit: that is what a fit may lower.
        const effective = quantityOf(before, action.container, 'requests', resource) ?? quantityOf(before, action.container, 'limits', resource);
        const bound = parseQuantity(effective as string | undefined);
        if (bound === undefined) return [`container ${action.container} has no ${resource} request or limit to fit: fitRequests only lowers requests`];
        return atMost(parseQuantity(wanted) ?? Infinity, bound) ? [] : [`raises ${what} from ${String(effective)} to ${wanted}: fitRequests only lowers requests`];
      });
    case 'setImageTag':
      return imageTag(action, was, now, input);
    case 'fixProbe': {
      const probe = asObject(now[PROBE_FIELD[action.probe]]);
      const reasons: string[] = [];
      // A fix changes the probe's endpoint or timings, never what kind of check it is.
      const kinds = (p: unknown) => HANDLERS.filter((h) => asObject(p)[h] !== undefined).join(',');
      if (kinds(probe) !== kinds(was[PROBE_FIELD[action.probe]])) reasons.push(`changes what kind of check the ${action.probe} probe of container ${action.container} is`);
      const expect = (field: string, actual: unknown, wanted: unknown) => {
        if (wanted !== undefined && actual !== wanted) reasons.push(`sets the ${action.probe} probe's ${field} of container ${action.container} to ${display(actual) ?? '(none)'}, not ${String(wanted)}`);
      };
      const handler = asObject(probe.httpGet ?? probe.tcpSocket ?? probe.grpc);
      expect('port', handler.port, action.port);
      expect('path', asObject(probe.httpGet).path, action.path);
      expect('initialDelaySeconds', probe.initialDelaySeconds, action.initialDelaySeconds);
      expect('timeoutSeconds', probe.timeoutSeconds, action.timeoutSeconds);
      expect('failureThreshold', probe.failureThreshold, action.failureThreshold);
      return reasons;
    }
    case 'addStartupProbe': {
      const probe = now.startupProbe;
      if (!isObject(probe)) return [`container ${action.container} has no startup probe after the change`];
      const handler = (p: unknown) => Object.fromEntries(HANDLERS.filter((h) => isObject(p) && p[h] !== undefined).map((h) => [h, asObject(p)[h]]));
      const sources = [was.startupProbe, was.livenessProbe, was.readinessProbe].filter(isObject);
      const reasons: string[] = [];
      if (!sources.some((source) => sameObject(handler(source), handler(probe)))) {
        reasons.push(`the startup probe of container ${action.container} does not ask what its liveness or readiness probe asks`);
      }
      const p = probe as V1Probe;
      const total = (p.initialDelaySeconds ?? 0) + (p.periodSeconds ?? 10) * (p.failureThreshold ?? 3);
      if (total < action.startupSeconds) reasons.push(`the startup probe of container ${action.container} waits ${total} s, less than the ${action.startupSeconds} s the action asks for`);
      return reasons;
    }
    case 'restoreEnv':
      return restoreEnv(action, now, input.history);
  }
}

function sameQuantity(value: unknown, wanted: string): boolean {
  const a = typeof value === 'string' || typeof value === 'number' ? parseQuantity(value) : undefined;
  const b = parseQuantity(wanted);
  return a !== undefined && b !== undefined && atMost(a, b) && atMost(b, a);
}

function imageTag(action: Extract<RemedyAction, { type: 'setImageTag' }>, was: Record<string, unknown>, now: Record<string, unknown>, input: IntentInput): string[] {
  const reasons: string[] = [];
  if (action.tag.toLowerCase() === 'latest') reasons.push('sets the tag latest, which names no particular build');
  const parts = imageParts(String(now.image));
  if (parts.tag !== action.tag || parts.digest !== undefined) reasons.push(`sets the image of container ${action.container} to ${String(now.image)}, not to tag ${action.tag} as the action says`);
  const repository = imageParts(String(was.image)).repository;
  if (!historyTags(input.history, action.container, repository).has(action.tag) && !input.knownGoodTags.includes(action.tag)) {
    reasons.push(`tag ${action.tag} of ${repository} was never run by an earlier revision and is not marked known-good`);
  }
  return reasons;
}

function restoreEnv(action: Extract<RemedyAction, { type: 'restoreEnv' }>, now: Record<string, unknown>, history: RevisionIndex): string[] {
  if (isInjectionVector(action.name)) return [`env var ${action.name} changes what the process loads or trusts; it is never restored`];
  const items = asList(now.env).map(asObject).filter((e) => e.name === action.name);
  if (items.length !== 1) return [`container ${action.container} has ${items.length} env vars named ${action.name} after the change`];
  const [item] = items;
  const earlier = historyEnv(history, action.container, action.name);
  if (action.value !== undefined) {
    const reasons = sameObject(item, { name: action.name, value: action.value }) ? [] : [`env var ${action.name} is not set to the action's value alone`];
    if (!earlier.some((e) => e.value === action.value)) reasons.push(`no earlier revision set env var ${action.name} of container ${action.container} to that value`);
    return reasons;
  }
  return earlier.some((e) => sameObject(e, item)) ? [] : [`env var ${action.name} is not restored as an earlier revision had it`];
}

function revertField(action: Extract<RemedyAction, { type: 'revertField' }>, after: unknown, history: RevisionIndex): string[] {
  let path: string;
  try {
    path = revertPath(action.path);
  } catch (error) {
    if (error instanceof PathError) return [`revert path ${action.path} is malformed: ${error.message}`];
    throw error;
  }
  const reasons: string[] = [];
  if (display(flatten(after).get(path)) !== action.value) reasons.push(`${path} is not set to the value the revert names`);
  if (!hadDisplayed(history, path, action.value)) reasons.push(`no earlier revision had that value at ${path}: a revert restores only values from history`);
  return reasons;
}
