import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { signWebhook, verifyWebhook } from '../../server/effects/signature.js';
import { assigneeFor } from '../../server/effects/task.js';
import { patchFor } from '../../server/effects/update-field.js';

// The pure rules of the effect deliverers; the deliverers themselves, against PGlite and real servers, are in
// tests/component/effects.test.ts.

describe('effect deliverers, pure parts', () => {
  it('signs webhooks as Standard Webhooks: the spec’s own example verifies, and a changed body, id or time does not', () => {
    // The example of the Standard Webhooks test suite: this secret, id, time and body give exactly this signature.
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const body = '{"test": 2432232314}';
    const headers = signWebhook(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', body, new Date(1_614_265_330_000));
    expect(headers).toEqual({
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    });
    // That example is years old: a receiver refuses it as a possible replay.
    expect(verifyWebhook(secret, body, headers)).toBe(false);

    const now = signWebhook('s3cret', 'run-1:crm', '{"a":1}', new Date());
    expect(verifyWebhook('s3cret', '{"a":1}', now)).toBe(true);
    expect(verifyWebhook('s3cret', '{"a":2}', now)).toBe(false);
    expect(verifyWebhook('other', '{"a":1}', now)).toBe(false);
    expect(verifyWebhook('s3cret', '{"a":1}', { ...now, 'webhook-id': 'run-2:crm' })).toBe(false);
    const later = String(Number(now['webhook-timestamp']) + 1);
    expect(verifyWebhook('s3cret', '{"a":1}', { ...now, 'webhook-timestamp': later })).toBe(false);
    expect(verifyWebhook('s3cret', '{"a":1}', { 'webhook-id': 'run-1:crm' })).toBe(false);
  });

  it('keys a plain WEBHOOK_SECRET by its bytes, as a receiver’s library does given whsec_ + its base64', () => {
    const now = signWebhook('plain secret ñ', 'run-1:crm', '{}', new Date());
    const standard = `whsec_${Buffer.from('plain secret ñ').toString('base64')}`;
    expect(verifyWebhook(standard, '{}', now)).toBe(true);
  });

  it('refuses at start-up a whsec_ WEBHOOK_SECRET that is not base64, naming the setting', () => {
    expect(() => loadConfig({ WEBHOOK_SECRET: 'whsec_not base64!' })).toThrow(/WEBHOOK_SECRET.*base64/);
    expect(() => loadConfig({ WEBHOOK_SECRET: 'whsec_' })).toThrow(/WEBHOOK_SECRET/);
    expect(loadConfig({ WEBHOOK_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }).WEBHOOK_SECRET).toMatch(/^whsec_/);
    expect(loadConfig({ WEBHOOK_SECRET: 'any string at all' }).WEBHOOK_SECRET).toBe('any string at all');
  });

  it('assigns to the owner or the manager, or says why nobody', () => {
    const account = { name: 'Acme', ownerCsmEmail: 'ana@x.example', csmManagerEmail: null };
    expect(assigneeFor({ assignee: 'ownerCsm' }, account, 'a1')).toEqual({ email: 'ana@x.example', note: null });
    expect(assigneeFor({ assignee: 'ownerCsm' }, undefined, 'a1').note).toBe(
      'unassigned: account a1 is not stored, so it names no owner CSM',
    );
  });

  it('writes built-in fields as properties and the rest as custom fields', () => {
    expect(patchFor('lifecycleStage', 'onboarded')).toEqual({ lifecycleStage: 'onboarded' });
    expect(patchFor('seats', 12)).toEqual({ custom: { seats: 12 } });
    expect(patchFor('constructor', 'x')).toEqual({ custom: { constructor: 'x' } });
  });
});
