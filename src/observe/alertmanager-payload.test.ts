import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AlertmanagerPayload, alertSubject } from './alertmanager-payload.ts';

const alert = (labels: Record<string, string>) => ({ status: 'firing' as const, labels, annotations: {}, startsAt: '2026-11-26T10:00:00Z' });

test('an alert names its workload by a kind label, a workload label or its pod; its class by signal_class', () => {
  assert.deepEqual(alertSubject(alert({ alertname: 'HighErrorRate', namespace: 'shop', pod: 'web-1-abcde', signal_class: 'ErrorRate' })),
    { namespace: 'shop', alertname: 'HighErrorRate', class: 'ErrorRate', pod: 'web-1-abcde' });
  assert.deepEqual(alertSubject(alert({ alertname: 'KubeDeploymentSlow', namespace: 'shop', deployment: 'web', container: 'app' })),
    { namespace: 'shop', alertname: 'KubeDeploymentSlow', class: 'Latency', workload: { kind: 'Deployment', name: 'web' }, container: 'app' });
  assert.deepEqual(alertSubject(alert({ alertname: 'Backlog', namespace: 'shop', workload: 'web', signal_class: 'QueueBacklog' })),
    { namespace: 'shop', alertname: 'Backlog', class: 'Custom', customClass: 'QueueBacklog', workload: { name: 'web' } });
});

test('without signal_class the alert\'s name decides: known words, else a custom class of its name', () => {
  const classOf = (alertname: string) => {
    const s = alertSubject(alert({ alertname, namespace: 'shop', pod: 'p' }));
    return 'ignored' in s ? s.ignored : `${s.class}${s.customClass ? `/${s.customClass}` : ''}`;
  };
  assert.equal(classOf('CPUThrottlingHigh'), 'CpuThrottling');
  assert.equal(classOf('KubeContainerMemoryNearLimit'), 'MemorySaturation');
  assert.equal(classOf('HTTP5xxBurst'), 'ErrorRate');
  assert.equal(classOf('disk_almost_full'), 'Custom/DiskAlmostFull');
});

test('an alert with no namespace, or with no workload and no pod, is ignored with the reason', () => {
  assert.deepEqual(alertSubject(alert({ alertname: 'Watchdog' })), { ignored: 'alert Watchdog has no namespace label' });
  assert.match((alertSubject(alert({ alertname: 'NodeDown', namespace: 'kube-system' })) as { ignored: string }).ignored, /names no workload or pod/);
});

test('the payload schema takes Alertmanager\'s version 4 body and refuses others', () => {
  const body = { version: '4', status: 'firing', receiver: 'gopherguard', groupKey: '{}:{}', truncatedAlerts: 0, groupLabels: {}, commonLabels: {}, commonAnnotations: {}, externalURL: 'http://am',
    alerts: [{ ...alert({ alertname: 'A', namespace: 'n', pod: 'p' }), endsAt: '0001-01-01T00:00:00Z', generatorURL: 'http://prom/graph', fingerprint: 'abc' }] };
  assert.equal(AlertmanagerPayload.safeParse(body).success, true);
  assert.equal(AlertmanagerPayload.safeParse({ text: 'hello' }).success, false);
});
