import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../server/auth/users.js';
import { installSeedPlaybooks } from '../../server/playbooks/seed.js';
import { installShippedTemplates } from '../../server/templates/shipped.js';
import { BrowserSession, startAccessApp, type AccessApp } from '../support/access-app.js';

// The playbook list says what enrolls each playbook (issue 16: "onboarding: subscription.created" was written
// nowhere a user reads), from its current published version.

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

describe('GET /api/playbooks', () => {
  it('lists what enrolls each shipped playbook', async () => {
    const list = await viewer.request('GET', '/api/playbooks');
    expect(list.status).toBe(200);
    const by = Object.fromEntries(
      (list.body.items as { key: string; enrolledBy: string[] }[]).map((p) => [p.key, p.enrolledBy]),
    );
    expect(by['onboarding-30d']).toEqual(['event subscription.created', 'by hand']);
    expect(by['rescue-high']).toEqual(['entering risk level high', 'by hand']);
    expect(by['renewal-cadence']).toEqual(['the daily sweep 120 days before renewalDate', 'by hand']);
    expect(by['loyalty-tiers']).toEqual(['the daily sweep on startDate', 'by hand']);
    expect(by['referral']).toEqual(['event referral.converted']);
    expect(by['re-engagement']).toEqual([
      'event product.inactive (matching its filter)',
      'event usage.frequencyDropped',
      'by hand',
    ]);
  });
});
