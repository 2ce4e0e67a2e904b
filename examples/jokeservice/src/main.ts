// JokeService: `node main.ts`. Configuration and chaos switches come from the environment
// (see ../README.md); the process logs JSON lines and stops cleanly on SIGTERM.
import type { Server } from 'node:http';
import { hogMemory } from './chaos.ts';
import { readConfig } from './config.ts';
import { BUILTIN_JOKES } from './jokes.ts';
import { log } from './log.ts';
import { createMetrics } from './metrics.ts';
import { mulberry32 } from './prng.ts';
import { createJokeServer } from './server.ts';

const VERSION = '1.0.0';
/** Longest wait for open requests on SIGTERM; well inside Kubernetes' default 30 s grace. */
const DRAIN_TIMEOUT_MS = 10_000;

const result = readConfig(process.env);
if (!result.ok) {
  for (const { msg, ...fields } of result.problems) log('error', msg, fields);
  process.exit(result.exitCode);
}
const { config } = result;
const { chaos } = config;
log('info', 'starting jokeservice', { version: VERSION, jokeSource: config.jokeSource, ...prefixed(chaos) });

const random = mulberry32(chaos.seed ?? Math.floor(Math.random() * 2 ** 32));
const { server, drain } = createJokeServer({ jokes: BUILTIN_JOKES, chaos, metrics: createMetrics(), random });
let listening = false;

server.on('error', (error: NodeJS.ErrnoException) => {
  log('error', 'cannot listen', { port: config.port, code: error.code, error: error.message });
  process.exit(1);
});
server.on('listening', () => {
  listening = true;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  // The bound port, so that PORT=0 (any free port) can be found from the log.
  log('info', 'listening', { addr: `:${port}`, port });
});

// Before the start-up work and its log lines: a supervisor that signals as soon as it
// reads one is handled, even mid start-up. Registered just after a line, the handler
// lost that race to a quick SIGTERM in most of our test runs.
let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => shutdown(signal));

// Held at module scope for the life of the process: this is the point of the switch.
const hog = hogMemory(chaos.memoryHogMiB);
if (hog.length > 0) log('warn', 'chaos: holding memory', { mib: hog.length, rssMiB: Math.round(process.memoryUsage.rss() / 2 ** 20) });

// A slow start keeps the port closed (probes see "connection refused", as for an app
// still warming up), which is what the sandbox's starts-in annotation simulates.
const startTimer = setTimeout(() => server.listen(config.port), chaos.slowStartSeconds * 1000);
if (chaos.slowStartSeconds > 0) log('info', 'warming caches before listening', { expected: `${chaos.slowStartSeconds}s` });

function shutdown(signal: string): void {
  if (stopping) return;
  stopping = true;
  if (!listening) {
    clearTimeout(startTimer);
    log('info', `received ${signal} during start-up, exiting`);
    process.exit(0);
  }
  log('info', `received ${signal}, draining`, { timeoutMs: DRAIN_TIMEOUT_MS });
  drain();
  stop(server).then(() => {
    log('info', 'stopped', { heldMiB: hog.length });
    process.exit(0);
  }, (error: unknown) => {
    log('error', 'shutdown failed', { error: String(error) });
    process.exit(1);
  });
}

/** Stops accepting, lets open requests finish, and cuts what is left after the timeout. */
function stop(s: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    const force = setTimeout(() => {
      log('warn', 'drain timeout, closing open connections');
      s.closeAllConnections();
    }, DRAIN_TIMEOUT_MS);
    s.close((error) => {
      clearTimeout(force);
      if (error) reject(error);
      else resolve();
    });
    // Idle keep-alive connections would otherwise hold close() open until they time out.
    s.closeIdleConnections();
  });
}

function prefixed(c: typeof chaos): Record<string, number | undefined> {
  return Object.fromEntries(Object.entries(c).map(([k, v]) => [`chaos.${k}`, v]));
}
