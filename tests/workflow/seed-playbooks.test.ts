import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities/index.js';
import { createMailTransport, type MailTransport } from '../../server/email/transport.js';
import { AccountInput, ContactInput } from '../../engine/accounts/schema.js';
import type { RunInput, RunResult } from '../../engine/interpreter/types.js';
import { compilePlaybook } from '../../engine/playbook/compile.js';
import type { CompiledPlaybook } from '../../engine/playbook/ir.js';
import type { PlaybookDefinition } from '../../engine/playbook/schema.js';
import { simulate, type SimulationInput } from '../../engine/simulator/simulate.js';
import type { playbookRunWorkflow } from '../../engine/workflows/playbook-run.js';
import { decideApprovalUpdate, positionQuery } from '../../engine/workflows/playbook-signals.js';
import { createContact } from '../../server/accounts/contacts.js';
import { accountSnapshot, createAccount } from '../../server/accounts/store.js';
import { openDatabase, type AppDatabase } from '../../server/db/database.js';
import { startSmtpCatcher, type SmtpCatcher } from '../../server/email/smtp-catcher.js';
import { loadSeedPlaybooks } from '../../server/playbooks/seed.js';
import { installShippedTemplates } from '../../server/templates/shipped.js';
import { templateCompileContext } from '../../server/templates/store.js';
import { recordHistory } from '../support/histories.js';
import { startTimeSkipping, workflowBundle } from '../support/time-skipping.js';

// Every seed playbook run on the time-skipping Temporal server with the real activities — the shipped templates in
// PGlite, the email sender, the CSM task store — and a real SMTP server. For a high-touch account in Spanish
// (Madrid) and a tech-touch account in English (Mexico City), the executed timeline must equal the simulator's,
// and each email step must have reached the primary contact's inbox in the account's language.

const TASK_QUEUE = 'seed-playbooks';
let env: TestWorkflowEnvironment;
let database: AppDatabase;
let catcher: SmtpCatcher;
let transport: MailTransport;
let worker: Worker;
let running: Promise<void>;

beforeAll(async () => {
  env = await startTimeSkipping();
  database = await openDatabase({ dataDir: 'memory://' });
  await installShippedTemplates(database.db);
  catcher = await startSmtpCatcher({ db: database.db, port: 0 });
  transport = createMailTransport(catcher.url);
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    workflowBundle: workflowBundle(),
    activities: createActivities({
      db: database.db,
      transport,
      mailFrom: 'Acme Success <success@acme.example>',
      temporal: env.client,
      taskQueue: TASK_QUEUE,
      email: {
        publicUrl: 'https://stayflow.test',
        linkSecret: 'a-test-secret-that-is-long-enough-for-links',
        company: 'Acme Analytics',
        postalAddress: 'Calle Mayor 1, 28013 Madrid',
      },
    }),
  });
  running = worker.run();
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  transport?.close();
  await catcher?.close();
  await database?.close();
  await env?.teardown();
});

const seeds = await loadSeedPlaybooks();
async function seed(key: string): Promise<CompiledPlaybook> {
  const found = seeds.find((s) => (s.definition as PlaybookDefinition).key === key)!;
  const result = compilePlaybook(found.definition, { templates: await templateCompileContext(database.db) });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return { ...result.playbook, version: 1 };
}

const PEOPLE = {
  'high-touch': { zone: 'Europe/Madrid', locale: 'es', contact: 'Lucía Fernández', domain: 'norte.example' },
  'tech-touch': { zone: 'America/Mexico_City', locale: 'en', contact: 'Diego Salas', domain: 'pacifico.example' },
} as const;
type Segment = keyof typeof PEOPLE;

let accounts = 0;
/** A stored account with its owner CSM and one (primary) contact, renewing 150 days from the test server's now. */
async function account(segment: Segment) {
  accounts += 1;
  const who = PEOPLE[segment];
  const now = DateTime.fromMillis(await env.currentTimeMs(), { zone: who.zone });
  const stored = await createAccount(
    database.db,
    AccountInput.parse({
      externalId: `seed-${accounts}`,
      name: `${segment === 'high-touch' ? 'Norte Logística' : 'Pacífico Retail'} ${accounts}`,
      segment,
      plan: 'Professional',
      locale: who.locale,
      timeZone: who.zone,
      renewalDate: now.plus({ days: 150 }).toISODate(),
      ownerCsmName: 'Marta Ruiz',
      ownerCsmEmail: 'marta@acme.example',
    }),
  );
  const email = `contact${accounts}@${who.domain}`;
  await createContact(database.db, stored.id, ContactInput.parse({ name: who.contact, email }));
  return { id: stored.id, email, locale: who.locale, zone: who.zone };
}

/** Advances the test server's clock six hours at a time until the run waits for an approval (bounded: 200 days). */
async function untilApproval(handle: { query: (q: typeof positionQuery) => Promise<{ waiting?: { kind: string } }> }) {
  for (let step = 0; step < 4 * 200; step++) {
    if ((await handle.query(positionQuery)).waiting?.kind === 'approval') return;
    await env.sleep('6 hours');
  }
  throw new Error('the run never waited for an approval');
}

let runs = 0;
/** Runs a seed playbook for a fresh account; an approval, if given, is decided by the CSM two hours after it is asked. */
async function runSeed(key: string, segment: Segment, approve?: string) {
  runs += 1;
  const who = await account(segment);
  const input: RunInput = { playbook: await seed(key), account: await accountSnapshot(database.db, who.id) };
  const handle = await env.client.workflow.start<typeof playbookRunWorkflow>('playbookRunWorkflow', {
    taskQueue: TASK_QUEUE,
    workflowId: `seed-${key}-${segment}-${runs}`,
    args: [input],
  });
  let script: Partial<SimulationInput> = {};
  if (approve) {
    await untilApproval(handle);
    await env.sleep('2 hours');
    await handle.executeUpdate(decideApprovalUpdate, {
      args: [{ nodeId: approve, decision: 'approved', decidedBy: 'marta@acme.example' }],
    });
  }
  const result: RunResult = await handle.result();
  if (approve) {
    const [asked, decided] = result.timeline.filter((e) => e.nodeId === approve);
    const afterHours = (Date.parse(decided!.at) - Date.parse(asked!.at)) / 3_600_000;
    script = { approvals: [{ nodeId: approve, decision: 'approved', afterHours }] };
  }
  // One interpreter, two drivers: the simulator's preview of this run is what Temporal executed, entry for entry.
  const simulated = await simulate({ ...input, startAt: result.timeline[0]!.at, ...script });
  expect(result.timeline).toEqual(simulated.timeline);
  expect(result.endNodeId).toBe(simulated.endNodeId);
  return { result, handle, who, playbook: input.playbook, workflowId: handle.workflowId };
}

/** The emails a run sent, as the SMTP server received them, beside the step and day that sent each. */
async function mailOf(run: Awaited<ReturnType<typeof runSeed>>) {
  const outbox = await database.db
    .selectFrom('email_outbox')
    .selectAll()
    .where('workflow_id', '=', run.workflowId)
    .execute();
  const caught = await database.db.selectFrom('caught_mail').selectAll().execute();
  const emailEntries = run.result.timeline.filter((e) => e.kind === 'email');
  return emailEntries.map((entry) => {
    const row = outbox.find((r) => r.node_id === entry.nodeId);
    const bare = (id: string | null | undefined) => id?.replace(/^<|>$/g, '');
    const mail = caught.find((m) => row && bare(m.message_id) === bare(row.message_id));
    return {
      day: entry.day,
      template: row?.template_key,
      state: row?.state,
      locale: row?.locale,
      to: mail?.envelope_to,
      subject: mail?.subject,
      localDay: DateTime.fromISO(entry.at, { zone: run.who.zone }).toFormat('ccc'),
    };
  });
}

async function tasksOf(workflowId: string) {
  const rows = await database.db
    .selectFrom('csm_tasks')
    .select(['node_id', 'assignee_role', 'assignee_email'])
    .where('workflow_id', '=', workflowId)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => `${r.node_id}:${r.assignee_role}`);
}

describe('the seed playbooks on Temporal, with real email', { timeout: 300_000 }, () => {
  it('onboarding, high-touch in Spanish: CSM tasks, day 4–7 check-ins and Monday check-ins reach the contact', async () => {
    const run = await runSeed('onboarding-30d', 'high-touch');
    const mail = await mailOf(run);
    expect(mail.map((m) => m.template)).toEqual([
      'welcome',
      'onboarding-day4',
      'onboarding-day5',
      'onboarding-day6',
      'onboarding-day7',
      'onboarding-week2',
      'onboarding-week3',
      'onboarding-week4',
    ]);
    for (const m of mail) expect(m).toMatchObject({ state: 'sent', locale: 'es', to: [run.who.email] });
    expect(mail.slice(1, 5).map((m) => m.day)).toEqual([4, 5, 6, 7]);
    expect(mail.slice(5).map((m) => m.localDay)).toEqual(['Mon', 'Mon', 'Mon']);
    expect(mail.map((m) => m.subject).slice(1, 5)).toEqual([
      '¿Cómo va tu primera experiencia?',
      'Tips para maximizar tu ROI',
      '¿Necesitas ayuda con algo específico?',
      'Resumen de tu primera semana',
    ]);
    expect(mail[0]!.subject).toBe('¡Bienvenido a bordo, Lucía! Tu cuenta ya está activa');
    expect(await tasksOf(run.workflowId)).toEqual([
      'assignCsm:csmManager',
      'followUp:ownerCsm',
      'setupSession:ownerCsm',
    ]);
    await recordHistory('seed-onboarding-30d', run.handle);
  });

  it('onboarding, tech-touch in English: the automated path only', async () => {
    const run = await runSeed('onboarding-30d', 'tech-touch');
    const mail = await mailOf(run);
    expect(mail).toHaveLength(8);
    for (const m of mail) expect(m).toMatchObject({ state: 'sent', locale: 'en', to: [run.who.email] });
    expect(mail.map((m) => m.subject).slice(1, 5)).toEqual([
      'How is your first experience going?',
      'Tips to maximize your ROI',
      'Do you need help with anything specific?',
      'Summary of your first week',
    ]);
    expect(mail.slice(5).map((m) => m.localDay)).toEqual(['Mon', 'Mon', 'Mon']);
    expect(await tasksOf(run.workflowId)).toEqual([]);
  });

  it('rescue high: a call task and “¿Cómo podemos ayudarte?”, the 48-hour follow-up, the approved discount offer', async () => {
    const run = await runSeed('rescue-high', 'high-touch', 'incentive');
    const mail = await mailOf(run);
    expect(mail.map((m) => [m.template, m.subject, m.to])).toEqual([
      ['rescue-high', '¿Cómo podemos ayudarte?', [run.who.email]],
      ['rescue-high-offer', expect.stringMatching(/^Una propuesta para Norte Logística/), [run.who.email]],
    ]);
    // The offer comes after the 48-hour follow-up (the first email may wait for the send window).
    expect(mail[1]!.day).toBeGreaterThanOrEqual(2);
    expect(await tasksOf(run.workflowId)).toEqual(['urgentCall:ownerCsm', 'followUpCall:ownerCsm']);
    await recordHistory('seed-rescue-high', run.handle);
  });

  it('rescue high, tech-touch: the offer waits for a CSM, and none goes out when nobody approves', async () => {
    const run = await runSeed('rescue-high', 'tech-touch');
    const mail = await mailOf(run);
    expect(mail.map((m) => [m.template, m.subject, m.locale])).toEqual([['rescue-high', 'How can we help?', 'en']]);
    expect(await tasksOf(run.workflowId)).toEqual(['urgentCall:ownerCsm', 'followUpCall:ownerCsm']);
  });

  it('rescue medium: email plus a LinkedIn task for high-touch; email only for tech-touch', async () => {
    const high = await runSeed('rescue-medium', 'high-touch');
    expect((await mailOf(high)).map((m) => [m.template, m.locale])).toEqual([['rescue-medium', 'es']]);
    expect(await tasksOf(high.workflowId)).toEqual(['linkedIn:ownerCsm']);
    await recordHistory('seed-rescue-medium', high.handle);
    const tech = await runSeed('rescue-medium', 'tech-touch');
    expect((await mailOf(tech)).map((m) => [m.template, m.subject])).toEqual([
      ['rescue-medium', `Added value and support for ${'Pacífico Retail'} ${accounts}`],
    ]);
    expect(await tasksOf(tech.workflowId)).toEqual([]);
  });

  it('rescue low: resources and, a week later, success stories, for both segments', async () => {
    const high = await runSeed('rescue-low', 'high-touch');
    expect((await mailOf(high)).map((m) => [m.template, m.subject])).toEqual([
      ['rescue-low', 'Recursos y mejores prácticas'],
      ['rescue-low-stories', 'Cómo lo consiguen otros clientes'],
    ]);
    await recordHistory('seed-rescue-low', high.handle);
    const tech = await runSeed('rescue-low', 'tech-touch');
    const mail = await mailOf(tech);
    expect(mail.map((m) => m.subject)).toEqual(['Resources and best practices', 'How other customers make it work']);
    expect(mail[1]!.day - mail[0]!.day).toBeGreaterThanOrEqual(7);
  });

  it('renewal cadence, high-touch: review, QBR at −90, approved discount proposal, reminders, escalation', async () => {
    const run = await runSeed('renewal-cadence', 'high-touch', 'discount');
    const mail = await mailOf(run);
    expect(mail.map((m) => m.template)).toEqual([
      'renewal-qbr',
      'renewal-proposal-discount',
      'renewal-reminder-30',
      'renewal-reminder-7',
    ]);
    for (const m of mail) expect(m).toMatchObject({ state: 'sent', locale: 'es', to: [run.who.email] });
    expect(await tasksOf(run.workflowId)).toEqual(['internalReview:ownerCsm', 'escalate:csmManager']);
    await recordHistory('seed-renewal-cadence', run.handle);
  });

  it('renewal cadence, tech-touch: the standard proposal by email, in English, and the escalation', async () => {
    const run = await runSeed('renewal-cadence', 'tech-touch');
    const mail = await mailOf(run);
    expect(mail.map((m) => [m.template, m.subject])).toEqual([
      ['renewal-qbr', `Pacífico Retail ${accounts} quarterly review: results and next steps`],
      ['renewal-proposal', `Your renewal proposal for Pacífico Retail ${accounts}`],
      ['renewal-reminder-30', 'Your renewal is 30 days away'],
      ['renewal-reminder-7', 'One week left until your renewal'],
    ]);
    expect(await tasksOf(run.workflowId)).toEqual(['escalate:csmManager']);
  });

  it('NPS follow-ups: promoters get the referral ask, passives value content, detractors the rescue', async () => {
    const expected: Record<string, { template: string; high: string[]; tech: string[] }> = {
      'nps-promoters': { template: 'nps-promoter', high: ['advocacy:ownerCsm'], tech: [] },
      'nps-passives': { template: 'nps-passive', high: ['whatWouldMakeIt10:ownerCsm'], tech: [] },
      'nps-detractors': {
        template: 'nps-detractor',
        high: ['rescueCall:ownerCsm', 'followUp:ownerCsm'],
        tech: ['rescueCall:ownerCsm', 'followUp:ownerCsm'],
      },
    };
    for (const [key, want] of Object.entries(expected)) {
      const high = await runSeed(key, 'high-touch');
      expect((await mailOf(high)).map((m) => [m.template, m.locale, m.to])).toEqual([
        [want.template, 'es', [high.who.email]],
      ]);
      expect(await tasksOf(high.workflowId)).toEqual(want.high);
      await recordHistory(`seed-${key}`, high.handle);
      const tech = await runSeed(key, 'tech-touch');
      expect((await mailOf(tech)).map((m) => [m.template, m.locale])).toEqual([[want.template, 'en']]);
      expect(await tasksOf(tech.workflowId)).toEqual(want.tech);
    }
  });
});
