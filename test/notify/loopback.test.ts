// The Notifier against a real HTTP receiver on loopback that speaks like Slack's and
// Discord's webhook endpoints (and a generic one): JSON only, a 429 the first time with
// the platform's way of saying how long to wait, then success.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { FAKE_SECRET, incidentIn } from '../../src/notify/fixtures.ts';
import { DISCORD_LIMITS, Notifier, SLACK_LIMITS, type NotifyLog } from '../../src/notify/index.ts';
import { Redactor } from '../../src/redact/index.ts';

interface Received {
  path: string;
  body: Record<string, unknown>;
  at: number;
}

const SLACK_PATH = '/services/T000/B000/sLaCkSeCrEt';
const DISCORD_PATH = '/api/webhooks/123/dIsCoRdSeCrEt';
const HOOK_PATH = '/hook';
const REFUSING_PATH = '/services/T000/B000/rEvOkEd';
const SILENT_PATH = '/silent';

/** A receiver that accepts only JSON, and rate-limits the first message on each path. */
class Receiver {
  readonly received: Received[] = [];
  readonly rejected: string[] = [];
  readonly server: Server;
  readonly #seen = new Map<string, number>();

  constructor() {
    this.server = createServer((req, res) => void this.#handle(req, res));
  }

  async listen(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = req.url ?? '';
    if (path === SILENT_PATH) return; // never answers: the client's timeout must end it
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const type = req.headers['content-type'] ?? '';
    if (req.method !== 'POST' || !/^application\/json\b/.test(type)) {
      this.rejected.push(`${req.method} ${type}`);
      res.writeHead(415).end('expected a JSON POST');
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    } catch {
      this.rejected.push('not JSON');
      res.writeHead(400).end('invalid_payload');
      return;
    }
    this.received.push({ path, body, at: Date.now() });
    const count = (this.#seen.get(path) ?? 0) + 1;
    this.#seen.set(path, count);
    if (path === REFUSING_PATH) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('invalid_blocks');
    } else if (path === DISCORD_PATH) {
      if (count === 1) {
        // Discord's shape: the wait in the body, in seconds with a fraction. The header here is
        // much longer than the body, so the test can tell which of the two was honoured.
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '3' }).end(JSON.stringify({ message: 'You are being rate limited.', retry_after: 0.5, global: false }));
      } else {
        res.writeHead(204).end();
      }
    } else if (count === 1) {
      res.writeHead(429, { 'content-type': 'text/plain', 'retry-after': '1' }).end('rate_limited');
    } else {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    }
  }

  on(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }
}

const redactor = new Redactor();
const redact = (text: string) => redactor.redactText(text).text;

describe('notifications over loopback HTTP', () => {
  const receiver = new Receiver();
  let base = '';
  before(async () => {
    base = await receiver.listen();
  });
  after(() => receiver.close());

  it('delivers Slack, Discord and webhook payloads, honouring each 429\'s wait, and does not retry a 400', async () => {
    const logs: Array<[string, string, unknown]> = [];
    const log: NotifyLog = (level, message, fields) => logs.push([level, message, fields]);
    const notifier = new Notifier({
      targets: [
        { type: 'slack', url: `${base}${SLACK_PATH}`, style: 'witty' },
        { type: 'discord', url: `${base}${DISCORD_PATH}`, style: 'plain' },
        { type: 'webhook', url: `${base}${HOOK_PATH}`, style: 'plain' },
        { type: 'slack', url: `${base}${REFUSING_PATH}`, style: 'plain' },
      ],
      redact,
      log,
    });
    const incident = incidentIn('PullRequestOpen');
    const started = Date.now();
    assert.equal(notifier.notify(incident, 'pullRequestOpened').queued, 4);
    assert.equal(receiver.received.length, 0, 'notify returned before any request was made');
    await notifier.idle();
    assert.ok(Date.now() - started < 4000);

    const slack = receiver.on(SLACK_PATH);
    assert.equal(slack.length, 2, 'Slack: a 429, then the retry');
    assert.ok(slack[1]!.at - slack[0]!.at >= 950, `waited Retry-After: 1 (${slack[1]!.at - slack[0]!.at} ms)`);
    assert.deepEqual(slack[1]!.body, slack[0]!.body, 'the retry sends the same message');
    const blocks = slack[0]!.body.blocks as Array<{ type: string }>;
    assert.deepEqual(blocks.map((b) => b.type), ['header', 'section', 'section', 'section', 'section', 'context']);
    assert.match(String(slack[0]!.body.text), /^🩹 A fix for Deployment jokeservice is up for review/);

    const discord = receiver.on(DISCORD_PATH);
    assert.equal(discord.length, 2, 'Discord: a 429, then the retry');
    const gap = discord[1]!.at - discord[0]!.at;
    assert.ok(gap >= 450 && gap < 2500, `waited retry_after 0.5 s from the body, not the header's 3 s (${gap} ms)`);
    const embed = (discord[0]!.body.embeds as Array<Record<string, unknown>>)[0];
    assert.equal(embed?.url, 'https://gitea.example/shop/deploy/pulls/7');
    assert.equal(embed?.title, 'Pull request opened: OOMKilled fix for Deployment shop/jokeservice');

    const hook = receiver.on(HOOK_PATH);
    assert.equal(hook.length, 2);
    assert.equal(hook[0]!.body.version, 1);
    assert.equal(hook[0]!.body.event, 'pullRequestOpened');
    assert.deepEqual(hook[0]!.body.pullRequest, { url: 'https://gitea.example/shop/deploy/pulls/7', number: 7, state: 'open' });

    assert.equal(receiver.on(REFUSING_PATH).length, 1, 'a 400 is not retried');
    assert.deepEqual(receiver.rejected, [], 'every request was a JSON POST');
    assert.ok(!JSON.stringify(receiver.received).includes(FAKE_SECRET), 'the evidence\'s secret never left');

    const stats = notifier.stats();
    assert.deepEqual(stats.byType.slack, { sent: 1, failed: 1, dropped: 0, retried: 1, deduplicated: 0 });
    assert.deepEqual(stats.byType.discord, { sent: 1, failed: 0, dropped: 0, retried: 1, deduplicated: 0 });
    assert.deepEqual(stats.byType.webhook, { sent: 1, failed: 0, dropped: 0, retried: 1, deduplicated: 0 });
    const text = JSON.stringify(logs);
    for (const secret of ['sLaCkSeCrEt', 'dIsCoRdSeCrEt', 'rEvOkEd']) assert.ok(!text.includes(secret), 'no webhook URL in the logs');
    assert.ok(logs.some(([level, message]) => level === 'warn' && message === 'notification not delivered; giving up'));
    assert.deepEqual(await notifier.close(1000), { drained: true, abandoned: 0 });
  });

  it('oversized incidents arrive within Slack\'s and Discord\'s documented limits', async () => {
    const notifier = new Notifier({
      targets: [
        { type: 'slack', url: `${base}/services/T000/B000/bIgOnE`, style: 'witty' },
        { type: 'discord', url: `${base}/api/webhooks/9/bIgOnE`, style: 'witty' },
      ],
      redact,
    });
    const incident = incidentIn('Failed');
    const long = (what: string) => `${what} `.repeat(4000);
    incident.spec.workload.name = `w${'x'.repeat(250)}`;
    incident.status = {
      ...incident.status!,
      message: long('the fix did not heal it'),
      evidence: { ...incident.status!.evidence!, summary: long('OOMKilled again') },
      diagnosis: { ...incident.status!.diagnosis!, rootCause: long('it needs more memory'), summary: long('raise it'), witty: long('ha') },
    };
    notifier.notify(incident, 'failed');
    await notifier.idle();
    const slack = receiver.on('/services/T000/B000/bIgOnE').at(-1)!.body;
    const blocks = slack.blocks as Array<{ type: string; text?: { text: string }; fields?: Array<{ text: string }>; elements?: unknown[] }>;
    assert.ok(blocks.length <= SLACK_LIMITS.blocks);
    assert.ok(String(slack.text).length <= SLACK_LIMITS.fallbackText);
    for (const block of blocks) {
      if (block.type === 'header') assert.ok(block.text!.text.length <= SLACK_LIMITS.headerText, 'header');
      if (block.type === 'section' && block.text) assert.ok(block.text.text.length <= SLACK_LIMITS.sectionText, 'section text');
      for (const field of block.fields ?? []) assert.ok(field.text.length <= SLACK_LIMITS.fieldText, 'field');
      assert.ok((block.fields ?? []).length <= SLACK_LIMITS.sectionFields);
      assert.ok((block.elements ?? []).length <= SLACK_LIMITS.contextElements);
    }
    const discord = receiver.on('/api/webhooks/9/bIgOnE').at(-1)!.body;
    const embeds = discord.embeds as Array<{ title?: string; description?: string; fields?: Array<{ name: string; value: string }>; footer?: { text: string } }>;
    assert.ok(embeds.length <= DISCORD_LIMITS.embeds);
    for (const embed of embeds) {
      assert.ok((embed.title ?? '').length <= DISCORD_LIMITS.title, 'title');
      assert.ok((embed.description ?? '').length <= DISCORD_LIMITS.description, 'description');
      assert.ok((embed.fields ?? []).length <= DISCORD_LIMITS.fields);
      for (const f of embed.fields ?? []) assert.ok(f.name.length <= DISCORD_LIMITS.fieldName && f.value.length <= DISCORD_LIMITS.fieldValue, 'field');
      const total = (embed.title ?? '').length + (embed.description ?? '').length + (embed.footer?.text ?? '').length
        + (embed.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
      assert.ok(total <= DISCORD_LIMITS.total, `embed total ${total}`);
    }
    assert.ok(String(discord.content ?? '').length <= DISCORD_LIMITS.content);
    await notifier.close(1000);
  });

  it('gives up on a receiver that never answers, after the per-request timeout and the retries', async () => {
    const notifier = new Notifier({
      targets: [{ type: 'webhook', url: `${base}${SILENT_PATH}`, style: 'plain' }],
      redact,
      timeoutMs: 200,
      retry: { maxAttempts: 2, baseDelayMs: 50, maxDelayMs: 50, maxRetryAfterMs: 1000 },
    });
    const started = Date.now();
    notifier.notify(incidentIn('Detected'), 'detected');
    await notifier.idle();
    const took = Date.now() - started;
    assert.ok(took >= 400 && took < 3000, `two timed-out attempts (${took} ms)`);
    assert.deepEqual(notifier.stats().byType.webhook, { sent: 0, failed: 1, dropped: 0, retried: 1, deduplicated: 0 });
    await notifier.close(100);
  });
});
