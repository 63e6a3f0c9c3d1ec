import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { api, publish, runOf, runUntil } from '../support/rescue-playbooks.js';

// Issue 16, item 5, through the API rather than a CSV file: an account created by POST /api/accounts 45 days
// before its renewal, or moved there by PATCH, enters the renewal cadence at −30 d, as an imported one does.

const zone = 'Europe/Madrid';
const inDays = (days: number) => DateTime.now().setZone(zone).plus({ days }).toISODate()!;
const key = `catch-up-api-${Date.now()}`;

beforeAll(async () => {
  const seed = JSON.parse(readFileSync('playbooks/seed/renewal-cadence.json', 'utf8')) as Record<string, unknown>;
  await publish({ ...seed, key, name: 'Renewal cadence (catch-up by API test)' });
});
afterAll(async () => {
  await api('POST', `/api/playbooks/${key}/archive`);
});

async function expectEnteredAtMinus30(accountId: string) {
  const run = await runOf(accountId, key);
  const detail = await runUntil(
    run.workflowId,
    'the run to wait for −30 d',
    (d) => d.position?.waiting?.kind === 'timer',
  );
  expect(detail.timeline[0]!.why).toContain('renewalDate set to');
  expect(detail.timeline[0]!.why).toContain(
    'renewal in 45 days: the −120, −90 and −60 d steps are past; enters at −30 d',
  );
  // Straight from the start to the −30 d wait: no QBR invite, no proposal.
  expect(detail.timeline.map((e) => e.summary)).toEqual([
    expect.stringMatching(/^Enrolled in /),
    expect.stringMatching(/^Until 30 days before renewal: until /),
  ]);
}

it('an account created by POST 45 days before renewal enters the cadence at −30 d', async () => {
  const created = await api('POST', '/api/accounts', {
    externalId: `post-late-${randomUUID().slice(0, 8)}`,
    name: 'Norte Logística',
    timeZone: zone,
    segment: 'tech-touch',
    renewalDate: inDays(45),
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  await expectEnteredAtMinus30(created.body.id as string);
});

it('an account whose renewal a PATCH moves to 45 days ahead enters the cadence at −30 d', async () => {
  const created = await api('POST', '/api/accounts', {
    externalId: `patch-late-${randomUUID().slice(0, 8)}`,
    name: 'Pacífico Retail',
    timeZone: zone,
    segment: 'tech-touch',
    renewalDate: inDays(300),
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const id = created.body.id as string;
  const patched = await api('PATCH', `/api/accounts/${id}`, { renewalDate: inDays(45) });
  expect(patched.status, JSON.stringify(patched.body)).toBe(200);
  expect(patched.body.changed).toEqual(['renewalDate']);
  await expectEnteredAtMinus30(id);
});
