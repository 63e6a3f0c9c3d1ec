import { describe, expect, it } from 'vitest';
import { verifyWebhookSignature, webhookSignature } from '../../server/effects/signature.js';
import { assigneeFor } from '../../server/effects/task.js';
import { patchFor } from '../../server/effects/update-field.js';

// The pure rules of the effect deliverers; the deliverers themselves, against PGlite and real servers, are in
// tests/component/effects.test.ts.

describe('effect deliverers, pure parts', () => {
  it('signs the timestamp with the body', () => {
    const header = webhookSignature('s3cret', '{"a":1}', 1_700_000_000);
    expect(header).toMatch(/^t=1700000000,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature('s3cret', '{"a":1}', header)).toBe(true);
    expect(verifyWebhookSignature('s3cret', '{"a":2}', header)).toBe(false);
    expect(verifyWebhookSignature('s3cret', '{"a":1}', header.replace('t=1700000000', 't=1700000001'))).toBe(false);
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
