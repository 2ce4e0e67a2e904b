import { createHash } from 'node:crypto';

import type { SignalClass } from '../api/healing-incident.ts';

export type { SignalClass };

export interface WorkloadRef {
  kind: string;
  namespace: string;
  name: string;
}

/** One observed failure of one workload (and container), with what was seen. */
export interface Signal {
  class: SignalClass;
  /** With class Custom: the class a user's metric rule named. */
  customClass?: string;
  workload: WorkloadRef;
  container?: string;
  /** The pod (or object) it was seen on. */
  object: { kind: string; name: string };
  reason?: string;
  message?: string;
  exitCode?: number;
  restartCount?: number;
  observedAt: string;
}

/**
 * The identity of an incident: the same workload, container and class always fold into
 * one HealingIncident, whichever pod showed it and however often the operator restarts.
 */
export function fingerprint(signal: Pick<Signal, 'class' | 'workload' | 'container' | 'customClass'>): string {
  const { kind, namespace, name } = signal.workload;
  // A custom class is appended only when present, so every other fingerprint stays as it was.
  const parts = [namespace, kind, name, signal.container ?? '', signal.class, ...(signal.customClass ? [signal.customClass] : [])];
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16);
}

/** A valid, readable, deterministic object name: <workload>-<class>-<fingerprint prefix>. */
export function incidentName(signal: Pick<Signal, 'class' | 'workload' | 'container' | 'customClass'>): string {
  const label = (signal.class === 'Custom' && signal.customClass ? signal.customClass : signal.class).toLowerCase().slice(0, 30);
  const suffix = `-${label}-${fingerprint(signal).slice(0, 8)}`;
  const base = signal.workload.name.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 63 - suffix.length).replace(/-+$/, '');
  return `${base}${suffix}`;
}
