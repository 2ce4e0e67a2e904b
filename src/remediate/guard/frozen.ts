// Fields no action may change: who the workload is, where it runs, what it runs as and
// with, and what it mounts. The allow-list would refuse them too; naming them here gives
// the person reading the rejection the real reason. Only command and args may go back to
// a value from history (a revert of a bad command change).

interface FrozenField {
  pattern: RegExp;
  what: string;
  /** A revert may restore a value from history. */
  revertible?: boolean;
}

const T = String.raw`^spec\.template\.spec`;
const C = String.raw`${T}\.containers\[[^\]]+\]`;

const FROZEN: readonly FrozenField[] = [
  { pattern: /^(kind|apiVersion)$/, what: 'the kind' },
  { pattern: /^metadata\.name$/, what: 'the name' },
  { pattern: /^metadata\.namespace$/, what: 'the namespace' },
  { pattern: /^(metadata\.labels|spec\.selector|spec\.template\.metadata\.labels)\b/, what: 'labels and selectors' },
  { pattern: new RegExp(String.raw`${T}\.(serviceAccountName|serviceAccount|automountServiceAccountToken)$`), what: 'the service account' },
  { pattern: new RegExp(String.raw`${T}\.(volumes|imagePullSecrets)\b`), what: 'volumes and pull secrets' },
  { pattern: new RegExp(String.raw`${T}\.(initContainers|ephemeralContainers)\b`), what: 'init and ephemeral containers' },
  {
    pattern: new RegExp(String.raw`${T}\.(nodeName|nodeSelector|tolerations|affinity|topologySpreadConstraints|schedulerName|priorityClassName|runtimeClassName|resourceClaims|overhead|os)\b`),
    what: 'where and how the pod is scheduled',
  },
  { pattern: new RegExp(String.raw`${T}\.(hostAliases|dnsPolicy|dnsConfig|hostname|subdomain|setHostnameAsFQDN)\b`), what: 'name resolution' },
  { pattern: new RegExp(String.raw`${T}\.containers\[[^\]]+\]\.name$`), what: 'the set of containers' },
  { pattern: new RegExp(String.raw`${C}\.(command|args)$`), what: 'the command', revertible: true },
  { pattern: new RegExp(String.raw`${C}\.(workingDir|lifecycle|envFrom|volumeMounts|volumeDevices|stdin|stdinOnce|tty)\b`), what: 'what the container runs with' },
];

/** What the path changes that may never change, and whether a revert may restore it. */
export function frozenField(path: string): { what: string; revertible: boolean } | undefined {
  const found = FROZEN.find((f) => f.pattern.test(path));
  return found && { what: found.what, revertible: found.revertible ?? false };
}
