// Finding where a workload's truth lives in Git, and which file and field declare a value.
export { locateSource, type SourceInputs } from './locate-source.ts';
export { SourceError, type GitSource, type HelmSettings, type EngineOverrides, type SourceKind } from './git-source.ts';
export type { ArgoApplicationObject, FluxGitRepositoryObject, FluxKustomizationObject } from './gitops-objects.ts';
export { locateField, detectKind } from './locate-field.ts';
export type { FileChange, Location } from './location.ts';
export { memoryTree, folderFiles, cachedTree, type RepoTree } from './repo-tree.ts';
