import assert from 'node:assert/strict';
import { test } from 'node:test';
import { securityLoosening, securityPosture } from './security.ts';

const workload = (spec: Record<string, unknown>, container: Record<string, unknown> = {}, annotations?: Record<string, string>) => ({
  kind: 'Deployment',
  spec: { template: { metadata: { annotations }, spec: { ...spec, containers: [{ name: 'app', image: 'x:1', ...container }] } } },
});

test('baseline dangers are found in pod, container and annotations', () => {
  const posture = securityPosture(workload(
    { hostNetwork: true, hostPID: 'true', volumes: [{ name: 'root', hostPath: { path: '/' } }, { name: 'nfs', nfs: { server: 'x', path: '/' } }], securityContext: { sysctls: [{ name: 'kernel.msgmax', value: '1' }] } },
    { ports: [{ containerPort: 80, hostPort: 80 }], securityContext: { privileged: true, capabilities: { add: ['cap_sys_admin'] }, procMount: 'Unmasked', seccompProfile: { type: 'Unconfined' }, seLinuxOptions: { type: 'spc_t' }, runAsUser: 0 } },
    { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' },
  ));
  assert.deepEqual([...posture.dangers].sort(), [
    'container app: AppArmor unconfined',
    'container app: SELinux type spc_t',
    'container app: capability SYS_ADMIN',
    'container app: hostPort 80',
    'container app: privileged',
    'container app: procMount Unmasked',
    'container app: runAsUser 0 (root)',
    'container app: seccomp profile Unconfined',
    'pod: hostNetwork',
    'pod: hostPID',
    'pod: hostPath volume root (/)',
    'pod: nfs volume nfs',
    'pod: sysctl kernel.msgmax=1',
  ]);
});

test('a lost protection loosens as much as a new danger; settings kept as they were do not', () => {
  const restricted = { securityContext: { runAsNonRoot: true, runAsUser: 1000, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } } };
  const before = workload({}, restricted);
  assert.deepEqual(securityLoosening(before, workload({}, restricted)), []);
  assert.deepEqual(securityLoosening(before, workload({}, { securityContext: { ...restricted.securityContext, capabilities: {} } })), ['loosens security: removes container app: drop of capability ALL']);
  assert.deepEqual(securityLoosening(before, workload({}, { securityContext: { ...restricted.securityContext, allowPrivilegeEscalation: true } })), [
    'loosens security: adds container app: allowPrivilegeEscalation true',
    'loosens security: removes container app: allowPrivilegeEscalation false',
  ]);
  // A danger already there is not this change's doing (the guard does not block fixes of insecure apps).
  const privileged = workload({ hostNetwork: true }, { securityContext: { privileged: true } });
  assert.deepEqual(securityLoosening(privileged, structuredClone(privileged)), []);
});
