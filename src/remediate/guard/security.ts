// Pod security, after the Pod Security Standards (baseline and restricted profiles, as
// pod-security-admission's policy/check_*.go check them), written for one question: does
// the proposed object loosen anything the current one has? A setting that grants power
// (privileged, host namespaces, hostPath, added capabilities, root, Unconfined profiles,
// sysctls, ...) is a danger; one that takes power away (runAsNonRoot, dropped
// capabilities, allowPrivilegeEscalation false, RuntimeDefault seccomp, ...) a
// protection. A new danger or a lost protection rejects the change, whatever the action
// allows. Scopes are named ("container app"), so moving a setting is a change too.
import { allContainers, asList, asObject, isObject, podSpecOf, templateOf, type JsonObject } from './workload.ts';

export interface SecurityPosture {
  dangers: Set<string>;
  protections: Set<string>;
}

// Volume types the restricted profile allows; any other (hostPath above all) is a danger.
const RESTRICTED_VOLUMES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);
const PROFILES = new Set(['RuntimeDefault', 'Localhost']);

export function securityPosture(workload: unknown): SecurityPosture {
  const posture: SecurityPosture = { dangers: new Set(), protections: new Set() };
  const podSpec = podSpecOf(workload);
  pod(podSpec, posture);
  annotations(asObject(asObject(templateOf(workload).metadata).annotations), posture);
  for (const { list, name, container } of allContainers(podSpec)) {
    const scope = `${list === 'containers' ? 'container' : list.replace(/s$/, '')} ${name}`;
    securityContext(scope, asObject(container.securityContext), posture);
    for (const port of asList(container.ports)) {
      const hostPort = asObject(port).hostPort;
      if (hostPort !== undefined && hostPort !== null && hostPort !== 0) posture.dangers.add(`${scope}: hostPort ${String(hostPort)}`);
    }
  }
  return posture;
}

/** Why the change loosens security: new dangers and lost protections, each in a sentence. */
export function securityLoosening(before: unknown, after: unknown): string[] {
  const was = securityPosture(before);
  const now = securityPosture(after);
  const reasons: string[] = [];
  for (const danger of now.dangers) if (!was.dangers.has(danger)) reasons.push(`loosens security: adds ${danger}`);
  for (const protection of was.protections) if (!now.protections.has(protection)) reasons.push(`loosens security: removes ${protection}`);
  return reasons;
}

// Anything but an explicit false grants the power: a "true" string must not slip through.
function granted(value: unknown): boolean {
  return value !== undefined && value !== null && value !== false;
}

function pod(spec: JsonObject, posture: SecurityPosture): void {
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC', 'shareProcessNamespace']) {
    if (granted(spec[field])) posture.dangers.add(`pod: ${field}`);
  }
  if (spec.hostUsers === false) posture.protections.add('pod: hostUsers false (user namespace)');
  else if (spec.hostUsers !== undefined && spec.hostUsers !== true) posture.dangers.add(`pod: hostUsers ${String(spec.hostUsers)}`);
  for (const volume of asList(spec.volumes)) {
    const v = asObject(volume);
    const name = typeof v.name === 'string' ? v.name : '?';
    for (const type of Object.keys(v).filter((k) => k !== 'name')) {
      if (type === 'hostPath') posture.dangers.add(`pod: hostPath volume ${name} (${String(asObject(v.hostPath).path)})`);
      else if (!RESTRICTED_VOLUMES.has(type)) posture.dangers.add(`pod: ${type} volume ${name}`);
    }
  }
  const context = asObject(spec.securityContext);
  for (const sysctl of asList(context.sysctls)) {
    const s = asObject(sysctl);
    posture.dangers.add(`pod: sysctl ${String(s.name)}=${String(s.value)}`);
  }
  for (const group of asList(context.supplementalGroups)) if (group === 0) posture.dangers.add('pod: supplemental group 0');
  if (context.fsGroup === 0) posture.dangers.add('pod: fsGroup 0');
  securityContext('pod', context, posture);
}

/** The fields pod and container security contexts share, and the container-only ones. */
function securityContext(scope: string, context: JsonObject, posture: SecurityPosture): void {
  const { dangers, protections } = posture;
  if (granted(context.privileged)) dangers.add(`${scope}: privileged`);
  if (context.allowPrivilegeEscalation === false) protections.add(`${scope}: allowPrivilegeEscalation false`);
  else if (granted(context.allowPrivilegeEscalation)) dangers.add(`${scope}: allowPrivilegeEscalation true`);
  if (context.readOnlyRootFilesystem === true) protections.add(`${scope}: readOnlyRootFilesystem`);
  if (context.runAsNonRoot === true) protections.add(`${scope}: runAsNonRoot`);
  else if (context.runAsNonRoot !== undefined && context.runAsNonRoot !== null) dangers.add(`${scope}: runAsNonRoot ${String(context.runAsNonRoot)}`);
  for (const field of ['runAsUser', 'runAsGroup']) {
    const id = context[field];
    if (id === undefined || id === null) continue;
    if (Number.isInteger(id) && (id as number) > 0) protections.add(`${scope}: non-root ${field}`);
    else dangers.add(`${scope}: ${field} ${String(id)}${id === 0 ? ' (root)' : ''}`);
  }
  if (context.procMount !== undefined && context.procMount !== 'Default') dangers.add(`${scope}: procMount ${String(context.procMount)}`);
  if (granted(asObject(context.windowsOptions).hostProcess)) dangers.add(`${scope}: Windows hostProcess`);
  profile(scope, 'seccomp', context.seccompProfile, posture);
  profile(scope, 'AppArmor', context.appArmorProfile, posture);
  const selinux = asObject(context.seLinuxOptions);
  if (selinux.user !== undefined || selinux.role !== undefined) dangers.add(`${scope}: SELinux user or role`);
  if (selinux.type !== undefined && !SELINUX_TYPES.has(String(selinux.type))) dangers.add(`${scope}: SELinux type ${String(selinux.type)}`);
  const capabilities = asObject(context.capabilities);
  // Any added capability is new power, even one from the runtime's default set.
  for (const cap of asList(capabilities.add)) dangers.add(`${scope}: capability ${capability(cap)}`);
  for (const cap of asList(capabilities.drop)) protections.add(`${scope}: drop of capability ${capability(cap)}`);
}

function profile(scope: string, what: string, value: unknown, posture: SecurityPosture): void {
  if (!isObject(value)) return;
  const type = String(value.type);
  if (PROFILES.has(type)) posture.protections.add(`${scope}: ${what} profile ${type}${value.localhostProfile ? ` ${String(value.localhostProfile)}` : ''}`);
  else posture.dangers.add(`${scope}: ${what} profile ${type}`);
}

function capability(value: unknown): string {
  return String(value).toUpperCase().replace(/^CAP_/, '');
}

// The annotations that set AppArmor and seccomp before the fields existed (still honoured).
function annotations(map: JsonObject, posture: SecurityPosture): void {
  for (const [key, value] of Object.entries(map)) {
    const apparmor = /^container\.apparmor\.security\.beta\.kubernetes\.io\/(.+)$/.exec(key);
    if (apparmor) {
      if (value === 'runtime/default' || String(value).startsWith('localhost/')) posture.protections.add(`container ${apparmor[1]}: AppArmor ${String(value)}`);
      else posture.dangers.add(`container ${apparmor[1]}: AppArmor ${String(value)}`);
    }
    const seccomp = /^(?:seccomp\.security\.alpha\.kubernetes\.io\/pod|container\.seccomp\.security\.alpha\.kubernetes\.io\/(.+))$/.exec(key);
    if (seccomp) {
      const scope = seccomp[1] ? `container ${seccomp[1]}` : 'pod';
      if (value === 'unconfined') posture.dangers.add(`${scope}: seccomp unconfined (annotation)`);
      else posture.protections.add(`${scope}: seccomp ${String(value)} (annotation)`);
    }
  }
}
