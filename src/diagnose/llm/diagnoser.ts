// The LLM diagnoser: asks the model when the policy says so, and otherwise, or on any
// failure, lets the rules' answer stand and says why. Everything that can cost money or
// time (budgets, breaker, cache, concurrency, deadline) is decided here, before a call.
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { V1PodTemplateSpec } from '@kubernetes/client-node';
import type { Evidence, SignalClass } from '../../api/healing-incident.ts';
import { systemClock, type Clock } from '../../controller/clock.ts';
import type { RuleDiagnosis } from '../rule-diagnosis.ts';
import { builtInWit, type Personality } from '../wit.ts';
import type { LlmAnswer } from './answer.ts';
import { boundsProblems, type BoundsContext } from './bounds.ts';
import { TokenBudget, type Reservation } from './budget.ts';
import { AnswerCache, evidenceSignature, type AnswerCacheOptions } from './cache.ts';
import { callModel, type ModelCallOutcome, type RetrySettings } from './call-model.ts';
import { CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker.ts';
import { Limiter } from './limiter.ts';
import type { LogCompressOptions } from './log-compress.ts';
import { shouldAskModel, DEFAULT_CONFIDENCE_THRESHOLD } from './policy.ts';
import { Anonymizer, type NameKind } from '../../redact/index.ts';
import { buildModel, MissingApiKeyError, type BuiltModel, type LlmSettingsValue } from './providers.ts';
import { buildPrompt, PROMPT_VERSION, type Redact } from './prompt.ts';
import { templateFromYaml } from './spec-compact.ts';
import { newBoundaryId } from './spotlight.ts';
import { shapeLlmResult, shapeRulesResult, type DiagnosisResult, type LlmCallRecord, type TokenPrice } from './result.ts';

export interface DiagnoseRequest {
  /** The incident's fingerprint: the per-incident budget's key and the witty line's seed. */
  fingerprint: string;
  signalClass: SignalClass;
  evidence: Evidence;
  /** Raw container logs, any size (compressed here); without them, evidence.logExcerpt. */
  logs?: string;
  template?: V1PodTemplateSpec;
  container?: string;
  rules: RuleDiagnosis;
  /** The watch's settings; without them, the operator's default (if any); without both, rules only. */
  llm?: LlmSettingsValue;
  /** The watch chose the rules: no model is asked, not even the operator's default. */
  rulesOnly?: boolean;
  /**
   * Cluster names to hide from the model (llm.anonymizeNames), replaced by placeholders
   * such as workload-1 and put back in its answer. Not container names: actions name them.
   */
  anonymize?: Array<{ name: string; kind: Exclude<NameKind, 'container'> }>;
  /** The key from the watch's llm.secretRef, read by the caller. */
  apiKey?: string;
  personality?: Personality;
  /** The hourly token budget's scope, normally the watch as namespace/name. */
  budgetScope?: string;
  /** Tokens the incident spent before (from its status), so its budget survives restarts. */
  tokensSpent?: number;
}

export interface LlmDiagnoserOptions {
  /** Masks secrets in everything sent to and received from the model. Default: identity; the operator always passes the real redactor. */
  redact?: Redact;
  clock?: Clock;
  /** The operator's default provider, for watches that name none. */
  defaults?: { settings: LlmSettingsValue; apiKey?: string };
  confidenceThreshold?: number;
  retry?: Partial<RetrySettings>;
  maxOutputTokens?: number;
  maxConcurrent?: number;
  breaker?: CircuitBreakerOptions;
  cache?: AnswerCacheOptions;
  /** USD per million tokens by model name; without a price, no cost is recorded (local models cost 0). */
  prices?: Record<string, TokenPrice>;
  /** For openai-compatible and ollama endpoints: see ProviderOptions.structuredOutputs. */
  structuredOutputs?: boolean;
  log?: LogCompressOptions;
  /** Caps for raised resources (default: 4Gi memory, 4 CPU). */
  bounds?: Omit<BoundsContext, 'template'>;
  /** Replaces buildModel (tests, a custom fetch). */
  modelFor?: (settings: LlmSettingsValue, apiKey: string | undefined) => BuiltModel;
  boundaryId?: () => string;
}

export interface LlmDiagnoser {
  diagnose(request: DiagnoseRequest): Promise<DiagnosisResult>;
}

const identity: Redact = (text) => ({ text, count: 0 });

type Attempt = { outcome: ModelCallOutcome; latencyMs: number } | { skipped: string };

export function createLlmDiagnoser(options: LlmDiagnoserOptions = {}): LlmDiagnoser {
  const clock = options.clock ?? systemClock();
  const redact = options.redact ?? identity;
  const retry: RetrySettings = { maxRetries: 2, baseDelayMs: 1000, maxDelayMs: 10_000, ...options.retry };
  const maxOutputTokens = options.maxOutputTokens ?? 800;
  const threshold = options.confidenceThreshold ?? DEFAULT_CONFIDENCE_THRESHOLD;
  const cache = new AnswerCache<{ answer: LlmAnswer }>(clock, options.cache);
  const budget = new TokenBudget(clock);
  const limiter = new Limiter(options.maxConcurrent ?? 4);
  const breakers = new Map<string, CircuitBreaker>();
  const models = new Map<string, BuiltModel>();
  const modelFor = options.modelFor ?? ((s, key) => buildModel(s, key, { structuredOutputs: options.structuredOutputs }));

  const endpointOf = (s: LlmSettingsValue) => `${s.provider}|${s.baseURL ?? ''}|${s.model}`;
  const breakerFor = (endpoint: string) => {
    let breaker = breakers.get(endpoint);
    if (!breaker) breakers.set(endpoint, (breaker = new CircuitBreaker(clock, options.breaker)));
    return breaker;
  };
  const price = (s: LlmSettingsValue) => options.prices?.[s.model] ?? (s.provider === 'ollama' ? { inputPerMillion: 0, outputPerMillion: 0 } : undefined);

  function modelOf(settings: LlmSettingsValue, apiKey: string | undefined): BuiltModel {
    // Keyed by a hash of the key, not the key: a rotated Secret gets a new client.
    const id = `${endpointOf(settings)}|${apiKey ? createHash('sha256').update(apiKey).digest('hex').slice(0, 16) : ''}`;
    let built = models.get(id);
    if (!built) models.set(id, (built = modelFor(settings, apiKey)));
    return built;
  }

  async function attempt(req: DiagnoseRequest, settings: LlmSettingsValue, built: BuiltModel, system: string, user: string, estimate: number): Promise<Attempt> {
    const endpoint = endpointOf(settings);
    const limits = { perIncident: settings.maxTokensPerIncident, perHour: settings.maxTokensPerHour };
    const scope = req.budgetScope ?? endpoint;
    const first = budget.reserve(scope, req.fingerprint, estimate, limits, req.tokensSpent);
    if (!first.ok) return { skipped: first.reason };
    const reservations: Reservation[] = [first.reservation];
    const breaker = breakerFor(endpoint);
    if (!breaker.tryAcquire()) {
      first.reservation.settle(0);
      return { skipped: `circuit open after repeated failures of ${settings.provider}; next try in ${breaker.retryInSeconds()} s` };
    }
    const template = req.template ?? (req.evidence.podTemplate ? templateFromYaml(req.evidence.podTemplate) : undefined);
    const started = performance.now();
    const outcome = await limiter.run(() =>
      callModel({
        model: built.model,
        system,
        user,
        maxOutputTokens,
        timeoutMs: settings.timeoutSeconds * 1000,
        clock,
        retry,
        checkAction: (action) => boundsProblems(action, { template, ...options.bounds }),
        beforeRepair: (more) => {
          const next = budget.reserve(scope, req.fingerprint, more, limits, req.tokensSpent);
          if (!next.ok) return next.reason;
          reservations.push(next.reservation);
          return undefined;
        },
      }),
    );
    const spent = outcome.usage.promptTokens + outcome.usage.completionTokens;
    reservations.forEach((r, i) => r.settle(i === 0 ? (outcome.usage.reported ? spent : estimate * reservations.length) : 0));
    if (outcome.ok) breaker.success();
    else breaker.failure();
    return { outcome, latencyMs: Math.round(performance.now() - started) };
  }

  return {
    async diagnose(req) {
      const personality = req.personality ?? 'witty';
      const settings = req.rulesOnly ? undefined : req.llm ?? options.defaults?.settings;
      const rules = (fallbackReason?: string, llm?: LlmCallRecord, redactions?: number) =>
        shapeRulesResult(req.rules, { wit: builtInWit(req.signalClass, req.fingerprint, personality), fallbackReason, llm, redactions });
      if (!settings) return rules(req.rulesOnly ? undefined : 'no model configured: the watch names none and the operator has no default (GOPHERGUARD_LLM_PROVIDER)');
      if (!shouldAskModel(settings.policy, req.rules, threshold)) return rules();
      const apiKey = req.llm ? req.apiKey : options.defaults?.apiKey;
      let built: BuiltModel;
      try {
        built = modelOf(settings, apiKey);
      } catch (error) {
        if (error instanceof MissingApiKeyError) return rules(error.message);
        throw error;
      }
      // Redact first, then hide names; on the way back, names return and the redactor scans again.
      const anonymizer = req.anonymize?.length ? new Anonymizer() : undefined;
      for (const { name, kind } of req.anonymize ?? []) anonymizer?.add(name, kind);
      const redactIn: Redact = anonymizer ? (text) => { const r = redact(text); return { ...r, text: anonymizer.anonymize(r.text) }; } : redact;
      const redactOut: Redact = anonymizer ? (text) => redact(anonymizer.restore(text)) : redact;
      const prompt = buildPrompt(req, { redact: redactIn, boundaryId: (options.boundaryId ?? newBoundaryId)(), schemaInPrompt: !built.structuredOutputs, log: options.log });
      const key = evidenceSignature([PROMPT_VERSION, endpointOf(settings), req.signalClass, String(built.structuredOutputs), ...prompt.signatureParts]);
      const record = (over: Partial<LlmCallRecord>): LlmCallRecord => ({
        provider: settings.provider, model: settings.model, promptTokens: 0, completionTokens: 0, latencyMs: 0, cached: false, requests: 0, ...over,
      });
      const shape = (answer: LlmAnswer, llm: LlmCallRecord) =>
        shapeLlmResult(answer, { redact: redactOut, blocks: prompt.blocks, personality, fallbackWit: builtInWit(req.signalClass, req.fingerprint, personality), llm, redactions: prompt.redactions, rules });

      const hit = cache.get(key);
      if (hit) return shape(hit.answer, record({ cached: true }));
      const { outcome: attempted, joined } = await cache.shared(key, async () => {
        const a = await attempt(req, settings, built, prompt.system, prompt.user, prompt.estimatedTokens + maxOutputTokens);
        // Cached before the run is over, so that no caller can slip in between and ask again.
        if ('outcome' in a && a.outcome.ok) cache.set(key, { answer: a.outcome.answer });
        return a;
      });
      if ('skipped' in attempted) return rules(attempted.skipped, undefined, prompt.redactions);
      const { outcome, latencyMs } = attempted;
      // Callers that joined a running call spent nothing themselves.
      const llm = joined
        ? record({ cached: true })
        : record({
            promptTokens: outcome.usage.promptTokens,
            completionTokens: outcome.usage.completionTokens,
            latencyMs,
            requests: outcome.requests,
            ...costOf(price(settings), outcome.usage.promptTokens, outcome.usage.completionTokens),
          });
      return outcome.ok ? shape(outcome.answer, llm) : rules(outcome.reason, llm, prompt.redactions);
    },
  };
}

function costOf(price: TokenPrice | undefined, promptTokens: number, completionTokens: number): { costUsd?: number } {
  if (!price) return {};
  return { costUsd: Math.round(((promptTokens * price.inputPerMillion + completionTokens * price.outputPerMillion) / 1e6) * 1e6) / 1e6 };
}
