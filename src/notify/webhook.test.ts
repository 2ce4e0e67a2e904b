import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Redactor } from '../redact/index.ts';
import type { NotificationEvent } from './events.ts';
import { FAKE_SECRET, incidentIn, stressIncident } from './fixtures.ts';
import { buildWebhookPayload, WEBHOOK_LIMITS } from './webhook.ts';

const redactor = new Redactor();
const redact = (text: string) => redactor.redactText(text).text;
const at = '2026-03-01T10:01:15Z';

describe('generic webhook payload', () => {
  it('carries the incident as versioned data', () => {
    const payload = buildWebhookPayload({ incident: incidentIn('Healed'), event: 'healed', style: 'plain', redact, at });
    assert.deepEqual(payload, {
      version: 1,
      event: 'healed',
      style: 'plain',
      headline: 'Healed: Deployment shop/jokeservice (OOMKilled) in 29 s',
      text: 'healed: no OOMKilled for 10 s after the fix was deployed',
      incident: { name: 'jokeservice-oomkilled-3f9a2c1d', namespace: 'shop', watch: 'shop-guard', fingerprint: '3f9a2c1d5e6f7a8b' },
      workload: { kind: 'Deployment', namespace: 'shop', name: 'jokeservice', container: 'app' },
      class: 'OOMKilled',
      phase: 'Healed',
      message: 'healed: no OOMKilled for 10 s after the fix was deployed',
      diagnosis: {
        summary: 'Raise the memory limit of app from 64Mi to 128Mi.',
        rootCause: 'The memory limit (64Mi) is below the working set (~90Mi) since commit 1a2b3c. Log: token=[REDACTED:generic-api-key]',
        confidence: 0.9,
        engine: 'rules',
        action: { type: 'raiseMemoryLimit', params: { container: 'app', memory: '128Mi' } },
      },
      proposal: { file: 'deploy/overlays/sandbox/deployment.yaml' },
      pullRequest: { url: 'https://gitea.example/shop/deploy/pulls/7', number: 7, state: 'merged' },
      verification: { result: 'Healed', timeToHealSeconds: 29 },
      at,
    });
  });

  it('witty adds the line and a playful headline', () => {
    const payload = buildWebhookPayload({ incident: incidentIn('Detected'), event: 'detected', style: 'witty', redact, at });
    assert.equal(payload.headline, '🚨 Deployment jokeservice is having a moment (OOMKilled)');
    assert.ok(payload.witty && payload.witty.length > 0);
    assert.equal(buildWebhookPayload({ incident: incidentIn('Detected'), event: 'detected', style: 'plain', redact, at }).witty, undefined);
  });

  it('the diff only when a pull request opens; the revert and the follow-up flag when failed', () => {
    assert.equal(buildWebhookPayload({ incident: incidentIn('PullRequestOpen'), event: 'pullRequestOpened', style: 'plain', redact, at }).proposal?.diff, '-            memory: 64Mi\n+            memory: 128Mi');
    const incident = incidentIn('Failed', { revert: { state: 'open', url: 'https://gitea.example/shop/deploy/pulls/8', number: 8 } });
    const followUp: NotificationEvent = { name: 'failed', followUp: 'revert' };
    const payload = buildWebhookPayload({ incident, event: followUp, style: 'plain', redact, at });
    assert.equal(payload.event, 'failed');
    assert.equal(payload.followUp, 'revert');
    assert.deepEqual(payload.revert, { state: 'open', url: 'https://gitea.example/shop/deploy/pulls/8', number: 8 });
    assert.equal(payload.proposal?.diff, undefined);
  });

  it('is bounded and secret-free for the stress incident', () => {
    const payload = buildWebhookPayload({ incident: stressIncident('PullRequestOpen'), event: 'pullRequestOpened', style: 'witty', redact, at });
    const json = JSON.stringify(payload);
    assert.ok(json.length < 64 * 1024, `${json.length}`);
    assert.ok(!json.includes(FAKE_SECRET) && !json.includes('ghp_'));
    assert.ok((payload.diagnosis?.rootCause.length ?? 0) <= WEBHOOK_LIMITS.text);
    assert.ok(Object.keys(payload.diagnosis?.action.params ?? {}).length <= WEBHOOK_LIMITS.params);
    assert.ok((payload.proposal?.diff?.length ?? 0) <= WEBHOOK_LIMITS.diff);
    assert.ok(json.isWellFormed());
  });
});
