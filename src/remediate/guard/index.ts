// The guard: the deterministic gate between a remedy and Git. checkChange is the policy
// (allow-listed paths per action, bounds, security, frozen fields, history), dryRunChange
// the API server's judgement, guardChange both in order.
export { applyAction, ApplyActionError, type ApplyOptions } from './apply-action.ts';
export { checkChange } from './check.ts';
export { dryRunChange, objectPath, type DryRunClient, type DryRunOptions, type DryRunVerdict } from './dry-run.ts';
export { guardChange, type GuardInput, type GuardVerdict } from './guard.ts';
export { securityPosture, type SecurityPosture } from './security.ts';
export { DEFAULT_GUARD_LIMITS, type ChangeHistory, type ChangeInput, type GuardLimits, type Revision, type Verdict, type Workload } from './types.ts';
