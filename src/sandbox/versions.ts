import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { repoPath } from './paths.ts';

/** The pinned versions of every component the sandbox runs (sandbox/versions.json). */
export const SandboxVersions = z.object({
  kubernetes: z.string().regex(/^1\.\d+\.\d+$/, 'kubernetes must look like 1.36.3'),
  etcd: z.string().regex(/^3\.\d+\.\d+$/, 'etcd must look like 3.6.9'),
  kwok: z.string().regex(/^0\.\d+\.\d+$/, 'kwok must look like 0.8.0'),
});
export type SandboxVersions = z.infer<typeof SandboxVersions>;

export function loadVersions(file = repoPath('sandbox', 'versions.json')): SandboxVersions {
  const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const parsed = SandboxVersions.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`${file} is not a valid versions file: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}
