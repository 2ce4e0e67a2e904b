// Redaction: nothing leaves the process (prompt, PR body, notification, dashboard, logs)
// before it has been through here.
export { Redactor, type RedactionResult, type RedactorOptions } from './redactor.ts';
export { redactObject, SECRET_ENV_NAME, type ObjectRedaction, type TextRedactor } from './structural.ts';
export { Anonymizer, type NameKind } from './anonymizer.ts';
export { RedactionTally } from './tally.ts';
export { defaultRuleSet, type RuleSet } from './rule-set.ts';
