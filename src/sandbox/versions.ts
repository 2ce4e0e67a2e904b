import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { repoPath } from './paths.ts';

/** The pinned versions of every component the sandbox runs (sandbox/versions.json). */
export const SandboxVersions = z.object({
  kubernetes: z.string().regex(/^1\.\d+\.\d+$/, 'kubernetes must look like 1.36.3'),
  etcd: z.string().regex(/^3\.\d+\.\d+$/, 'etcd must look like 3.6.9'),
  kwok: z.string().regex(/^0\.\d+\.\d+$/, 'kwok must look like 0.8.0'),
  gitea: z.string().regex(/^1\.\d+\.\d+$/, 'gitea must look like 1.26.4'),
  // Their CRDs come with tier 2; the controllers are built and run in tier 3.
  fluxSourceController: z.string().regex(/^\d+\.\d+\.\d+$/, 'fluxSourceController must look like 1.9.1'),
  fluxKustomizeController: z.string().regex(/^\d+\.\d+\.\d+$/, 'fluxKustomizeController must look like 1.9.4'),
  argocd: z.string().regex(/^[1-9]\d*\.\d+\.\d+$/, 'argocd must look like 3.5.1'),
});
export type SandboxVersions = z.infer<typeof SandboxVersions>;
export type VersionKey = keyof SandboxVersions;

export function loadVersions(file = repoPath('sandbox', 'versions.json')): SandboxVersions {
  const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const parsed = SandboxVersions.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`${file} is not a valid versions file: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}
