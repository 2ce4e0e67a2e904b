// Alertmanager's webhook payload (version 4, https://prometheus.io/docs/alerting/latest/configuration/#webhook_config)
// and how one alert names a workload and a failure class.
import { z } from 'zod';
import { METRIC_CLASSES } from '../api/aegis-watch.ts';
import type { SignalClass } from '../api/healing-incident.ts';

const Labels = z.record(z.string(), z.string());

export const AlertmanagerAlert = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: Labels,
  annotations: Labels.default({}),
  startsAt: z.string(),
  endsAt: z.string().optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().optional(),
});
export type AlertmanagerAlert = z.output<typeof AlertmanagerAlert>;

export const AlertmanagerPayload = z.object({
  version: z.string(),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string().optional(),
  groupKey: z.string().optional(),
  alerts: z.array(AlertmanagerAlert).max(1000),
});
export type AlertmanagerPayload = z.output<typeof AlertmanagerPayload>;

/** What an alert is about, before the cluster is asked which workload that is. */
export interface AlertSubject {
  namespace: string;
  /** A workload named by the alert's labels (kube-state-metrics style), with its kind when the label says it. */
  workload?: { kind?: 'Deployment' | 'StatefulSet' | 'DaemonSet'; name: string };
  pod?: string;
  container?: string;
  class: SignalClass;
  customClass?: string;
  alertname: string;
}

const KIND_LABELS = [['deployment', 'Deployment'], ['statefulset', 'StatefulSet'], ['daemonset', 'DaemonSet']] as const;

/**
 * The subject of one alert, or why it has none. The class comes from a `signal_class`
 * label when there is one (a known class, or any CamelCase name as a custom class), else
 * from words in the alert's name; an alert that names no namespace cannot be placed.
 */
export function alertSubject(alert: AlertmanagerAlert): AlertSubject | { ignored: string } {
  const { labels } = alert;
  const alertname = labels.alertname ?? 'unnamed';
  const namespace = labels.namespace;
  if (!namespace) return { ignored: `alert ${alertname} has no namespace label` };
  const kindLabel = KIND_LABELS.find(([label]) => labels[label]);
  const workload = kindLabel
    ? { kind: kindLabel[1], name: labels[kindLabel[0]] ?? '' }
    : labels.workload ? { name: labels.workload } : undefined;
  const pod = labels.pod || undefined;
  if (!workload && !pod) return { ignored: `alert ${alertname} names no workload or pod (labels deployment, statefulset, daemonset, workload or pod)` };
  const { signalClass, customClass } = classOf(labels.signal_class ?? labels.gopherguard_class, alertname);
  return {
    namespace, alertname, class: signalClass,
    ...(customClass ? { customClass } : {}),
    ...(workload ? { workload } : {}),
    ...(pod ? { pod } : {}),
    ...(labels.container ? { container: labels.container } : {}),
  };
}

const NAME_HINTS: Array<[RegExp, SignalClass]> = [
  [/error|5xx|fail/i, 'ErrorRate'],
  [/latency|slow|duration/i, 'Latency'],
  [/throttl|cpu/i, 'CpuThrottling'],
  [/memory|oom/i, 'MemorySaturation'],
];

function classOf(declared: string | undefined, alertname: string): { signalClass: SignalClass; customClass?: string } {
  if (declared && (METRIC_CLASSES as readonly string[]).includes(declared)) return { signalClass: declared as SignalClass };
  if (declared && /^[A-Z][A-Za-z0-9]{0,62}$/.test(declared)) return { signalClass: 'Custom', customClass: declared };
  const hinted = NAME_HINTS.find(([pattern]) => pattern.test(alertname));
  if (hinted) return { signalClass: hinted[1] };
  const camel = alertname.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase()).replace(/^[^A-Za-z]+/, '');
  const name = camel ? `${camel[0]?.toUpperCase()}${camel.slice(1)}`.slice(0, 63) : 'Alert';
  return { signalClass: 'Custom', customClass: name };
}
