/** Where jokes come from. Only the compiled-in list exists; the variable is still required. */
export type JokeSource = 'builtin';

/** Switches that make the service misbehave on purpose, for GopherGuard to catch. */
export interface Chaos {
  /** MiB allocated and touched at start, then held: the working set grows by this much. */
  memoryHogMiB: number;
  /** Fraction of GET /joke answered with 500, from 0 to 1. */
  errorRate: number;
  /** Seconds between the start and opening the port: probes are refused until then. */
  slowStartSeconds: number;
  /** Extra milliseconds before each GET /joke answer. */
  latencyMs: number;
  /** Seed for the generator behind errorRate (and the joke picked); absent = random. */
  seed: number | undefined;
}

export interface Config {
  port: number;
  jokeSource: JokeSource;
  chaos: Chaos;
}

export interface ConfigProblem {
  variable: string;
  msg: string;
  value?: string;
  hint?: string;
}

/**
 * Exit 1 for a missing JOKE_SOURCE (the app cannot work: the "crash on missing env var"
 * fault), exit 2 for a value that is there but wrong (a usage error), every problem listed.
 */
export type ConfigResult =
  | { ok: true; config: Config }
  | { ok: false; exitCode: 1 | 2; problems: ConfigProblem[] };

const JOKE_SOURCES: readonly JokeSource[] = ['builtin'];

/** Reads the configuration from the environment. An empty value counts as unset, as in a pod spec. */
export function readConfig(env: Record<string, string | undefined>): ConfigResult {
  const problems: ConfigProblem[] = [];
  let invalid = false;
  const number = (variable: string, fallback: number, opts: { min: number; max: number; integer: boolean; expected: string }): number => {
    const raw = env[variable]?.trim();
    if (!raw) return fallback;
    const shape = opts.integer ? /^\d+$/ : /^(\d+\.?\d*|\.\d+)$/;
    const value = Number(raw);
    if (shape.test(raw) && value >= opts.min && value <= opts.max) return value;
    invalid = true;
    problems.push({ variable, value: raw, msg: `${variable} must be ${opts.expected}, got ${JSON.stringify(raw)}` });
    return fallback;
  };

  const port = number('PORT', 8080, { min: 0, max: 65535, integer: true, expected: 'a port number from 0 to 65535' });
  const chaos: Chaos = {
    memoryHogMiB: number('CHAOS_MEMORY_HOG_MB', 0, { min: 0, max: 65536, integer: true, expected: 'a whole number of MiB from 0 to 65536' }),
    errorRate: number('CHAOS_ERROR_RATE', 0, { min: 0, max: 1, integer: false, expected: 'a fraction from 0 to 1' }),
    slowStartSeconds: number('CHAOS_SLOW_START_SECONDS', 0, { min: 0, max: 3600, integer: false, expected: 'a number of seconds from 0 to 3600' }),
    latencyMs: number('CHAOS_LATENCY_MS', 0, { min: 0, max: 600_000, integer: true, expected: 'a whole number of milliseconds from 0 to 600000' }),
    seed: env.CHAOS_SEED?.trim()
      ? number('CHAOS_SEED', 0, { min: 0, max: 0xffffffff, integer: true, expected: 'a whole number from 0 to 4294967295' })
      : undefined,
  };

  const source = env.JOKE_SOURCE?.trim();
  if (!source) {
    problems.unshift({ variable: 'JOKE_SOURCE', msg: 'JOKE_SOURCE is not set', hint: 'set JOKE_SOURCE=builtin' });
  } else if (!(JOKE_SOURCES as readonly string[]).includes(source)) {
    invalid = true;
    problems.push({ variable: 'JOKE_SOURCE', value: source, msg: `JOKE_SOURCE must be one of ${JOKE_SOURCES.join(', ')}, got ${JSON.stringify(source)}` });
  }

  if (problems.length > 0) return { ok: false, exitCode: invalid ? 2 : 1, problems };
  return { ok: true, config: { port, jokeSource: source as JokeSource, chaos } };
}
