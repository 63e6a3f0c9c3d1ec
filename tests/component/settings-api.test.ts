import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountInput } from '../../engine/accounts/schema.js';
import { DEFAULT_GOVERNANCE } from '../../engine/governance/schema.js';
import { DEFAULT_CALENDAR_SETTINGS } from '../../engine/time/calendar-settings.js';
import { createAccount } from '../../server/accounts/store.js';
import { createUser } from '../../server/auth/users.js';
import { enroll } from '../../server/playbooks/runs.js';
import { compiledVersion, findPlaybook } from '../../server/playbooks/store.js';
import { installSeedPlaybooks } from '../../server/playbooks/seed.js';
import type { RunInput } from '../../engine/interpreter/types.js';
import type { Client } from '@temporalio/client';
import { installShippedTemplates } from '../../server/templates/shipped.js';
import { BrowserSession, startAccessApp, type AccessApp } from '../support/access-app.js';

// Settings → Calendars and sending, through the API as the settings page calls it: bad input answers 4xx and
// writes nothing (no settings row, no audit entry); a save is audited and read back; and the preview of the
// shipped onboarding reads the same settings as a run — all five first-week emails by default, "would be skipped:
// cap reached" once an operator caps it, a company closure moving its email to the next open day.

const PASSWORD = 'correct horse battery staple';
let app: AccessApp;
let ops: BrowserSession;
let viewer: BrowserSession;

const written = async () => ({
  settings: (await app.db.selectFrom('install_settings').select('section').execute()).map((r) => r.section).sort(),
  audit: (await app.db.selectFrom('audit_log').select('action').where('action', 'like', 'settings.%').execute()).map(
    (r) => r.action,
  ),
});

beforeAll(async () => {
  app = await startAccessApp();
  await createUser(app.db, { email: 'ops@acme.example', role: 'ops', password: PASSWORD });
  await createUser(app.db, { email: 'viewer@acme.example', role: 'viewer', password: PASSWORD });
  ops = new BrowserSession(app);
  viewer = new BrowserSession(app);
  expect((await ops.signIn('ops@acme.example', PASSWORD)).status).toBe(200);
  expect((await viewer.signIn('viewer@acme.example', PASSWORD)).status).toBe(200);
  await installShippedTemplates(app.db);
  await installSeedPlaybooks(app.db);
}, 120_000);
afterAll(() => app?.close());

describe('the calendars and sending settings API', () => {
  it('reads the shipped defaults before anything is saved', async () => {
    const calendars = await ops.request('GET', '/api/settings/calendars');
    expect(calendars.status).toBe(200);
    expect(calendars.body).toEqual({ value: DEFAULT_CALENDAR_SETTINGS, updatedAt: null, updatedBy: null });
    const governance = await ops.request('GET', '/api/settings/governance');
    expect(governance.body.value).toEqual(DEFAULT_GOVERNANCE);
    expect(governance.body.value.playbooks['onboarding-30d']).toMatchObject({ exempt: true });
  });

  it('answers 4xx for input it cannot keep, names the problem, and writes nothing', async () => {
    const install = DEFAULT_CALENDAR_SETTINGS.install;
    const badWindow = await ops.request('PUT', '/api/settings/calendars', {
      ...DEFAULT_CALENDAR_SETTINGS,
      install: { ...install, sendWindow: { days: ['mon'], from: '18:00', to: '09:00' } },
    });
    expect(badWindow.status).toBe(400);
    expect(JSON.stringify(badWindow.body)).toContain('must be later than the start of the window');

    const unknownCountry = await ops.request('PUT', '/api/settings/calendars', {
      ...DEFAULT_CALENDAR_SETTINGS,
      install: { ...install, holidayCountry: 'XX' },
    });
    expect(unknownCountry.status).toBe(422);
    expect(unknownCountry.body.detail ?? unknownCountry.body.message).toContain('No public holidays are known for XX');

    const badCap = await ops.request('PUT', '/api/settings/governance', {
      ...DEFAULT_GOVERNANCE,
      frequencyCap: { max: 0, period: { amount: 7, unit: 'days' } },
    });
    expect(badCap.status).toBe(400);
    expect(JSON.stringify(badCap.body)).toContain('must allow at least 1 email');

    const notJson = await ops.request('PUT', '/api/settings/governance', 'three a week');
    expect(notJson.status).toBe(400);

    expect((await viewer.request('PUT', '/api/settings/governance', DEFAULT_GOVERNANCE)).status).toBe(403);
    expect((await ops.request('GET', '/api/settings/holidays?country=XX&year=2026')).status).toBe(422);
    expect(await written()).toEqual({ settings: [], audit: [] });
  });

  it('lists a country’s public holidays for the page', async () => {
    const res = await viewer.request('GET', '/api/settings/holidays?country=mx&year=2026');
    expect(res.status).toBe(200);
    expect(res.body.country).toBe('MX');
    expect(res.body.holidays).toContainEqual({ date: '2026-09-16', name: expect.stringMatching(/Independence/) });
  });

  it('saves calendars with an audit entry, and resolves an account’s calendar from install, segment and account', async () => {
    const account = await createAccount(
      app.db,
      AccountInput.parse({
        externalId: 'acme-mx',
        name: 'Acme MX',
        segment: 'tech-touch',
        timeZone: 'America/Mexico_City',
      }),
    );
    const settings = {
      ...DEFAULT_CALENDAR_SETTINGS,
      install: { ...DEFAULT_CALENDAR_SETTINGS.install, holidayCountry: 'ES' },
      segments: { 'tech-touch': { holidayCountry: 'MX' } },
      accounts: {
        [account.id]: {
          closures: [{ from: '2026-12-28', to: '2026-12-31', label: 'Year-end closure' }],
          sendWindow: { days: ['tue', 'wed'], from: '10:00', to: '12:00' },
        },
      },
    };
    const saved = await ops.request('PUT', '/api/settings/calendars', settings);
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ value: settings, updatedBy: 'ops@acme.example' });
    expect(await written()).toEqual({ settings: ['calendars'], audit: ['settings.calendars.saved'] });

    const calendar = await viewer.request('GET', `/api/accounts/${account.id}/calendar`);
    expect(calendar.status).toBe(200);
    expect(calendar.body).toMatchObject({
      sources: ['install', 'segment tech-touch', 'account'],
      holidayCountry: 'MX',
      sendWindow: { days: ['tue', 'wed'], from: '10:00', to: '12:00' },
    });
    expect(calendar.body.closedDays).toEqual(expect.arrayContaining(['2026-09-16', '2026-12-25', '2026-12-29']));
    expect(calendar.body.closedDays).not.toContain('2026-10-12'); // Spain's national day: not this account's
    // Back to the defaults for the previews below.
    expect((await ops.request('PUT', '/api/settings/calendars', DEFAULT_CALENDAR_SETTINGS)).status).toBe(200);
  });
});

describe('the onboarding preview reads the same settings as a run', () => {
  const firstWeek = async () => {
    const res = await viewer.request('POST', '/api/playbooks/onboarding-30d/simulate', {
      account: { id: 'sample', timeZone: 'Europe/Madrid', fields: { segment: 'tech-touch' } },
      startAt: '2026-03-02T10:00:00Z',
    });
    expect(res.status).toBe(200);
    return (res.body.timeline as { kind: string; day: number; summary: string; why: string; at: string }[])
      .filter((e) => e.kind === 'email' && e.day <= 7)
      .map((e) => ({
        day: e.day,
        date: e.at.slice(0, 10),
        template: /\((\S+)\) to /.exec(e.summary)![1],
        skipped: e.summary.endsWith(': skipped') ? e.why : undefined,
      }));
  };

  it('sends the five first-week emails with the default settings', async () => {
    const week = await firstWeek();
    expect(week.map((e) => [e.day, e.template, e.skipped])).toEqual([
      [0, 'welcome', undefined],
      [4, 'onboarding-day4', undefined],
      [5, 'onboarding-day5', undefined],
      [6, 'onboarding-day6', undefined],
      [7, 'onboarding-day7', undefined],
    ]);
  });

  it('says "would be skipped: cap reached" on day 6 once onboarding is capped like any playbook', async () => {
    const capped = { ...DEFAULT_GOVERNANCE, playbooks: {} };
    expect((await ops.request('PUT', '/api/settings/governance', capped)).status).toBe(200);
    const week = await firstWeek();
    expect(week.find((e) => e.day === 6)!.skipped).toBe('would be skipped: frequency cap reached (3 per 7d)');
    expect(week.filter((e) => e.skipped)).toHaveLength(1);
    expect((await ops.request('PUT', '/api/settings/governance', DEFAULT_GOVERNANCE)).status).toBe(200);
  });

  it('moves the day-4 email past a company closure, as the run will', async () => {
    const closed = {
      ...DEFAULT_CALENDAR_SETTINGS,
      install: {
        ...DEFAULT_CALENDAR_SETTINGS.install,
        closures: [{ from: '2026-03-06', to: '2026-03-06', label: 'Offsite' }],
      },
    };
    expect((await ops.request('PUT', '/api/settings/calendars', closed)).status).toBe(200);
    const week = await firstWeek();
    // Day 4 falls on Fri 6 Mar, the closure: it goes out on Sat 7 Mar (its window is every day), and the rest follow.
    expect(week.find((e) => e.template === 'onboarding-day4')!.date).toBe('2026-03-07');
    expect((await ops.request('PUT', '/api/settings/calendars', DEFAULT_CALENDAR_SETTINGS)).status).toBe(200);
  });
});

describe('enrollment keeps the calendar the preview shows', () => {
  it('starts the run with the account’s resolved calendar and window as its settings', async () => {
    const account = await createAccount(
      app.db,
      AccountInput.parse({ externalId: 'acme-es', name: 'Acme ES', segment: 'high-touch', timeZone: 'Europe/Madrid' }),
    );
    const settings = {
      ...DEFAULT_CALENDAR_SETTINGS,
      install: {
        ...DEFAULT_CALENDAR_SETTINGS.install,
        holidayCountry: 'ES-MD',
        closures: [{ from: '2026-08-10', to: '2026-08-14', label: 'Summer closure' }],
      },
      segments: { 'high-touch': { sendWindow: { days: ['mon', 'tue', 'wed', 'thu'], from: '08:30', to: '17:00' } } },
    };
    expect((await ops.request('PUT', '/api/settings/calendars', settings)).status).toBe(200);
    // Only the start request is recorded: what a run is given is the point here (the workflow lane runs one).
    const started: RunInput[] = [];
    const temporal = {
      workflow: {
        start: async (_type: string, options: { workflowId: string; args: [RunInput] }) => {
          started.push(options.args[0]);
          return { workflowId: options.workflowId, firstExecutionRunId: 'run-1' };
        },
      },
    } as unknown as Client;
    const playbook = await compiledVersion(app.db, await findPlaybook(app.db, 'onboarding-30d'));
    const snapshot = { id: account.id, timeZone: account.timeZone, fields: { segment: 'high-touch' } };
    await enroll({ temporal, config: { TEMPORAL_TASK_QUEUE: 'q' }, db: app.db }, playbook, snapshot);

    const kept = started[0]!.settings!;
    expect(kept.sendWindow).toEqual({ days: ['mon', 'tue', 'wed', 'thu'], from: '08:30', to: '17:00' });
    const year = new Date().getUTCFullYear();
    expect(kept.calendar!.holidays).toEqual(
      expect.arrayContaining([`${year}-05-02`, `${year + 1}-01-06`, '2026-08-12', `${year}-12-25`]),
    );
    expect(kept.calendar!.weekend).toEqual(['sat', 'sun']);
    expect((await ops.request('PUT', '/api/settings/calendars', DEFAULT_CALENDAR_SETTINGS)).status).toBe(200);
  });
});
