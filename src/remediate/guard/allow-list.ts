// The paths each action may change, and nothing else: the proof that only the intended
// fields changed. Paths are the diff's (spec.template.spec.containers[app].image), built
// with the same renderer, so a look-alike key cannot match.
import { PROBE_FIELD } from '../../diagnose/probes.ts';
import type { RemedyAction } from '../../diagnose/remedy-action.ts';
import type { LeafChange } from './diff.ts';
import { hadLeaf, type RevisionIndex } from './history.ts';
import { isSafeName, parsePath, PathError, renderPath, type Segment } from './json-paths.ts';

const TEMPLATE: readonly Segment[] = [{ key: 'spec' }, { key: 'template' }];
const STARTUP_KEYS = ['httpGet', 'tcpSocket', 'grpc', 'exec', 'initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'failureThreshold', 'successThreshold'];

/** The container's path in the workload, or undefined for a name a path cannot carry. */
export function containerPath(name: string): string | undefined {
  return isSafeName(name) ? renderPath([...TEMPLATE, { key: 'spec' }, { key: 'containers' }, { name }]) : undefined;
}

/** A revertField path (relative to the pod template) as the diff writes it. Throws PathError. */
export function revertPath(path: string): string {
  return renderPath([...TEMPLATE, ...parsePath(path)]);
}

export type Allowed = (change: LeafChange) => boolean;

export function allowList(action: RemedyAction, history: RevisionIndex): Allowed {
  const exactly = (paths: (string | undefined)[]): Allowed => {
    const set = new Set(paths.filter((p): p is string => p !== undefined));
    return (change) => set.has(change.path);
  };
  const c = 'container' in action ? containerPath(action.container) : undefined;
  if ('container' in action && c === undefined) return () => false;
  switch (action.type) {
    case 'none':
      return () => false;
    case 'raiseResource':
      return exactly([`${c}.resources.${action.field}.${action.resource}`]);
    case 'fitRequests':
      return exactly([action.cpu !== undefined ? `${c}.resources.requests.cpu` : undefined, action.memory !== undefined ? `${c}.resources.requests.memory` : undefined]);
    case 'setImageTag':
      return exactly([`${c}.image`]);
    case 'fixProbe': {
      const p = `${c}.${PROBE_FIELD[action.probe]}`;
      return exactly([
        ...(action.port !== undefined ? [`${p}.httpGet.port`, `${p}.tcpSocket.port`, `${p}.grpc.port`] : []),
        action.path !== undefined ? `${p}.httpGet.path` : undefined,
        action.initialDelaySeconds !== undefined ? `${p}.initialDelaySeconds` : undefined,
        action.timeoutSeconds !== undefined ? `${p}.timeoutSeconds` : undefined,
        action.failureThreshold !== undefined ? `${p}.failureThreshold` : undefined,
      ]);
    }
    case 'addStartupProbe': {
      const prefixes = STARTUP_KEYS.map((key) => `${c}.startupProbe.${key}`);
      return (change) => prefixes.some((p) => change.path === p || change.path.startsWith(`${p}.`) || change.path.startsWith(`${p}[`));
    }
    case 'restoreEnv': {
      if (!isSafeName(action.name)) return () => false;
      const prefix = `${c}.env[${action.name}]`;
      return (change) => change.path.startsWith(`${prefix}.`);
    }
    case 'revertField': {
      try {
        return exactly([revertPath(action.path)]);
      } catch (error) {
        if (error instanceof PathError) return () => false;
        throw error;
      }
    }
    case 'revertCommit':
      // A revert writes back what an earlier revision had, leaf by leaf, in the pod template only.
      return (change) => change.path.startsWith('spec.template.') && hadLeaf(history, change.path, change.after);
  }
}
