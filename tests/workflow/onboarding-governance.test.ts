import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { AccountInput, ContactInput } from '../../engine/accounts/schema.js';
import type { RunInput, RunResult, TimelineEntry } from '../../engine/interpreter/types.js';
import { compilePlaybook } from '../../engine/playbook/compile.js';
import type { PlaybookDefinition } from '../../engine/playbook/schema.js';
import { simulate } from '../../engine/simulator/simulate.js';
import type { playbookRunWorkflow } from '../../engine/workflows/playbook-run.js';
import { createContact } from '../../server/accounts/contacts.js';
import { accountSnapshot, createAccount } from '../../server/accounts/store.js';
import type { AppDatabase } from '../../server/db/database.js';
import { parseFrequencyCap } from '../../server/email/frequency-cap.js';
import { loadSeedPlaybooks } from '../../server/playbooks/seed.js';
import { previewSettingsFor } from '../../server/settings/preview-settings.js';
import { runSettingsFor } from '../../server/settings/run-settings.js';
import { installShippedTemplates } from '../../server/templates/shipped.js';
import { templateCompileContext } from '../../server/templates/store.js';
import { startWorkflowStack, type WorkflowStack } from '../support/workflow-stack.js';

// The shipped onboarding with the shipped settings and the shipped cap (MAIL_FREQUENCY_CAP 3/7d): a real run sends
// every one of its five first-week emails — it used to skip days 6 and 7 at send time while the preview showed them
// sent — and the preview, given the same settings, shows the same emails on the same days.

const TASK_QUEUE = 'onboarding-governance';
const CAP = parseFrequencyCap('3/7d');
let env: TestWorkflowEnvironment;
let database: AppDatabase;
let stack: WorkflowStack;
let delivered: WorkflowStack['delivered'];

beforeAll(async () => {
  stack = await startWorkflowStack({
    taskQueue: TASK_QUEUE,
    email: { frequencyCap: CAP },
    prepare: (db) => installShippedTemplates(db.db),
  });
  ({ env, database, delivered } = stack);
}, 120_000);

afterAll(() => stack?.close());

const emails = (timeline: TimelineEntry[]) =>
  timeline.filter((e) => e.kind === 'email').map((e) => ({ day: e.day, at: e.at, summary: e.summary, why: e.why }));

describe('the shipped onboarding under the shipped governance', () => {
  it('sends all five first-week emails, on the days the preview shows', async () => {
    const found = (await loadSeedPlaybooks()).find(
      (s) => (s.definition as PlaybookDefinition).key === 'onboarding-30d',
    )!;
    const compiled = compilePlaybook(found.definition, { templates: await templateCompileContext(database.db) });
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.issues));
    const playbook = { ...compiled.playbook, version: 1 };
    const stored = await createAccount(
      database.db,
      AccountInput.parse({
        externalId: 'pacifico',
        name: 'Pacífico Retail',
        segment: 'tech-touch',
        timeZone: 'America/Mexico_City',
      }),
    );
    await createContact(
      database.db,
      stored.id,
      ContactInput.parse({ name: 'Diego Salas', email: 'diego@pacifico.example' }),
    );
    const account = await accountSnapshot(database.db, stored.id);
    const startAt = new Date(await env.currentTimeMs()).toISOString();

    const preview = await simulate({
      playbook,
      account,
      startAt,
      ...(await previewSettingsFor({ db: database.db, envCap: CAP }, 'onboarding-30d', { account, startAt })),
    });

    const settings = await runSettingsFor(database.db, account);
    const input: RunInput = { playbook, account, ...(settings && { settings }) };
    const handle = await env.client.workflow.start<typeof playbookRunWorkflow>('playbookRunWorkflow', {
      taskQueue: TASK_QUEUE,
      workflowId: `playbook:onboarding-30d:account:${stored.id}`,
      args: [input],
    });
    const result: RunResult = await handle.result();

    const firstWeek = emails(result.timeline).filter((e) => e.day <= 7);
    expect(firstWeek.map((e) => [e.day, /\((\S+)\)/.exec(e.summary)![1], e.summary.endsWith(': skipped')])).toEqual([
      [0, 'welcome', false],
      [4, 'onboarding-day4', false],
      [5, 'onboarding-day5', false],
      [6, 'onboarding-day6', false],
      [7, 'onboarding-day7', false],
    ]);
    expect(delivered.filter((m) => m.to === 'diego@pacifico.example').length).toBeGreaterThanOrEqual(5);
    const rows = await database.db
      .selectFrom('email_outbox')
      .select(['template_key', 'state'])
      .where('account_id', '=', stored.id)
      .execute();
    expect(rows.filter((r) => r.state !== 'sent')).toEqual([]);
    // Same emails on the same days with the same outcome as the preview (the run starts a moment after the
    // preview's start, so instants differ by that moment); only the delivery detail (the address) differs.
    const plan = (list: ReturnType<typeof emails>) =>
      list.map((e) => ({ day: e.day, date: e.at.slice(0, 10), summary: e.summary.replace(/: (done|sent)$/, '') }));
    expect(plan(emails(result.timeline))).toEqual(plan(emails(preview.timeline)));
  });
});
