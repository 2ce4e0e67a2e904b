import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Redactor } from '../redact/index.ts';
import { DISCORD_COLORS, DISCORD_LIMITS, buildDiscordMessage, type DiscordPayload } from './discord.ts';
import type { EventName, NotificationEvent } from './events.ts';
import { FAKE_SECRET, incidentIn, stressIncident } from './fixtures.ts';

const redactor = new Redactor();
const redact = (text: string) => redactor.redactText(text).text;
const at = '2026-03-01T10:01:15Z';
// For the limit tests, where what is masked does not matter and the real redactor's ~1 ms per KiB would.
const quickRedact = (text: string) => text.replaceAll(FAKE_SECRET, '[REDACTED:github-pat]');
const EVENTS: EventName[] = ['detected', 'pullRequestOpened', 'healed', 'failed'];
const PHASE = { detected: 'Detected', fixProposed: 'Proposed', pullRequestOpened: 'PullRequestOpen', healed: 'Healed', failed: 'Failed' } as const;

/** Every limit in Discord's "Embed Limits" and "Execute Webhook", checked on a payload. */
function assertDiscordLimits(payload: DiscordPayload): void {
  assert.ok(payload.content.length <= DISCORD_LIMITS.content);
  assert.ok(payload.username.length <= DISCORD_LIMITS.username);
  assert.ok(payload.embeds.length >= 1 && payload.embeds.length <= DISCORD_LIMITS.embeds);
  let total = 0;
  for (const embed of payload.embeds) {
    assert.ok(embed.title.length > 0 && embed.title.length <= DISCORD_LIMITS.title, `title ${embed.title.length}`);
    assert.ok((embed.description ?? '').length <= DISCORD_LIMITS.description, `description ${embed.description?.length}`);
    assert.ok(embed.fields.length <= DISCORD_LIMITS.fields, `fields ${embed.fields.length}`);
    for (const field of embed.fields) {
      assert.ok(field.name.length > 0 && field.name.length <= DISCORD_LIMITS.fieldName, `field name ${field.name.length}`);
      assert.ok(field.value.length > 0 && field.value.length <= DISCORD_LIMITS.fieldValue, `field value ${field.value.length}`);
    }
    assert.ok(embed.footer.text.length <= DISCORD_LIMITS.footerText);
    assert.ok((embed.author?.name ?? '').length <= DISCORD_LIMITS.authorName);
    assert.ok(Number.isInteger(embed.color) && embed.color >= 0 && embed.color <= 0xffffff);
    assert.ok(!Number.isNaN(Date.parse(embed.timestamp)));
    if (embed.url) assert.ok(/^https?:\/\//.test(embed.url));
    total += embed.title.length + (embed.description ?? '').length + embed.footer.text.length + (embed.author?.name ?? '').length
      + embed.fields.reduce((sum, f) => sum + f.name.length + f.value.length, 0);
  }
  assert.ok(total <= DISCORD_LIMITS.total, `total ${total}`);
  assert.ok(JSON.stringify(payload).isWellFormed());
}

describe('Discord message', () => {
  it('is one embed with title, description, colour, fields, PR url, footer and timestamp', () => {
    const payload = buildDiscordMessage({ incident: incidentIn('PullRequestOpen'), event: 'pullRequestOpened', style: 'plain', redact, at });
    assert.equal(payload.content, 'Pull request opened: OOMKilled fix for Deployment shop/jokeservice');
    assert.deepEqual(payload.allowed_mentions, { parse: [] });
    assert.equal(payload.embeds.length, 1);
    const [embed] = payload.embeds;
    assert.ok(embed);
    assert.equal(embed.title, 'Pull request opened: OOMKilled fix for Deployment shop/jokeservice');
    assert.equal(embed.url, 'https://gitea.example/shop/deploy/pulls/7');
    assert.equal(embed.color, DISCORD_COLORS.pullRequestOpened);
    assert.equal(embed.timestamp, at);
    assert.deepEqual(embed.author, { name: 'Deployment shop/jokeservice (container app)' });
    assert.equal(embed.footer.text, 'HealingIncident shop/jokeservice-oomkilled-3f9a2c1d · AegisWatch shop-guard · GopherGuard');
    assert.match(embed.description ?? '', /^Raise the memory limit of app from 64Mi to 128Mi\.\n\n\*\*Root cause\*\*\nThe memory limit/);
    assert.match(embed.description ?? '', /```diff\n- {12}memory: 64Mi\n\+ {12}memory: 128Mi\n```$/);
    assert.deepEqual(embed.fields.find((f) => f.name === 'Pull request'), { name: 'Pull request', value: '[#7 (open)](https://gitea.example/shop/deploy/pulls/7)', inline: true });
    assert.deepEqual(embed.fields.find((f) => f.name === 'memory'), { name: 'memory', value: '128Mi', inline: true });
    assertDiscordLimits(payload);
  });

  it('has a colour per event', () => {
    const colours = EVENTS.map((event) => buildDiscordMessage({ incident: incidentIn(PHASE[event]), event, style: 'plain', redact, at }).embeds[0]?.color);
    assert.deepEqual(colours, EVENTS.map((e) => DISCORD_COLORS[e]));
    assert.equal(new Set(colours).size, 4);
  });

  it('witty adds the incident\'s line and a playful title; plain has neither', () => {
    const incident = incidentIn('Failed');
    const witty = buildDiscordMessage({ incident, event: 'failed', style: 'witty', redact, at }).embeds[0];
    const plain = buildDiscordMessage({ incident, event: 'failed', style: 'plain', redact, at }).embeds[0];
    assert.equal(witty?.title, '😬 The fix did not take: Deployment jokeservice still has OOMKilled');
    assert.equal(plain?.title, 'Fix failed: Deployment shop/jokeservice (OOMKilled)');
    assert.ok(witty?.description?.startsWith('*Big thoughts, small limit.*\n\n'));
    assert.ok(!JSON.stringify(plain).includes('Big thoughts'));
  });

  it('the revert follow-up links the revert PR', () => {
    const incident = incidentIn('Failed', { revert: { state: 'open', url: 'https://gitea.example/shop/deploy/pulls/8', number: 8 } });
    const followUp: NotificationEvent = { name: 'failed', followUp: 'revert' };
    const embed = buildDiscordMessage({ incident, event: followUp, style: 'plain', redact, at }).embeds[0];
    assert.equal(embed?.url, 'https://gitea.example/shop/deploy/pulls/8');
    assert.equal(embed?.color, DISCORD_COLORS.failed);
    assert.ok(embed?.fields.some((f) => f.name === 'Revert' && f.value === '[#8 (open)](https://gitea.example/shop/deploy/pulls/8)'));
  });

  it('escapes markdown from logs, and pings nobody', () => {
    const incident = incidentIn('Detected', { evidence: { summary: '# big\n**bold** @everyone [x](https://evil.example)' } });
    const payload = buildDiscordMessage({ incident, event: 'detected', style: 'plain', redact, at });
    assert.equal(payload.embeds[0]?.description, '\\# big\n\\*\\*bold\\*\\* @everyone \\[x\\](https://evil.example)');
    assert.deepEqual(payload.allowed_mentions.parse, []);
  });

  it('stays within every limit, 6000 in all included, for a 20,000-character root cause and 100 parameters', () => {
    for (const style of ['witty', 'plain'] as const) {
      for (const event of EVENTS) {
        const payload = buildDiscordMessage({ incident: stressIncident(PHASE[event]), event, style, redact: quickRedact, at });
        assertDiscordLimits(payload);
        const embed = payload.embeds[0];
        assert.ok(embed?.description?.endsWith('…') || embed?.description?.endsWith('…\n```'), 'the description was cut');
        assert.match(JSON.stringify(embed?.fields.at(-1)), /"name":"More","value":"\d+ more not shown"/);
      }
    }
  });

  it('never sends the secret in the evidence', () => {
    for (const style of ['witty', 'plain'] as const) {
      for (const event of EVENTS) {
        for (const incident of [incidentIn(PHASE[event]), stressIncident(PHASE[event])]) {
          const json = JSON.stringify(buildDiscordMessage({ incident, event, style, redact, at }));
          assert.ok(!json.includes(FAKE_SECRET) && !json.includes('ghp_'), `${event} ${style}`);
        }
      }
    }
  });

  it('drops a link the redactor turned into something that is not a URL', () => {
    const incident = incidentIn('PullRequestOpen');
    const payload = buildDiscordMessage({ incident, event: 'pullRequestOpened', style: 'plain', redact: (t) => t.replace(/https:\/\/\S+/g, '[REDACTED:url]'), at });
    assert.equal(payload.embeds[0]?.url, undefined);
    assert.ok(!JSON.stringify(payload).includes('gitea.example'));
  });
});
