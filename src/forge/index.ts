export type {
  CommitFilesInput, CommitResult, CreatePullRequestInput, CreatePullRequestResult, FileChange, FileContent, FindPullRequestInput, Forge,
  ForgeKind, ForgeLog, MergeMethod, MergeResult, Mergeability, MergeabilityOptions, PullRequest, PullRequestState, RepoRef, TreeEntry,
  UpdatePullRequestInput,
} from './types.ts';
export { createForge, forgeForRepo, type ForgeOptions, type ForgeForRepoOptions } from './create-forge.ts';
export { parseRepoUrl, guessForgeKind, redactUrl, RepoUrlError, type ParseRepoUrlOptions } from './repo-url.ts';
export { ForgeError, isForgeError, scrubSecrets, type ForgeErrorCode } from './errors.ts';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.ts';
export { openRepoTree, repoTreeAt, type RepoTree } from './repo-tree.ts';
export { gitBlobSha } from './git-blob.ts';
export { githubAppToken, type GitHubAppCredentials } from './github/app-token.ts';
