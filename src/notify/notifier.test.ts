import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setImmediate as tick } from 'node:timers/promises';
import type { HealingIncident } from '../api/healing-incident.ts';
import { Redactor } from '../redact/index.ts';
import { FAKE_SECRET, incidentIn } from './fixtures.ts';
import { Notifier, type NotifierOptions } from './notifier.ts';
import type { NotificationTarget } from './targets.ts';

const redactor = new Redactor();
const redact = (text: string) => redactor.redactText(text).text;
const SLACK = 'https://hooks.slack.com/services/T000/B000/sLaCkSeCrEt';
const DISCORD = 'https://discord.com/api/webhooks/123/dIsCoRdSeCrEt';
const HOOK = 'http://receiver.monitoring.svc:8080/hook?key=hOoKsEcReT';
const SECRETS = ['sLaCkSeCrEt', 'dIsCoRdSeCrEt', 'hOoKsEcReT'];

type Answer = Response | Error | Promise<Response>;
interface Sent { url: string; body: unknown; signal: AbortSignal | undefined }

function harness(targets: NotificationTarget[], answer: (sent: Sent, n: number) => Answer = () => new Response('ok'), extra: Partial<NotifierOptions> = {}) {
  const sent: Sent[] = [];
  const sleeps: number[] = [];
  const logs: Array<{ level: string; message: string; fields: Record<string, unknown> | undefined }> = [];
  const clock = { now: Date.parse('2026-03-01T10:00:00Z') };
  const notifier = new Notifier({
    targets,
    redact,
    log: (level, message, fields) => logs.push({ level, message, fields }),
    fetch: async (url, init) => {
      const call = { url: String(url), body: JSON.parse(String(init?.body)) as unknown, signal: init?.signal ?? undefined };
      sent.push(call);
      const result = answer(call, sent.length);
      if (result instanceof Error) throw result;
      return result;
    },
    now: () => clock.now,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0,
    ...extra,
  });
  return { notifier, sent, sleeps, logs, clock };
}

const slack = (extra: Partial<NotificationTarget> = {}): NotificationTarget => ({ type: 'slack', url: SLACK, style: 'plain', ...extra });
function named(name: string, phase: 'Detected' | 'Healed' = 'Detected'): HealingIncident {
  const incident = incidentIn(phase);
  return { ...incident, metadata: { ...incident.metadata, name } };
}
function assertNoSecretsIn(logs: unknown): void {
  const text = JSON.stringify(logs);
  for (const secret of SECRETS) assert.ok(!text.includes(secret), `a webhook URL leaked into the logs: ${text}`);
}
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i++) await tick();
  assert.ok(condition(), 'condition never held');
}
function deferred(): { promise: Promise<Response>; resolve: (r: Response) => void } {
  let resolve: (r: Response) => void = () => {};
  const promise = new Promise<Response>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('Notifier', () => {
  it('notify returns before anything is built or sent, and the receiver answers later', async () => {
    const answer = deferred();
    const { notifier, sent } = harness([slack()], () => answer.promise);
    const result = notifier.notify(incidentIn('Detected'), 'detected');
    assert.deepEqual(result, { queued: 1, duplicates: 0, rateLimited: 0, unsubscribed: 0 });
    assert.equal(sent.length, 0, 'nothing sent while the caller still runs');
    await until(() => sent.length === 1);
    assert.equal(notifier.stats().inFlight, 1);
    assert.equal(notifier.stats().byType.slack.sent, 0, 'the receiver has not answered');
    answer.resolve(new Response('ok'));
    await notifier.idle();
    assert.equal(notifier.stats().byType.slack.sent, 1);
  });

  it('sends each target its platform\'s payload, in its style, redacted', async () => {
    const { notifier, sent } = harness([slack({ style: 'witty' }), { type: 'discord', url: DISCORD, style: 'plain' }, { type: 'webhook', url: HOOK, style: 'plain' }]);
    notifier.notify(incidentIn('Detected'), 'detected');
    await notifier.idle();
    const byUrl = new Map(sent.map((s) => [s.url, s.body as Record<string, unknown>]));
    assert.ok(Array.isArray(byUrl.get(SLACK)?.blocks));
    assert.match(String(byUrl.get(SLACK)?.text), /^🚨/);
    assert.ok(Array.isArray(byUrl.get(DISCORD)?.embeds));
    assert.equal(byUrl.get(HOOK)?.version, 1);
    assert.equal(byUrl.get(HOOK)?.at, '2026-03-01T10:00:00.000Z');
    assert.ok(!JSON.stringify(sent.map((s) => s.body)).includes(FAKE_SECRET));
  });

  it('sends the same incident, event and target once; a new occurrence is news again', async () => {
    const { notifier, sent } = harness([slack(), { type: 'discord', url: DISCORD, style: 'plain' }]);
    assert.equal(notifier.notify(incidentIn('Detected'), 'detected').queued, 2);
    assert.deepEqual(notifier.notify(incidentIn('Detected'), 'detected'), { queued: 0, duplicates: 2, rateLimited: 0, unsubscribed: 0 });
    await notifier.idle();
    assert.equal(sent.length, 2);
    assert.equal(notifier.stats().byType.slack.deduplicated, 1);
    const reopened = incidentIn('Detected', { phaseTimestamps: { Detected: '2026-03-02T00:00:00Z' } });
    assert.equal(notifier.notify(reopened, 'detected').queued, 2);
    assert.equal(notifier.notify(incidentIn('Healed'), 'healed').queued, 2, 'another event of the same incident');
    await notifier.idle();
    assert.equal(sent.length, 6);
  });

  it('skips targets not subscribed to the event', async () => {
    const { notifier, sent } = harness([slack({ events: ['healed', 'failed'] })]);
    assert.deepEqual(notifier.notify(incidentIn('Detected'), 'detected'), { queued: 0, duplicates: 0, rateLimited: 0, unsubscribed: 1 });
    assert.equal(notifier.notify(incidentIn('Failed'), { name: 'failed', followUp: 'revert' }).queued, 1, 'the revert follow-up is a failed event');
    await notifier.idle();
    assert.equal(sent.length, 1);
  });

  it('rate-limits each target (burst 5, then 20 a minute), dropping the excess with a counted warning', async () => {
    const { notifier, sent, logs, clock } = harness([slack()]);
    const results = Array.from({ length: 7 }, (_, i) => notifier.notify(named(`inc-${i}`), 'detected'));
    assert.deepEqual(results.map((r) => r.queued), [1, 1, 1, 1, 1, 0, 0]);
    assert.deepEqual(results.map((r) => r.rateLimited), [0, 0, 0, 0, 0, 1, 1]);
    assert.equal(notifier.stats().byType.slack.dropped, 2);
    const warnings = logs.filter((l) => l.message.startsWith('notification rate limit reached'));
    assert.equal(warnings.length, 1, 'one warning, not one per message');
    assert.deepEqual({ target: warnings[0]?.fields?.target, host: warnings[0]?.fields?.host }, { target: 'slack', host: 'hooks.slack.com' });
    clock.now += 3000;
    assert.equal(notifier.notify(named('inc-5'), 'detected').queued, 1, 'a dropped message was not remembered as sent');
    await notifier.idle();
    assert.equal(sent.length, 6);
    assertNoSecretsIn(logs);
  });

  it('retries a 429 after its Retry-After, then succeeds', async () => {
    const { notifier, sent, sleeps, logs } = harness([slack()], (_s, n) => (n === 1 ? new Response('rate_limited', { status: 429, headers: { 'retry-after': '2' } }) : new Response('ok')));
    notifier.notify(incidentIn('Detected'), 'detected');
    await notifier.idle();
    assert.equal(sent.length, 2);
    assert.deepEqual(sleeps, [2000]);
    assert.deepEqual(notifier.stats().byType.slack, { sent: 1, failed: 0, dropped: 0, retried: 1, deduplicated: 0 });
    assertNoSecretsIn(logs);
  });

  it('does not retry a 400; it logs why, with the target type and host only', async () => {
    const { notifier, sent, logs } = harness([{ type: 'discord', url: DISCORD, style: 'plain' }], () => new Response('{"message":"Invalid Form Body","code":50035}', { status: 400 }));
    notifier.notify(incidentIn('Detected'), 'detected');
    await notifier.idle();
    assert.equal(sent.length, 1);
    assert.deepEqual(notifier.stats().byType.discord, { sent: 0, failed: 1, dropped: 0, retried: 0, deduplicated: 0 });
    const line = logs.find((l) => l.message === 'notification not delivered; giving up');
    assert.deepEqual(
      { target: line?.fields?.target, host: line?.fields?.host, status: line?.fields?.status, attempts: line?.fields?.attempts, answer: line?.fields?.answer },
      { target: 'discord', host: 'discord.com', status: 400, attempts: 1, answer: '{"message":"Invalid Form Body","code":50035}' },
    );
    assertNoSecretsIn(logs);
    assert.equal(notifier.notify(incidentIn('Detected'), 'detected').queued, 1, 'a failed message may be tried again');
  });

  it('retries network errors and 5xx up to 3 attempts', async () => {
    const { notifier, sent, sleeps, logs } = harness([slack()], (_s, n) => (n < 3 ? new TypeError('fetch failed', { cause: new Error(`connect ECONNRESET ${SLACK}`) }) : new Response('', { status: 500 })));
    notifier.notify(incidentIn('Detected'), 'detected');
    await notifier.idle();
    assert.equal(sent.length, 3);
    assert.deepEqual(sleeps, [500, 1000]);
    assert.deepEqual(notifier.stats().byType.slack, { sent: 0, failed: 1, dropped: 0, retried: 2, deduplicated: 0 });
    assertNoSecretsIn(logs);
  });

  it('a full queue drops its oldest message, with a warning', async () => {
    const gate = deferred();
    const { notifier, sent, logs } = harness([slack()], () => gate.promise.then(() => new Response('ok')), { queue: { capacity: 2, concurrency: 1 }, rateLimit: { perMinute: 60, burst: 10 } });
    const results = ['a', 'b', 'c', 'd'].map((name) => notifier.notify(named(`inc-${name}`), 'detected'));
    assert.ok(results.every((r) => r.queued === 1), 'notify never refuses; the queue makes room');
    assert.equal(notifier.stats().queued, 2);
    assert.equal(notifier.stats().byType.slack.dropped, 2);
    assert.equal(logs.filter((l) => l.message.startsWith('notification queue full')).length, 2);
    gate.resolve(new Response('ok'));
    await notifier.idle();
    const names = sent.map((s) => JSON.stringify(s.body).match(/HealingIncident shop\/(inc-\w)/)?.[1]);
    assert.deepEqual(names, ['inc-c', 'inc-d']);
  });

  it('sends one target\'s messages in order, and other targets alongside', async () => {
    const gate = deferred();
    const { notifier, sent } = harness([slack(), { type: 'webhook', url: HOOK, style: 'plain' }], (s) => (s.url === SLACK ? gate.promise.then(() => new Response('ok')) : new Response('ok')), { rateLimit: { perMinute: 60, burst: 10 } });
    notifier.notify(named('inc-1'), 'detected');
    notifier.notify(named('inc-2'), 'detected');
    await until(() => sent.filter((s) => s.url === HOOK).length === 2);
    assert.equal(sent.filter((s) => s.url === SLACK).length, 1, 'the second Slack message waits for the first');
    gate.resolve(new Response('ok'));
    await notifier.idle();
    assert.deepEqual(sent.filter((s) => s.url === SLACK).map((s) => JSON.stringify(s.body).includes('inc-1')), [true, false]);
  });

  it('close drains the queue, then refuses new messages', async () => {
    // The deadline's sleep only ends when close() stops waiting for it.
    const sleep = (_ms: number, signal?: AbortSignal) => new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve()));
    const { notifier, sent } = harness([slack()], () => new Response('ok'), { sleep });
    notifier.notify(incidentIn('Detected'), 'detected');
    assert.deepEqual(await notifier.close(1000), { drained: true, abandoned: 0 });
    assert.equal(sent.length, 1);
    assert.equal(notifier.notify(incidentIn('Healed'), 'healed').queued, 0);
  });

  it('close abandons what is left at its deadline and aborts the request in flight', async () => {
    let deadline: () => void = () => {};
    const notifier = new Notifier({
      targets: [slack()],
      redact,
      queue: { capacity: 10, concurrency: 1 },
      fetch: (_url, init) => new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new Error('aborted')))),
      sleep: (_ms, signal) => new Promise<void>((resolve) => {
        deadline = resolve;
        signal?.addEventListener('abort', () => resolve());
      }),
    });
    notifier.notify(named('inc-1'), 'detected');
    notifier.notify(named('inc-2'), 'detected');
    await until(() => notifier.stats().inFlight === 1);
    const closing = notifier.close(5000);
    await tick();
    deadline();
    assert.deepEqual(await closing, { drained: false, abandoned: 2 });
    assert.equal(notifier.stats().byType.slack.dropped, 2);
    assert.equal(notifier.stats().byType.slack.failed, 0);
  });

  it('skips targets whose URL is unusable, without logging the URL', () => {
    const { notifier, logs } = harness([
      { type: 'slack', url: 'http://hooks.slack.com/services/T/B/sLaCkSeCrEt', style: 'plain' },
      { type: 'discord', url: 'not a url dIsCoRdSeCrEt', style: 'plain' },
      { type: 'webhook', url: 'ftp://x/hOoKsEcReT', style: 'plain' },
    ]);
    assert.equal(notifier.notify(incidentIn('Detected'), 'detected').queued, 0);
    assert.equal(logs.filter((l) => l.message.startsWith('notification target skipped')).length, 3);
    assertNoSecretsIn(logs);
  });

  it('setTargets keeps a target\'s rate budget and memory when its URL stays', async () => {
    const { notifier, sent } = harness([slack()]);
    notifier.notify(incidentIn('Detected'), 'detected');
    notifier.setTargets([slack({ style: 'witty' }), { type: 'webhook', url: HOOK, style: 'plain' }]);
    assert.deepEqual(notifier.notify(incidentIn('Detected'), 'detected'), { queued: 1, duplicates: 1, rateLimited: 0, unsubscribed: 0 });
    await notifier.idle();
    assert.equal(sent.length, 2);
  });
});
