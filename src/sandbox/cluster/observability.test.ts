import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { debianCheckers, resolveDebianTools } from '../binaries/debian-package.ts';
import { ALERT_RULES_FILE, alertmanagerArgs, alertmanagerConfig, prometheusArgs, prometheusConfig } from './observability.ts';

const exec = promisify(execFile);
const ports = { prometheus: 9190, alertmanager: 9193, simMetrics: 9199 };

interface Rule { alert: string; expr: string; for: string; labels: Record<string, string>; annotations: Record<string, string> }

describe('the alert rules', () => {
  it('alert on error rate, latency, CPU throttling and memory near the limit, each with its signal class', async () => {
    const { groups } = parse(await readFile(ALERT_RULES_FILE, 'utf8')) as { groups: Array<{ rules: Rule[] }> };
    const rules = groups.flatMap((g) => g.rules);
    assert.deepEqual(
      rules.map((r) => [r.alert, r.labels.signal_class, r.labels.severity, r.for]),
      [
        ['HighErrorRate', 'ErrorRate', 'warning', '10s'],
        ['HighLatency', 'Latency', 'warning', '10s'],
        ['CpuThrottling', 'CpuThrottling', 'warning', '10s'],
        ['MemoryNearLimit', 'MemorySaturation', 'warning', '10s'],
      ],
    );
    for (const rule of rules) {
      assert.match(rule.annotations.summary ?? '', /\{\{ \$labels\.pod \}\}/, `${rule.alert} names the pod`);
      assert.match(rule.annotations.description ?? '', /\$value/, `${rule.alert} gives the value`);
    }
    assert.match(rules[0]?.expr ?? '', /code=~"5\.\."/);
  });

  it('load in Prometheus\'s own checker', async () => {
    const { promtool } = debianCheckers(await resolveDebianTools());
    const { stdout } = await exec(promtool, ['check', 'rules', ALERT_RULES_FILE]);
    assert.match(stdout, /SUCCESS: 4 rules found/);
  });
});

describe('the configs', () => {
  let dir: string;
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'observability-')); });
  after(async () => { await rm(dir, { recursive: true, force: true }); });

  it('have Prometheus scrape the exporter every 2 s with its labels, evaluate the rules and alert the sandbox Alertmanager', () => {
    const config = parse(prometheusConfig(ports, '/sandbox/prometheus/alert-rules.yaml'));
    assert.deepEqual(config.global, { scrape_interval: '2s', scrape_timeout: '2s', evaluation_interval: '2s' });
    assert.deepEqual(config.scrape_configs, [{ job_name: 'sandbox-pods', honor_labels: true, static_configs: [{ targets: ['127.0.0.1:9199'] }] }]);
    assert.deepEqual(config.rule_files, ['/sandbox/prometheus/alert-rules.yaml']);
    assert.deepEqual(config.alerting.alertmanagers[0].static_configs, [{ targets: ['127.0.0.1:9193'] }]);
    assert.deepEqual(prometheusArgs('/s/prometheus', 9190), [
      '--config.file=/s/prometheus/prometheus.yml', '--storage.tsdb.path=/s/prometheus/data', '--web.listen-address=127.0.0.1:9190',
      '--web.enable-lifecycle', '--storage.tsdb.retention.time=2h',
    ]);
    assert.ok(alertmanagerArgs('/s/alertmanager', 9193).includes('--cluster.listen-address='), 'no gossip port');
  });

  it('group alerts by pod, with a webhook receiver only once one is set', () => {
    const none = parse(alertmanagerConfig());
    assert.deepEqual(none.route.group_by, ['alertname', 'namespace', 'pod']);
    assert.deepEqual(none.receivers, [{ name: 'sandbox' }]);
    const hooked = parse(alertmanagerConfig({ url: 'http://127.0.0.1:1234/hook', token: 's3cret' }));
    assert.deepEqual(hooked.receivers[0].webhook_configs, [{
      url: 'http://127.0.0.1:1234/hook', send_resolved: true, max_alerts: 0,
      http_config: { authorization: { type: 'Bearer', credentials: 's3cret' } },
    }]);
    assert.equal(parse(alertmanagerConfig({ url: 'http://127.0.0.1:1234/hook' })).receivers[0].webhook_configs[0].http_config, undefined);
  });

  it('pass promtool check config', async () => {
    const { promtool } = debianCheckers(await resolveDebianTools());
    const rules = join(dir, 'alert-rules.yaml');
    await copyFile(ALERT_RULES_FILE, rules);
    await writeFile(join(dir, 'prometheus.yml'), prometheusConfig(ports, rules));
    const { stdout } = await exec(promtool, ['check', 'config', join(dir, 'prometheus.yml')]);
    assert.match(stdout, /SUCCESS: 4 rules found/);
  });

  it('pass amtool check-config, with and without a receiver', async () => {
    const { amtool } = debianCheckers(await resolveDebianTools());
    for (const [name, text] of [['none.yml', alertmanagerConfig()], ['hook.yml', alertmanagerConfig({ url: 'http://127.0.0.1:1/hook', token: 't' })]] as const) {
      await writeFile(join(dir, name), text);
      const { stdout } = await exec(amtool, ['check-config', join(dir, name)]);
      assert.match(stdout, /SUCCESS/);
    }
  });
});
