export { resolveComponent, BinaryNotUsableError, type ResolvedComponent, type ResolveOptions } from './resolve.ts';
export { COMPONENTS, type ComponentName } from './recipes.ts';
export { formatDuration, type Report } from './go-command.ts';
