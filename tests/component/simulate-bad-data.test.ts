import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../server/auth/users.js';
import { installSeedPlaybooks } from '../../server/playbooks/seed.js';
import { installShippedTemplates } from '../../server/templates/shipped.js';
import { BrowserSession, startAccessApp, type AccessApp } from '../support/access-app.js';

// The preview of a playbook for data no run could use answers 422 naming the value to fix — never a 500 (issue 16,
// item 6: an impossible renewal date made the simulate endpoint answer 500).

const PASSWORD = 'correct horse battery staple';
let app: AccessApp;
let viewer: BrowserSession;

beforeAll(async () => {
  app = await startAccessApp();
  await createUser(app.db, { email: 'viewer@acme.example', role: 'viewer', password: PASSWORD });
  viewer = new BrowserSession(app);
  expect((await viewer.signIn('viewer@acme.example', PASSWORD)).status).toBe(200);
  await installShippedTemplates(app.db);
  await installSeedPlaybooks(app.db);
}, 120_000);
afterAll(() => app?.close());

const preview = (body: unknown) => viewer.request('POST', '/api/playbooks/renewal-cadence/simulate', body);
const account = (fields: Record<string, unknown>) => ({ id: 'sample', timeZone: 'Europe/Madrid', fields });

describe('simulate with data no run could use', () => {
  it('answers 422 naming an impossible date in the account', async () => {
    const res = await preview({
      account: account({ segment: 'tech-touch', renewalDate: '2026-02-30' }),
      startAt: '2026-01-05T10:00:00Z',
    });
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body)).toContain(
      'account.fields.renewalDate: \\"2026-02-30\\" is not a date that exists',
    );
  });

  it('answers 4xx for an impossible start instant (the schema) or date in a scripted change', async () => {
    const start = await preview({ account: account({ renewalDate: '2026-06-30' }), startAt: '2026-02-30T10:00:00Z' });
    expect(start.status).toBe(400);
    expect(JSON.stringify(start.body)).toContain('startAt');
    const change = await preview({
      account: account({ renewalDate: '2026-06-30' }),
      startAt: '2026-01-05T10:00:00Z',
      changes: [{ afterHours: 24, fields: { renewalDate: '2026-04-31' } }],
    });
    expect(change.status).toBe(422);
    expect(JSON.stringify(change.body)).toContain('changes[0].fields.renewalDate');
  });

  it('previews a missing renewal date as a failed step, saying why, instead of passing it silently', async () => {
    const res = await preview({ account: account({ segment: 'tech-touch' }), startAt: '2026-01-05T10:00:00Z' });
    expect(res.status).toBe(200);
    const timeline = res.body.timeline as { kind: string; summary: string; why: string }[];
    const failed = timeline.find((e) => e.kind === 'failed');
    expect(failed?.why).toContain('the account has no renewalDate');
    expect(timeline.some((e) => e.kind === 'email')).toBe(false);
  });
});
