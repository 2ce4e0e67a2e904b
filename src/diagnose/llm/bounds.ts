// The action schema bounds each parameter on its own; these bounds need the workload's
// spec (the guard enforces them again against Git). Checked here too, so that a model's
// out-of-bounds answer gets its one repair with a precise reason, and never leaves as
// the diagnosis.
import type { V1Container, V1PodTemplateSpec } from '@kubernetes/client-node';
import { parseQuantity } from '../../k8s/quantity.ts';
import { DEFAULT_MEMORY_CAP } from '../oom-analyzer.ts';
import type { RemedyAction } from '../remedy-action.ts';

/** The most CPU any automatic fix may give one container. */
export const DEFAULT_CPU_CAP = '4';

export interface BoundsContext {
  template?: V1PodTemplateSpec;
  memoryCap?: string;
  cpuCap?: string;
}

function containersOf(template: V1PodTemplateSpec | undefined): V1Container[] {
  return [...(template?.spec?.containers ?? []), ...(template?.spec?.initContainers ?? [])];
}

/** Sentences naming the field, in the form the repair prompt quotes; empty when within bounds. */
export function boundsProblems(action: RemedyAction, ctx: BoundsContext): string[] {
  const problems: string[] = [];
  const containers = containersOf(ctx.template);
  const container = 'container' in action ? containers.find((c) => c.name === action.container) : undefined;
  if ('container' in action && containers.length > 0 && !container) {
    problems.push(`answer.action.container: the pod template has no container named ${JSON.stringify(action.container).slice(0, 80)}`);
  }
  const cap = (resource: 'memory' | 'cpu') => (resource === 'memory' ? (ctx.memoryCap ?? DEFAULT_MEMORY_CAP) : (ctx.cpuCap ?? DEFAULT_CPU_CAP));
  const overCap = (field: string, resource: 'memory' | 'cpu', value: string) => {
    if ((parseQuantity(value) ?? Infinity) > (parseQuantity(cap(resource)) ?? Infinity)) problems.push(`answer.action.${field}: ${value} is over the cap of ${cap(resource)}`);
  };
  if (action.type === 'raiseResource') {
    overCap('value', action.resource, action.value);
    const declared = container?.resources?.[action.field]?.[action.resource];
    const current = parseQuantity(declared);
    const next = parseQuantity(action.value);
    if (current !== undefined && next !== undefined && current > 0) {
      if (next <= current) problems.push(`answer.action.value: ${action.value} does not raise the current ${declared}`);
      else if (next > 2 * current) problems.push(`answer.action.value: ${action.value} is more than twice the current ${declared}`);
    }
  }
  if (action.type === 'fitRequests') {
    if (action.cpu) overCap('cpu', 'cpu', action.cpu);
    if (action.memory) overCap('memory', 'memory', action.memory);
  }
  return problems;
}
