import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountInput } from '../../engine/accounts/schema.js';
import { createAccount } from '../../server/accounts/store.js';
import { createUser } from '../../server/auth/users.js';
import { recordEvents } from '../../server/events/store.js';
import { BrowserSession, startAccessApp, type AccessApp } from '../support/access-app.js';

// The referral ledger through the API (GET /api/accounts/:id/referrals), fed by the account events a billing or
// CRM system sends: $200 per referred customer who subscribes, $100 more when one renews, and 20 % off the first
// month on the referred account's own ledger. Reading it twice counts nothing twice.

const PASSWORD = 'correct horse battery staple';
let app: AccessApp;
let ops: BrowserSession;

beforeAll(async () => {
  app = await startAccessApp();
  await createUser(app.db, { email: 'ops@acme.example', role: 'ops', password: PASSWORD });
  ops = new BrowserSession(app);
  expect((await ops.signIn('ops@acme.example', PASSWORD)).status).toBe(200);
}, 120_000);
afterAll(() => app?.close());

const account = (externalId: string, name: string) =>
  createAccount(app.db, AccountInput.parse({ externalId, name, segment: 'tech-touch' }));

describe('the referral ledger', () => {
  it('credits the referrer $200 per conversion and $100 per renewal; the referred gets 20 % off month one', async () => {
    const referrer = await account('ref-1', 'Norte Logística');
    const referred = await account('ref-2', 'Sur Foods');
    await recordEvents(app.db, [
      {
        accountId: referrer.id,
        name: 'referral.converted',
        occurredAt: new Date('2027-01-10T10:00:00Z'),
        data: { referredName: 'Sur Foods', referredAccountId: referred.id },
      },
      {
        accountId: referrer.id,
        name: 'referral.converted',
        occurredAt: new Date('2027-02-01T10:00:00Z'),
        data: { referredName: 'Este Retail' },
      },
      { accountId: referrer.id, name: 'referral.renewed', occurredAt: new Date('2028-01-10T10:00:00Z'), data: {} },
      { accountId: referrer.id, name: 'product.session', occurredAt: new Date('2027-01-11T10:00:00Z'), data: {} },
    ]);

    const first = await ops.request('GET', `/api/accounts/${referrer.id}/referrals`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ creditCents: 500_00, referrals: 2, renewals: 1, currency: 'USD' });
    expect(first.body.entries.map((e: { description: string }) => e.description)).toEqual([
      '$200 credit: a referred customer subscribed (Sur Foods)',
      '$200 credit: a referred customer subscribed (Este Retail)',
      '$100 credit: a referred customer renewed',
    ]);
    const again = await ops.request('GET', `/api/accounts/${referrer.id}/referrals`);
    expect(again.body).toEqual(first.body);

    const theirs = await ops.request('GET', `/api/accounts/${referred.id}/referrals`);
    expect(theirs.body).toMatchObject({ creditCents: 0, referrals: 0 });
    expect(theirs.body.entries).toEqual([
      expect.objectContaining({
        kind: 'referredDiscount',
        discountPercent: 20,
        counterpart: referrer.id,
        at: '2027-01-10T10:00:00.000Z',
      }),
    ]);
  });

  it('answers 404 for an unknown account and 400 for an id that is not one', async () => {
    expect((await ops.request('GET', '/api/accounts/00000000-0000-4000-8000-000000000000/referrals')).status).toBe(404);
    expect((await ops.request('GET', '/api/accounts/not-an-id/referrals')).status).toBe(400);
  });
});
