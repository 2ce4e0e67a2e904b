import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { repoPath } from '../paths.ts';

/** How a release serves once it runs (a bug shipped in the image, not in the manifest). */
export interface ImageBehaviour {
  /** Share of requests answered 500, 0 to 1. */
  errorRate?: number;
  /** Seconds each request takes. */
  latencySeconds?: number;
}

/** The sandbox's image registry (sandbox/registry.json): what can be pulled, and how each image serves. */
export interface SimRegistry {
  images: ReadonlySet<string>;
  behaviours: ReadonlyMap<string, ImageBehaviour>;
}

const Behaviour = z.object({
  errorRate: z.number().min(0).max(1).optional(),
  latencySeconds: z.number().positive().optional(),
}).strict();

const RegistryFile = z.object({
  images: z.array(z.string()),
  // Keys starting with $ are comments.
  behaviours: z.record(z.string(), z.unknown()).optional(),
});

export function loadRegistry(file = repoPath('sandbox', 'registry.json')): SimRegistry {
  const parsed = RegistryFile.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file} is not a valid registry: ${z.prettifyError(parsed.error)}`);
  const behaviours = new Map<string, ImageBehaviour>();
  for (const [image, value] of Object.entries(parsed.data.behaviours ?? {})) {
    if (image.startsWith('$')) continue;
    const behaviour = Behaviour.safeParse(value);
    if (!behaviour.success) throw new Error(`${file}: behaviours["${image}"] is not valid: ${z.prettifyError(behaviour.error)}`);
    behaviours.set(image, behaviour.data);
  }
  return { images: new Set(parsed.data.images), behaviours };
}
