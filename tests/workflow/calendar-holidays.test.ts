import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { AccountInput, ContactInput } from '../../engine/accounts/schema.js';
import type { RunInput, RunResult } from '../../engine/interpreter/types.js';
import { compilePlaybook } from '../../engine/playbook/compile.js';
import type { CompiledPlaybook } from '../../engine/playbook/ir.js';
import { DEFAULT_CALENDAR_SETTINGS } from '../../engine/time/calendar-settings.js';
import type { playbookRunWorkflow } from '../../engine/workflows/playbook-run.js';
import { createContact } from '../../server/accounts/contacts.js';
import { accountSnapshot, createAccount } from '../../server/accounts/store.js';
import type { AppDatabase } from '../../server/db/database.js';
import { publicHolidays } from '../../server/settings/holidays.js';
import { runSettingsFor } from '../../server/settings/run-settings.js';
import { saveCalendars } from '../../server/settings/service.js';
import { saveTemplate, templateCompileContext } from '../../server/templates/store.js';
import { startWorkflowStack, type WorkflowStack } from '../support/workflow-stack.js';

// A real run honours the public holidays an operator set in Settings: the launch email planned on a Mexican public
// holiday goes out at the send window's opening on the next business day, and arrives; an account whose own
// calendar names no country gets it on the day. Time-skipping Temporal, real activities, PGlite, and mail as a real
// SMTP server received it.

const TASK_QUEUE = 'calendar-holidays';
const ZONE = 'America/Mexico_City';
const SYSTEM = { kind: 'system', name: 'test' } as const;

let env: TestWorkflowEnvironment;
let database: AppDatabase;
let stack: WorkflowStack;
let delivered: WorkflowStack['delivered'];
let playbook: CompiledPlaybook;
/** A Mexican public holiday on a Monday to Thursday, some days ahead of the test server's clock. */
let holiday: string;

beforeAll(async () => {
  stack = await startWorkflowStack({ taskQueue: TASK_QUEUE });
  ({ env, database, delivered } = stack);
  await saveTemplate(database.db, 'launch-note', {
    name: 'Launch note',
    defaultLocale: 'en',
    locales: {
      en: { subject: 'Launch day for {{ account.name }}', body: 'Hi {{ contact.first_name }}, today is the day.' },
    },
  });
  const result = compilePlaybook(
    {
      schemaVersion: 1,
      key: 'launch-note',
      name: 'Launch note',
      triggers: [{ type: 'manual' }],
      enrollment: { mode: 'oneAtATime' },
      nodes: [
        { id: 'start', type: 'trigger', label: 'Start', config: {} },
        {
          id: 'untilLaunch',
          type: 'wait',
          label: 'Until the launch day, 10:00',
          config: { kind: 'untilDate', field: 'renewalDate', offsetDays: 0, atTime: '10:00' },
        },
        {
          id: 'note',
          type: 'email',
          label: 'Launch note',
          config: { template: 'launch-note', recipients: 'primaryContact', sendWindow: 'default' },
        },
        { id: 'done', type: 'end', label: 'Done', config: {} },
      ],
      edges: [
        { id: 'e1', source: 'start', target: 'untilLaunch' },
        { id: 'e2', source: 'untilLaunch', target: 'note' },
        { id: 'e3', source: 'note', target: 'done' },
      ],
    },
    { templates: await templateCompileContext(database.db) },
  );
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  playbook = { ...result.playbook, version: 1 };

  const today = DateTime.fromMillis(await env.currentTimeMs(), { zone: ZONE });
  holiday = publicHolidays('MX', [today.year, today.year + 1])
    .map((h) => DateTime.fromISO(h.date, { zone: ZONE }))
    .find((d) => d > today.plus({ days: 3 }) && d.weekday <= 4)!
    .toISODate()!;
}, 120_000);

afterAll(() => stack?.close());

async function launch(name: string, email: string) {
  const account = await createAccount(
    database.db,
    AccountInput.parse({ externalId: name, name, timeZone: ZONE, renewalDate: holiday }),
  );
  await createContact(database.db, account.id, ContactInput.parse({ name: 'Ana', email }));
  return account;
}

/** Starts the run as enrollment does: the account's snapshot with the settings `runSettingsFor` resolves for it. */
async function start(accountId: string) {
  const account = await accountSnapshot(database.db, accountId);
  const settings = await runSettingsFor(database.db, account, new Date(await env.currentTimeMs()));
  const input: RunInput = { playbook, account, ...(settings && { settings }) };
  return env.client.workflow.start<typeof playbookRunWorkflow>('playbookRunWorkflow', {
    taskQueue: TASK_QUEUE,
    workflowId: `playbook:launch-note:account:${accountId}`,
    args: [input],
  });
}
const noteOf = (result: RunResult) => result.timeline.find((e) => e.nodeId === 'note')!;

describe('a run keeps the calendar from the settings', () => {
  it('sends the email planned on a public holiday at 09:00 on the next business day', async () => {
    const onTheDay = await launch('Acme on the day', 'ana@on-the-day.example');
    const mexican = await launch('Acme Mexico', 'ana@mexico.example');
    await saveCalendars(
      database.db,
      {
        ...DEFAULT_CALENDAR_SETTINGS,
        install: { ...DEFAULT_CALENDAR_SETTINGS.install, holidayCountry: 'MX' },
        accounts: { [onTheDay.id]: { holidayCountry: null } },
      },
      SYSTEM,
    );

    // Both start before the clock moves; awaiting a result lets the time-skipping server jump to the next timer.
    const [first, second] = [await start(mexican.id), await start(onTheDay.id)];
    const moved = noteOf(await first.result());
    const kept = noteOf(await second.result());
    const nextDay = DateTime.fromISO(holiday, { zone: ZONE }).plus({ days: 1 }).set({ hour: 9 });
    expect(moved.at).toBe(nextDay.toUTC().toISO({ suppressMilliseconds: true }));
    expect(moved.why).toMatch(/^moved to .* outside the send window/);
    expect(moved.why).toContain(`${holiday} not a business day (holiday or closure)`);
    expect(moved.summary).not.toMatch(/skipped|failed/);
    expect(delivered).toContainEqual({ to: 'ana@mexico.example', subject: 'Launch day for Acme Mexico' });

    expect(kept.at).toBe(
      DateTime.fromISO(holiday, { zone: ZONE }).set({ hour: 10 }).toUTC().toISO({ suppressMilliseconds: true }),
    );
    expect(delivered.map((m) => m.to)).toContain('ana@on-the-day.example');
  });
});
