export { API_VERSION, GROUP, VERSION, type Condition, type LabelSelector, type ParseResult, type PrinterColumn, type ResourceDefinition, type SecretKeyRef } from './common.ts';
export {
  AEGIS_WATCH,
  AegisWatchSpec,
  AegisWatchStatus,
  MODES,
  NOTIFICATION_EVENTS,
  WORKLOAD_KINDS,
  type AegisWatch,
  type AegisWatchSpecInput,
  type Detectors,
  type Mode,
  type Notification,
  type WorkloadKind,
} from './aegis-watch.ts';
export {
  HEALING_INCIDENT,
  HealingIncidentSpec,
  HealingIncidentStatus,
  INCIDENT_PHASES,
  SIGNAL_CLASSES,
  type Diagnosis,
  type Evidence,
  type HealingIncident,
  type IncidentPhase,
  type Proposal,
  type PullRequest,
  type SignalClass,
  type Verification,
} from './healing-incident.ts';
export { CRD_HEADER, RESOURCES, crdFiles, crdFor, parseAegisWatch, parseHealingIncident, renderCrd, renderCrds, type CustomResourceDefinition } from './crd.ts';
