// The parts of GitLab's REST answers (API v4) that we read. Unknown fields are dropped.
import { z } from 'zod';

export const MergeRequest = z.object({
  iid: z.number(),
  web_url: z.string(),
  state: z.string(),
  title: z.string(),
  description: z.string().nullish(),
  source_branch: z.string(),
  target_branch: z.string(),
  sha: z.string().nullish(),
  labels: z.array(z.string()).default([]),
  source_project_id: z.number().optional(),
  target_project_id: z.number().optional(),
  draft: z.boolean().optional(),
  has_conflicts: z.boolean().optional(),
  merge_status: z.string().optional(),
  detailed_merge_status: z.string().optional(),
  merge_commit_sha: z.string().nullish(),
  squash_commit_sha: z.string().nullish(),
});
export type MergeRequest = z.output<typeof MergeRequest>;

export const MergeRequests = z.array(MergeRequest);

export const RepositoryFile = z.object({
  encoding: z.string(),
  content: z.string(),
  blob_id: z.string(),
  last_commit_id: z.string().optional(),
});

export const TreeItem = z.object({ name: z.string(), path: z.string(), type: z.string() });
export const TreeItems = z.array(TreeItem);

export const Project = z.object({ default_branch: z.string().min(1) });

export const Branch = z.object({ name: z.string(), commit: z.object({ id: z.string() }) });

export const Commit = z.object({ id: z.string(), parent_ids: z.array(z.string()).nullish() });
export const CommitDiff = z.array(z.object({
  old_path: z.string(), new_path: z.string(), new_file: z.boolean(), deleted_file: z.boolean(), renamed_file: z.boolean(),
}));
