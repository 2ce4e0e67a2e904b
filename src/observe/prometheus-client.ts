// Prometheus's HTTP query API (https://prometheus.io/docs/prometheus/latest/querying/api/):
// instant and range queries over fetch, with a timeout, answers held to a schema, and every
// failure as one PrometheusError that says which kind it is and never holds the token.
import { z } from 'zod';

/** One series: its labels and its samples as [unix seconds, value], oldest first. */
export interface Series {
  labels: Record<string, string>;
  samples: Array<[number, number]>;
}

export type PrometheusErrorKind = 'unreachable' | 'timeout' | 'unauthorized' | 'bad-query' | 'server' | 'bad-response';

export class PrometheusError extends Error {
  readonly kind: PrometheusErrorKind;
  constructor(kind: PrometheusErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PrometheusError';
    this.kind = kind;
  }
}

export interface PrometheusClientOptions {
  url: string;
  /** A bearer token (a Prometheus behind an authenticating proxy). */
  token?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface PrometheusClient {
  readonly url: string;
  /** The value of each series at `time` (default now). */
  query(expr: string, time?: number): Promise<Series[]>;
  /** Each series' samples from `start` to `end` (unix seconds) every `stepSeconds`. */
  queryRange(expr: string, start: number, end: number, stepSeconds: number): Promise<Series[]>;
}

const SampleValue = z.tuple([z.number(), z.string()]);
const Answer = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('success'),
    data: z.discriminatedUnion('resultType', [
      z.object({ resultType: z.literal('vector'), result: z.array(z.object({ metric: z.record(z.string(), z.string()), value: SampleValue })) }),
      z.object({ resultType: z.literal('matrix'), result: z.array(z.object({ metric: z.record(z.string(), z.string()), values: z.array(SampleValue) })) }),
      z.object({ resultType: z.literal('scalar'), result: SampleValue }),
      z.object({ resultType: z.literal('string'), result: z.tuple([z.number(), z.string()]) }),
    ]),
  }),
  z.object({ status: z.literal('error'), errorType: z.string().optional(), error: z.string().optional() }),
]);

export const DEFAULT_PROMETHEUS_TIMEOUT_MS = 5000;

export function createPrometheusClient(options: PrometheusClientOptions): PrometheusClient {
  const base = options.url.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROMETHEUS_TIMEOUT_MS;
  const doFetch = options.fetch ?? fetch;
  const scrub = (text: string) => (options.token ? text.split(options.token).join('***') : text);

  async function call(path: string, params: Record<string, string>): Promise<Series[]> {
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    // Prometheus's own query timeout a little under ours, so a slow query says so itself.
    const body = new URLSearchParams({ ...params, timeout: `${Math.max(1, Math.floor(timeoutMs / 1000) - 1)}s` });
    let response: Response;
    try {
      // POST keeps long expressions out of URLs (and out of proxies' access logs).
      response = await doFetch(`${base}${path}`, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new PrometheusError(timedOut ? 'timeout' : 'unreachable',
        timedOut ? `Prometheus at ${base} did not answer within ${timeoutMs} ms` : `Prometheus at ${base} is unreachable: ${scrub(causeOf(error))}`, { cause: error });
    }
    const text = await response.text().catch(() => '');
    if (response.status === 401 || response.status === 403) {
      throw new PrometheusError('unauthorized', `Prometheus at ${base} refused the request (HTTP ${response.status}): check the token`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new PrometheusError(response.status >= 500 ? 'server' : 'bad-response', `Prometheus at ${base} answered HTTP ${response.status} without JSON: ${scrub(text.slice(0, 200))}`);
    }
    const parsed = Answer.safeParse(json);
    if (!parsed.success) throw new PrometheusError('bad-response', `Prometheus at ${base} answered in an unexpected shape (HTTP ${response.status})`);
    const answer = parsed.data;
    if (answer.status === 'error') {
      const kind = answer.errorType === 'bad_data' ? 'bad-query' : answer.errorType === 'timeout' ? 'timeout' : 'server';
      throw new PrometheusError(kind, `Prometheus at ${base}: ${answer.errorType ?? 'error'}: ${scrub(answer.error ?? 'no detail')}`);
    }
    const { data } = answer;
    if (data.resultType === 'vector') return data.result.map((r) => ({ labels: r.metric, samples: [toSample(r.value)] }));
    if (data.resultType === 'matrix') return data.result.map((r) => ({ labels: r.metric, samples: r.values.map(toSample) }));
    if (data.resultType === 'scalar') return [{ labels: {}, samples: [toSample(data.result)] }];
    throw new PrometheusError('bad-query', `the expression gives a string, not numbers: ${params.query}`);
  }

  return {
    url: base,
    query: (expr, time) => call('/api/v1/query', { query: expr, ...(time === undefined ? {} : { time: String(time) }) }),
    queryRange: (expr, start, end, stepSeconds) => call('/api/v1/query_range', {
      query: expr, start: String(start), end: String(end), step: String(Math.max(1, stepSeconds)),
    }),
  };
}

/** Prometheus writes values as strings ("NaN", "+Inf" too). */
function toSample([time, value]: [number, string]): [number, number] {
  return [time, Number(value)];
}

function causeOf(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? error.message;
  }
  return String(error);
}
