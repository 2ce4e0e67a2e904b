// Turning a remedy action into byte-minimal, comment-preserving, proven edits of YAML in Git.
export { proposeEdit, type Proposal, type ProposeInput } from './propose-edit.ts';
export { planChange } from './plan-change.ts';
export type { ChangePlan, FieldChange, PlanResult } from './field-change.ts';
export { editFile, type FileEdit, type FileEditResult } from './file-edit.ts';
export { editYaml } from './yaml-edit.ts';
export { proveEdit } from './prove-edit.ts';
export { unifiedDiff } from './unified-diff.ts';
export { EditRefused, type EditOp } from './edit-op.ts';
export { parseFieldPath, formatPath, type Step } from './path.ts';
export type { Workload } from './workload.ts';
