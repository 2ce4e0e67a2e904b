import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeContainerLogs } from './container-logs.ts';

const pod = {
  metadata: { name: 'web-1', namespace: 'shop' },
  spec: { containers: [{ name: 'app', image: 'x', ports: [{ containerPort: 8080 }] }, { name: 'sidecar', image: 'y' }] },
};

test('writes CRI-format logs that KWOK can serve, naming the cause', async () => {
  const root = await mkdtemp(join(tmpdir(), 'logs-'));
  const files = await writeContainerLogs(root, pod, { behaviour: 'crash', container: 'app', exitCode: 1, detail: { env: 'DATABASE_URL' } }, new Date('2026-01-02T03:04:05Z'));
  assert.deepEqual(files.map((f) => f.container), ['app', 'sidecar']);
  const current = await readFile(files[0]?.logsFile ?? '', 'utf8');
  for (const line of current.trimEnd().split('\n')) assert.match(line, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (stdout|stderr) F /);
  assert.match(current, /stderr F .*required environment variable DATABASE_URL is not set/);
  assert.match(await readFile(files[0]?.previousLogsFile ?? '', 'utf8'), /DATABASE_URL/, 'a restarted container has previous logs');
  assert.equal(await readFile(files[1]?.previousLogsFile ?? '', 'utf8'), '', 'a healthy sidecar has not restarted');
  assert.match(await readFile(files[1]?.logsFile ?? '', 'utf8'), /GET \/joke/);
});
