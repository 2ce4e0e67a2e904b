// The parts of Gitea's (and Forgejo's) REST answers (/api/v1) that we read.
import { z } from 'zod';

const BranchInfo = z.object({ ref: z.string(), sha: z.string().default(''), repo_id: z.number().optional() });

export const PullRequest = z.object({
  number: z.number(),
  html_url: z.string(),
  state: z.string(),
  title: z.string(),
  body: z.string().nullish(),
  merged: z.boolean().default(false),
  mergeable: z.boolean().default(false),
  draft: z.boolean().optional(),
  merge_commit_sha: z.string().nullish(),
  head: BranchInfo,
  base: BranchInfo,
  labels: z.array(z.object({ name: z.string() })).nullish(),
});
export type PullRequest = z.output<typeof PullRequest>;
export const PullRequests = z.array(PullRequest);

export const ContentEntry = z.object({
  name: z.string(),
  path: z.string(),
  type: z.string(),
  sha: z.string(),
  encoding: z.string().nullish(),
  content: z.string().nullish(),
});
export type ContentEntry = z.output<typeof ContentEntry>;
/** A file answers with one entry, a directory with a list. */
export const Contents = z.union([ContentEntry, z.array(ContentEntry)]);

export const Blob = z.object({ content: z.string(), encoding: z.string().nullish() });

export const Commit = z.object({
  sha: z.string(),
  parents: z.array(z.object({ sha: z.string() })).nullish(),
  files: z.array(z.object({ filename: z.string(), status: z.string() })).nullish(),
});

export const Repository = z.object({ default_branch: z.string().min(1) });

export const Branch = z.object({ name: z.string(), commit: z.object({ id: z.string() }) });

export const Label = z.object({ id: z.number(), name: z.string() });
export const Labels = z.array(Label);

export const FilesResponse = z.object({ commit: z.object({ sha: z.string() }) });
