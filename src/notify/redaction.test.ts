// Redaction across the three builders: the redactor runs before any cut, so a secret that
// straddles a platform's limit never leaves even its first characters behind.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Redactor } from '../redact/index.ts';
import type { MessageInput } from './content.ts';
import { buildDiscordMessage } from './discord.ts';
import { FAKE_SECRET, incidentIn } from './fixtures.ts';
import { buildSlackMessage } from './slack.ts';
import { buildWebhookPayload } from './webhook.ts';

const redactor = new Redactor();
const redact = (text: string) => redactor.redactText(text).text;
const BUILDERS = { slack: buildSlackMessage, discord: buildDiscordMessage, webhook: buildWebhookPayload };

describe('redaction in every builder', () => {
  it('a secret at any cut point is masked, not half-sent', () => {
    // Starting just before Discord's 1024 and 4096, Slack's 2000 and 3000, and the 8 KiB pre-cut.
    const starts = [1024, 2000, 3000, 4096, 8192].flatMap((limit) => [limit - 3, limit - 9]);
    for (const offset of starts) {
      // Bare, with no "token=" before it: only the GitHub rule can see it, and only whole.
      const text = `${'a '.repeat(offset).slice(0, offset - 1)} ${FAKE_SECRET}`;
      const incident = incidentIn('PullRequestOpen', { message: text, evidence: { summary: text } });
      const status = incident.status;
      assert.ok(status?.diagnosis);
      status.diagnosis = { ...status.diagnosis, rootCause: text, summary: text, action: { type: 'raiseMemoryLimit', params: { memory: text } } };
      for (const [name, build] of Object.entries(BUILDERS)) {
        for (const event of ['detected', 'pullRequestOpened'] as const) {
          const input: MessageInput = { incident, event, style: 'witty', redact, at: '2026-03-01T10:00:00Z' };
          const json = JSON.stringify(build(input));
          assert.ok(!json.includes('ghp_'), `${name} ${event} at ${offset}`);
        }
      }
    }
  });
});
