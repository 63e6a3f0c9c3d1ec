import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { asAdmin } from '../support/api.js';
import { api, publish, runOf, runsOf, runUntil } from '../support/rescue-playbooks.js';

// The operator sees beforehand what an import sets in motion: the dry run of a file whose rows set renewal dates
// says how many accounts the renewal cadence would take (those inside its 120-day window), writes nothing and
// starts nothing; the real import reports the same, and exactly those accounts' runs start.

const zone = 'Europe/Madrid';
const inDays = (days: number) => DateTime.now().setZone(zone).plus({ days }).toISODate()!;
const key = `import-forecast-${Date.now()}`;
const tag = randomUUID().slice(0, 8);
const ext = (name: string) => `${tag}-${name}`;

beforeAll(async () => {
  const seed = JSON.parse(readFileSync('playbooks/seed/renewal-cadence.json', 'utf8')) as Record<string, unknown>;
  await publish({ ...seed, key, name: 'Renewal cadence (import forecast test)' });
});
afterAll(async () => {
  await api('POST', `/api/playbooks/${key}/archive`);
});

async function importCsv(text: string, dryRun: boolean) {
  const res = await fetch(`${inject('apiUrl')}/api/accounts/import?kind=accounts&dryRun=${dryRun}`, {
    method: 'POST',
    headers: asAdmin({ 'content-type': 'text/csv' }),
    body: text,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const file = [
  'external_id,name,time_zone,segment,renewal_date',
  `${ext('in-45')},Norte Logística,${zone},tech-touch,${inDays(45)}`,
  `${ext('in-100')},Sur Foods,${zone},tech-touch,${inDays(100)}`,
  `${ext('out-300')},Este SA,${zone},tech-touch,${inDays(300)}`,
  `${ext('out-past')},Oeste SL,${zone},tech-touch,${inDays(-10)}`,
].join('\n');

const ours = (body: Record<string, unknown>) =>
  (body.enrollments as { playbookKey: string }[] | undefined)?.find((e) => e.playbookKey === key);

it('forecasts the renewal cadence for the accounts inside its window, writes nothing, then does just that', async () => {
  const dry = await importCsv(file, true);
  expect(dry.status, JSON.stringify(dry.body)).toBe(200);
  expect(dry.body).toMatchObject({ created: 4, rejected: [] });
  const forecast = {
    playbookKey: key,
    name: 'Renewal cadence (import forecast test)',
    accounts: 2,
    example: `renewalDate set to ${inDays(45)}: 120 days before (${inDays(45 - 120)}) is already past, enrolling late`,
  };
  expect(ours(dry.body)).toEqual(forecast);
  // Four accounts get their dates, at the default 50 a second.
  expect(dry.body.handOff).toEqual({ accounts: 4, perSecond: 50, estimatedSeconds: 1 });
  // Nothing written, nothing started.
  for (const name of ['in-45', 'in-100', 'out-300', 'out-past'])
    expect((await api('GET', `/api/accounts/by-external-id/${ext(name)}`)).status).toBe(404);
  expect((await api('GET', `/api/runs?playbook=${key}`)).body.items).toEqual([]);

  const real = await importCsv(file, false);
  expect(real.status, JSON.stringify(real.body)).toBe(200);
  expect(ours(real.body)).toEqual(forecast);
  expect(real.body.handOff).toEqual(dry.body.handOff);
  const id = async (name: string) => (await api('GET', `/api/accounts/by-external-id/${ext(name)}`)).body.id as string;
  for (const name of ['in-45', 'in-100']) {
    const run = await runOf(await id(name), key);
    const detail = await runUntil(run.workflowId, 'the run to start', (d) => d.timeline.length > 0);
    expect(detail.timeline[0]!.why).toContain('enrolling late');
  }
  // The two outside the window were handed over too (before or with the others): no run for them.
  for (const name of ['out-300', 'out-past']) expect(await runsOf(await id(name), key)).toEqual([]);
});
