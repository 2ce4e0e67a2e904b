import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Redactor } from '../redact/index.ts';
import type { EventName, NotificationEvent } from './events.ts';
import { FAKE_SECRET, incidentIn, stressIncident } from './fixtures.ts';
import { buildSlackMessage, SLACK_LIMITS, type SlackPayload } from './slack.ts';

const redactor = new Redactor();
const redact = (text: string) => redactor.redactText(text).text;
const at = '2026-03-01T10:01:15Z';
// For the limit tests, where what is masked does not matter and the real redactor's ~1 ms per KiB would.
const quickRedact = (text: string) => text.replaceAll(FAKE_SECRET, '[REDACTED:github-pat]');
const PHASE = { detected: 'Detected', fixProposed: 'Proposed', pullRequestOpened: 'PullRequestOpen', healed: 'Healed', failed: 'Failed' } as const;

/** Every limit Slack documents for what we send, checked on a payload. */
function assertSlackLimits(payload: SlackPayload): void {
  assert.ok(payload.text.length > 0 && payload.text.length <= SLACK_LIMITS.fallbackText, `text ${payload.text.length}`);
  assert.ok(payload.blocks.length <= SLACK_LIMITS.blocks);
  for (const block of payload.blocks) {
    if (block.type === 'header') {
      assert.equal(block.text.type, 'plain_text');
      assert.ok(block.text.text.length <= SLACK_LIMITS.headerText, `header ${block.text.text.length}`);
    } else if (block.type === 'section') {
      assert.ok(block.text || block.fields, 'a section has text or fields');
      if (block.text) assert.ok(block.text.text.length <= SLACK_LIMITS.sectionText, `section ${block.text.text.length}`);
      if (block.fields) {
        assert.ok(block.fields.length <= SLACK_LIMITS.sectionFields, `fields ${block.fields.length}`);
        for (const field of block.fields) assert.ok(field.text.length <= SLACK_LIMITS.fieldText, `field ${field.text.length}`);
      }
    } else {
      assert.ok(block.elements.length <= SLACK_LIMITS.contextElements);
      for (const element of block.elements) assert.ok(element.text.length <= SLACK_LIMITS.sectionText);
    }
  }
  assert.ok(JSON.stringify(payload).isWellFormed());
}

describe('Slack message', () => {
  it('is a header, sections with mrkdwn fields and a context, with a text fallback', () => {
    const payload = buildSlackMessage({ incident: incidentIn('PullRequestOpen'), event: 'pullRequestOpened', style: 'plain', redact, at });
    assert.deepEqual(payload.blocks.map((b) => b.type), ['header', 'section', 'section', 'section', 'section', 'context']);
    const [header, story, rootCause, facts, diff, context] = payload.blocks;
    assert.deepEqual(header, { type: 'header', text: { type: 'plain_text', text: 'Pull request opened: OOMKilled fix for Deployment shop/jokeservice', emoji: true } });
    assert.equal(story?.type === 'section' && story.text?.text, 'Raise the memory limit of app from 64Mi to 128Mi.');
    assert.match(rootCause?.type === 'section' ? rootCause.text?.text ?? '' : '', /^\*Root cause\*\nThe memory limit \(64Mi\)/);
    assert.ok(facts?.type === 'section' && facts.fields);
    assert.ok(facts.fields.every((f) => f.type === 'mrkdwn'));
    assert.ok(facts.fields.some((f) => f.text === '*Pull request*\n<https://gitea.example/shop/deploy/pulls/7|#7 (open)>'));
    assert.ok(facts.fields.some((f) => f.text === '*memory*\n128Mi'));
    assert.equal(diff?.type === 'section' && diff.text?.text, '```\n-            memory: 64Mi\n+            memory: 128Mi\n```');
    assert.ok(context?.type === 'context' && context.elements.some((e) => e.text === 'HealingIncident shop/jokeservice-oomkilled-3f9a2c1d'));
    assert.equal(payload.text, 'Pull request opened: OOMKilled fix for Deployment shop/jokeservice: Raise the memory limit of app from 64Mi to 128Mi. <https://gitea.example/shop/deploy/pulls/7|Pull request #7>');
    assert.equal(payload.unfurl_links, false);
    assertSlackLimits(payload);
  });

  it('a suggest-mode proposal carries the diff and says no pull request was opened', () => {
    const payload = buildSlackMessage({ incident: incidentIn('Proposed'), event: 'fixProposed', style: 'plain', redact, at });
    const [header] = payload.blocks;
    assert.deepEqual(header, { type: 'header', text: { type: 'plain_text', text: 'Fix proposed (suggest mode, no pull request): OOMKilled in Deployment shop/jokeservice', emoji: true } });
    assert.match(JSON.stringify(payload.blocks), /Suggest mode: no pull request was opened/);
    assert.ok(payload.blocks.some((b) => b.type === 'section' && b.text?.text === '```\n-            memory: 64Mi\n+            memory: 128Mi\n```'), 'the diff');
    assertSlackLimits(payload);
  });

  it('witty adds the incident\'s line and a playful headline; plain has neither', () => {
    const incident = incidentIn('Healed');
    const witty = buildSlackMessage({ incident, event: 'healed', style: 'witty', redact, at });
    const plain = buildSlackMessage({ incident, event: 'healed', style: 'plain', redact, at });
    const headerOf = (p: SlackPayload) => (p.blocks[0]?.type === 'header' ? p.blocks[0].text.text : '');
    assert.equal(headerOf(witty), '🎉 Deployment jokeservice is back on its feet in 29 s');
    assert.equal(headerOf(plain), 'Healed: Deployment shop/jokeservice (OOMKilled) in 29 s');
    assert.ok(JSON.stringify(witty).includes('_Big thoughts, small limit._'));
    assert.ok(!JSON.stringify(plain).includes('Big thoughts'));
    assert.ok(!/\p{Extended_Pictographic}/u.test(JSON.stringify(plain)), 'plain has no emoji');
  });

  it('witty falls back to the built-in line for the class when the diagnosis has none', () => {
    const payload = buildSlackMessage({ incident: incidentIn('Detected'), event: 'detected', style: 'witty', redact, at });
    assert.match(JSON.stringify(payload.blocks[1]), /_(It asked for more memory|Big thoughts|The container ate)/);
  });

  it('a failed fix shows the open revert; the follow-up is about the revert', () => {
    const incident = incidentIn('Failed', { revert: { state: 'open', url: 'https://gitea.example/shop/deploy/pulls/8', number: 8 } });
    const failed = JSON.stringify(buildSlackMessage({ incident, event: 'failed', style: 'plain', redact, at }));
    assert.ok(failed.includes('*Revert*\\n<https://gitea.example/shop/deploy/pulls/8|#8 (open)>'));
    const followUp: NotificationEvent = { name: 'failed', followUp: 'revert' };
    const revert = buildSlackMessage({ incident, event: followUp, style: 'plain', redact, at });
    assert.ok(revert.text.startsWith('Revert proposed #8: the fix for Deployment shop/jokeservice did not heal it'));
    assert.ok(revert.text.endsWith('<https://gitea.example/shop/deploy/pulls/8|Revert #8>'));
  });

  it('escapes <, > and & so that log text cannot mention @channel or forge a link', () => {
    const incident = incidentIn('Detected', { evidence: { summary: 'panic: <!channel> <https://evil.example|click> a&b' } });
    const payload = buildSlackMessage({ incident, event: 'detected', style: 'plain', redact, at });
    const story = payload.blocks[1]?.type === 'section' ? payload.blocks[1].text?.text : '';
    assert.equal(story, 'panic: &lt;!channel&gt; &lt;https://evil.example|click&gt; a&amp;b');
    assert.ok(!payload.text.includes('<!channel>'));
  });

  it('stays within every limit for a 20,000-character root cause and 100 parameters', () => {
    for (const style of ['witty', 'plain'] as const) {
      for (const event of ['detected', 'pullRequestOpened', 'healed', 'failed'] as const) {
        const payload = buildSlackMessage({ incident: stressIncident(PHASE[event]), event, style, redact: quickRedact, at });
        assertSlackLimits(payload);
        const fields = payload.blocks.find((b) => b.type === 'section' && b.fields);
        assert.ok(fields?.type === 'section' && fields.fields?.length === SLACK_LIMITS.sectionFields);
        assert.match(fields.fields.at(-1)?.text ?? '', /^\*More\*\n\d+ more not shown$/);
        assert.ok(JSON.stringify(payload).includes('…'), 'cut text ends in an ellipsis');
      }
    }
  });

  it('never sends the secret in the evidence, whatever the event, style or cut', () => {
    const events: EventName[] = ['detected', 'pullRequestOpened', 'healed', 'failed'];
    for (const style of ['witty', 'plain'] as const) {
      for (const event of events) {
        for (const incident of [incidentIn(PHASE[event]), stressIncident(PHASE[event])]) {
          const json = JSON.stringify(buildSlackMessage({ incident, event, style, redact, at }));
          assert.ok(!json.includes(FAKE_SECRET), `${event} ${style}`);
          assert.ok(!json.includes('ghp_'), 'not even a prefix of it at a cut');
        }
      }
    }
  });

  it('passes every text through the caller\'s redactor', () => {
    const mark = 'zzsecretzz';
    const incident = incidentIn('Failed', {
      message: `m ${mark}`,
      revert: { state: 'open', url: `https://gitea.example/${mark}/pulls/8`, number: 8 },
    });
    incident.metadata.name = `inc-${mark}`;
    incident.spec = { ...incident.spec, watch: `w-${mark}`, container: `c-${mark}`, workload: { kind: 'Deployment', namespace: `ns-${mark}`, name: `n-${mark}` } };
    const status = incident.status;
    assert.ok(status?.diagnosis && status.pullRequest);
    status.diagnosis = { ...status.diagnosis, rootCause: mark, summary: mark, witty: mark, action: { type: `t-${mark}`, params: { [`k-${mark}`]: mark } } };
    status.pullRequest = { ...status.pullRequest, url: `https://gitea.example/${mark}/pulls/7` };
    const scrub = (text: string) => text.replaceAll(mark, '[gone]');
    for (const style of ['witty', 'plain'] as const) {
      for (const event of [{ name: 'failed' }, { name: 'failed', followUp: 'revert' }] as NotificationEvent[]) {
        assert.ok(!JSON.stringify(buildSlackMessage({ incident, event, style, redact: scrub, at })).includes(mark));
      }
    }
  });
});
