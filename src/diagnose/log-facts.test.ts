import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorLine, listeningPorts, logLines, missingEnvVar, servedPaths, stillStarting } from './log-facts.ts';

test('JSON log lines read as their message and fields; an error level is kept', () => {
  assert.deepEqual(logLines('{"level":"info","msg":"listening","addr":":8080"}\n\n{"level":"fatal","msg":"boom","code":3}\nplain text'), [
    'listening addr=:8080', 'boom code=3 level=fatal', 'plain text',
  ]);
});

test('the env var an app exits without, in several wordings', () => {
  const cases: Array<[string, string]> = [
    ['required environment variable DATABASE_URL is not set', 'DATABASE_URL'],
    ['Error: environment variable "REDIS_HOST" is required', 'REDIS_HOST'],
    ['missing required env var: API_TOKEN', 'API_TOKEN'],
    ['FATAL: SECRET_KEY must be set', 'SECRET_KEY'],
    ["KeyError: 'DJANGO_SETTINGS_MODULE'", 'DJANGO_SETTINGS_MODULE'],
  ];
  for (const [line, name] of cases) assert.equal(missingEnvVar([line])?.value, name, line);
  assert.equal(missingEnvVar(['listening on :8080', 'the database is not reachable']), undefined);
});

test('served paths from banners and 2xx access logs; 404s are not served', () => {
  const { paths, notFound } = servedPaths(logLines([
    'listening on :8080, routes: /healthz, /metrics',
    '10.0.0.7 - - "GET /health HTTP/1.1" 200 2',
    'GET /ready 404',
    '{"level":"info","msg":"GET /joke","status":200}',
    'GET /ping 200',
  ].join('\n')));
  assert.deepEqual(paths.map((p) => p.value).sort(), ['/health', '/healthz', '/joke', '/metrics', '/ping']);
  assert.deepEqual(notFound.map((p) => p.value), ['/ready']);
});

test('listening ports in the usual wordings, and not in a start-up line', () => {
  const ports = (line: string) => listeningPorts([line]).map((p) => p.value);
  assert.deepEqual(ports('listening on :8080'), [8080]);
  assert.deepEqual(ports('Listening on http://0.0.0.0:9090/'), [9090]);
  assert.deepEqual(ports('server started on port 3000'), [3000]);
  assert.deepEqual(ports('listening addr=:8080'), [8080]);
  assert.deepEqual(ports('warming caches before listening expected=45s'), []);
});

test('still starting: start-up work, never listening; with the time it announces', () => {
  assert.equal(stillStarting(['starting… (warming cache, ~90s)'])?.value, 90);
  assert.equal(stillStarting(['loading model weights', 'running migrations, this takes 2m'])?.value, 120);
  assert.equal(stillStarting(['starting', 'loading config'])?.value, undefined);
  assert.ok(stillStarting(['starting', 'loading config']));
  assert.equal(stillStarting(['starting', 'listening on :8080']), undefined);
  assert.equal(stillStarting(['GET /healthz 200']), undefined);
});

test('the error line of a crash is its panic, not the stack under it', () => {
  assert.equal(errorLine(['starting', 'panic: nil map', '[signal SIGSEGV: segmentation violation]', 'goroutine 1 [running]:']), 'panic: nil map');
  assert.equal(errorLine(['starting', 'connected', 'error: cannot open /data/db']), 'error: cannot open /data/db');
  assert.equal(errorLine(['all good']), undefined);
});
