import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { AccountInput, ContactInput } from '../../engine/accounts/schema.js';
import type { RunInput, RunResult } from '../../engine/interpreter/types.js';
import { compilePlaybook } from '../../engine/playbook/compile.js';
import type { CompiledPlaybook } from '../../engine/playbook/ir.js';
import type { PlaybookDefinition } from '../../engine/playbook/schema.js';
import { simulate, type SimulationInput } from '../../engine/simulator/simulate.js';
import type { playbookRunWorkflow } from '../../engine/workflows/playbook-run.js';
import {
  accountEventSignal,
  decideApprovalUpdate,
  positionQuery,
  timelineQuery,
} from '../../engine/workflows/playbook-signals.js';
import { createContact } from '../../server/accounts/contacts.js';
import { accountSnapshot, createAccount } from '../../server/accounts/store.js';
import type { AppDatabase } from '../../server/db/database.js';
import { loadSeedPlaybooks } from '../../server/playbooks/seed.js';
import { catchUpStart } from '../../engine/triggers/catch-up.js';
import { installShippedTemplates } from '../../server/templates/shipped.js';
import { templateCompileContext } from '../../server/templates/store.js';
import { recordHistory } from '../support/histories.js';
import { startWorkflowStack, type WorkflowStack } from '../support/workflow-stack.js';

// Every seed playbook run on the time-skipping Temporal server with the real activities — the shipped templates in
// PGlite, the email sender, the CSM task store — and a real SMTP server. For a high-touch account in Spanish
// (Madrid) and a tech-touch account in English (Mexico City), the executed timeline must equal the simulator's,
// and each email step must have reached the primary contact's inbox in the account's language.

const TASK_QUEUE = 'seed-playbooks';
let env: TestWorkflowEnvironment;
let database: AppDatabase;

let stack: WorkflowStack;
beforeAll(async () => {
  stack = await startWorkflowStack({
    taskQueue: TASK_QUEUE,
    email: { company: 'Acme Analytics', postalAddress: 'Calle Mayor 1, 28013 Madrid' },
    prepare: (db) => installShippedTemplates(db.db),
  });
  ({ env, database } = stack);
}, 120_000);

afterAll(() => stack?.close());

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
});

// Catch-up (issue 16, item 5): an account imported 45 days before its renewal enters the cadence at −30 d.
describe('renewal cadence for an account imported 45 days before its renewal', { timeout: 300_000 }, () => {
  it('enters at −30 d: the −30 d reminder goes out on its day, the −90 and −60 d emails never', async () => {
    accounts += 1;
    const zone = 'America/Mexico_City';
    const now = DateTime.fromMillis(await env.currentTimeMs(), { zone });
    const renewal = now.plus({ days: 45 }).startOf('day');
    const stored = await createAccount(
      database.db,
      AccountInput.parse({
        externalId: `late-${accounts}`,
        name: `Pacífico Retail ${accounts}`,
        segment: 'tech-touch',
        locale: 'en',
        timeZone: zone,
        renewalDate: renewal.toISODate(),
        ownerCsmName: 'Marta Ruiz',
        ownerCsmEmail: 'marta@acme.example',
      }),
    );
    const email = `late${accounts}@pacifico.example`;
    await createContact(database.db, stored.id, ContactInput.parse({ name: 'Diego Salas', email }));
    const snapshot = await accountSnapshot(database.db, stored.id);
    // The same start the server's enrollment computes (server/playbooks/runs.ts).
    const start = catchUpStart(await seed('renewal-cadence'), snapshot.fields, now.toISODate()!, 'imported late');
    if (!start.ok) throw new Error(start.why);
    const handle = await env.client.workflow.start<typeof playbookRunWorkflow>('playbookRunWorkflow', {
      taskQueue: TASK_QUEUE,
      workflowId: `seed-renewal-late-${accounts}`,
      args: [{ playbook: start.playbook, account: snapshot, reason: start.reason! }],
    });
    const result = await handle.result();
    expect(result.timeline[0]!.why).toContain(
      'renewal in 45 days: the −120, −90 and −60 d steps are past; enters at −30 d',
    );
    const run = { result, who: { zone, email }, workflowId: handle.workflowId };
    const mail = await mailOf(run as Parameters<typeof mailOf>[0]);
    const toRenewal = (at: string) =>
      Math.round(DateTime.fromISO(at, { zone }).startOf('day').diff(renewal, 'days').days);
    const sent = result.timeline.filter((e) => e.kind === 'email');
    expect(mail.map((m) => [m.template, m.subject, m.state, m.to])).toEqual([
      ['renewal-reminder-30', 'Your renewal is 30 days away', 'sent', [email]],
      ['renewal-reminder-7', 'One week left until your renewal', 'sent', [email]],
    ]);
    // −30 d is day 15 of the run (the Monday after, should it fall on a weekend: the send window); nothing was sent
    // before it (no QBR invite, no proposal).
    const onWeekday = (days: number) => {
      const date = renewal.plus({ days });
      return days + (date.weekday === 6 ? 2 : date.weekday === 7 ? 1 : 0);
    };
    expect(sent.map((e) => toRenewal(e.at))).toEqual([onWeekday(-30), onWeekday(-7)]);
    const enrolledOn = DateTime.fromISO(result.timeline[0]!.at, { zone }).startOf('day');
    expect(DateTime.fromISO(sent[0]!.at, { zone }).startOf('day').diff(enrolledOn, 'days').days).toBe(
      15 + onWeekday(-30) + 30,
    );
    expect(result.timeline.some((e) => e.nodeId === 'qbrInvite' || e.nodeId === 'proposal')).toBe(false);
    expect(await tasksOf(handle.workflowId)).toEqual(['escalate:csmManager']);
  });
});

// ---- Issue 16, item 8: the rest of the seed playbooks, day by day on Temporal with real email. -----------------
describe('expansion, advocacy, referral, loyalty tiers and re-engagement on Temporal', { timeout: 600_000 }, () => {
  /**
   * Runs a seed for a fresh stored account with these extra fields (start date, lifecycle stage), entered as the
   * server's enrollment enters it (catch-up included). An approval is decided two hours after it is asked; events
   * are signalled `afterDays` after the start. Without events, the run must equal the simulator's preview.
   */
  async function runWith(
    key: string,
    segment: Segment,
    fields: { startDaysAgo?: number; lifecycleStage?: string },
    script: { approve?: string; events?: { afterDays: number; event: string }[] } = {},
  ) {
    accounts += 1;
    runs += 1;
    const who = PEOPLE[segment];
    const now = DateTime.fromMillis(await env.currentTimeMs(), { zone: who.zone });
    const startDate = fields.startDaysAgo === undefined ? undefined : now.minus({ days: fields.startDaysAgo });
    const stored = await createAccount(
      database.db,
      AccountInput.parse({
        externalId: `seed-more-${accounts}`,
        name: `${segment === 'high-touch' ? 'Norte Logística' : 'Pacífico Retail'} ${accounts}`,
        segment,
        plan: 'Professional',
        locale: who.locale,
        timeZone: who.zone,
        ...(startDate && { startDate: startDate.toISODate() }),
        ...(fields.lifecycleStage && { lifecycleStage: fields.lifecycleStage }),
        ownerCsmName: 'Marta Ruiz',
        ownerCsmEmail: 'marta@acme.example',
      }),
    );
    const email = `contact${accounts}@${who.domain}`;
    await createContact(database.db, stored.id, ContactInput.parse({ name: who.contact, email }));
    const snapshot = await accountSnapshot(database.db, stored.id);
    const start = catchUpStart(await seed(key), snapshot.fields, now.toISODate()!);
    if (!start.ok) throw new Error(start.why);
    const input: RunInput = {
      playbook: start.playbook,
      account: snapshot,
      ...(start.reason && { reason: start.reason }),
    };
    const handle = await env.client.workflow.start<typeof playbookRunWorkflow>('playbookRunWorkflow', {
      taskQueue: TASK_QUEUE,
      workflowId: `seed-${key}-${segment}-${runs}`,
      args: [input],
    });
    let simulation: Partial<SimulationInput> = {};
    if (script.approve) {
      await untilApproval(handle);
      await env.sleep('2 hours');
      await handle.executeUpdate(decideApprovalUpdate, {
        args: [{ nodeId: script.approve, decision: 'approved', decidedBy: 'marta@acme.example' }],
      });
    }
    let slept = 0;
    for (const { afterDays, event } of script.events ?? []) {
      await env.sleep(`${afterDays - slept} days`);
      slept = afterDays;
      await handle.signal(accountEventSignal, { event, data: {} });
    }
    const result: RunResult = await handle.result();
    if (script.approve) {
      const [asked, decided] = result.timeline.filter((e) => e.nodeId === script.approve);
      const afterHours = (Date.parse(decided!.at) - Date.parse(asked!.at)) / 3_600_000;
      simulation = { approvals: [{ nodeId: script.approve, decision: 'approved', afterHours }] };
    }
    if (!script.events) {
      const simulated = await simulate({ ...input, startAt: result.timeline[0]!.at, ...simulation });
      expect(result.timeline).toEqual(simulated.timeline);
    }
    const run = {
      result,
      handle,
      who: { ...who, email, id: stored.id },
      playbook: input.playbook,
      workflowId: handle.workflowId,
    };
    const enrolledOn = DateTime.fromISO(result.timeline[0]!.at, { zone: who.zone }).startOf('day');
    const dayOf = (at: string) => DateTime.fromISO(at, { zone: who.zone }).startOf('day').diff(enrolledOn, 'days').days;
    const mail = (await mailOf(run as Parameters<typeof mailOf>[0])).map((m, i) => ({
      ...m,
      localDay: dayOf(result.timeline.filter((e) => e.kind === 'email')[i]!.at),
    }));
    // Replayed against every later version of the workflow code (tests/workflow/replay.test.ts).
    await recordHistory(`seed-${key}`, handle);
    return { ...run, mail, startDate, tasks: await tasksOf(handle.workflowId) };
  }
  /** Days from `from` to the run's local day of each email, the Monday after when the plan falls on a weekend. */
  const weekday = (from: DateTime, days: number) => {
    const date = from.plus({ days });
    return days + (date.weekday === 6 ? 2 : date.weekday === 7 ? 1 : 0);
  };

  it('expansion signals: the approved upgrade offer reaches the contact in Spanish, then a follow-up call', async () => {
    const run = await runWith('expansion-signals', 'high-touch', {}, { approve: 'offer' });
    expect(run.mail.map((m) => [m.template, m.state, m.locale, m.to])).toEqual([
      ['expansion-offer', 'sent', 'es', [run.who.email]],
    ]);
    expect(run.mail[0]!.subject).toMatch(/^Una propuesta para que Norte Logística \d+ siga creciendo$/);
    expect(run.tasks).toEqual(['followUp:ownerCsm']);
  });

  it('expansion moments: months 3, 6, 9 and 12 from the start date, in English', async () => {
    const run = await runWith('expansion-moments', 'tech-touch', { startDaysAgo: 90 });
    expect(run.mail.map((m) => [m.template, m.state, m.locale])).toEqual([
      ['expansion-month3', 'sent', 'en'],
      ['expansion-month6', 'sent', 'en'],
      ['expansion-month9', 'sent', 'en'],
      ['expansion-month12', 'sent', 'en'],
    ]);
    const start = run.startDate!;
    const enrolled = start.plus({ days: 90 });
    expect(run.mail.map((m) => m.localDay + 90)).toEqual([
      run.mail[0]!.localDay + 90, // today, or the next send window
      weekday(start, 182),
      weekday(start, 273),
      weekday(start, 365),
    ]);
    expect(enrolled.toISODate()).toBe(DateTime.fromISO(run.result.timeline[0]!.at, { zone: run.who.zone }).toISODate());
    expect(run.tasks).toEqual([]);
  });

  it('advocacy: the invitation on day 0 with a call task, the reminder on day 7', async () => {
    const run = await runWith('advocacy', 'high-touch', {});
    expect(run.mail.map((m) => [m.template, m.subject])).toEqual([
      ['advocacy-invite', 'Lucía, ¿te unes a nuestro programa de embajadores?'],
      ['advocacy-reminder', 'Un recordatorio: nuestro programa de embajadores'],
    ]);
    expect(run.mail[1]!.localDay - run.mail[0]!.localDay).toBeGreaterThanOrEqual(7);
    expect(run.tasks).toEqual(['welcomeCall:ownerCsm']);
  });

  it('referral: the $200 credit at once, the +$100 email the day the referred customer renews', async () => {
    const run = await runWith(
      'referral',
      'tech-touch',
      {},
      { events: [{ afterDays: 200, event: 'referral.renewed' }] },
    );
    expect(run.mail.map((m) => [m.template, m.subject, m.state])).toEqual([
      ['referral-credit', 'You earned $200 in credit: thank you for the referral!', 'sent'],
      ['referral-renewal-credit', 'Your referral renewed: $100 more in credit', 'sent'],
    ]);
    expect(run.mail[1]!.localDay).toBeGreaterThanOrEqual(200);
    expect(run.mail[1]!.localDay).toBeLessThanOrEqual(203); // the event's day, or the next send window
  });

  /**
   * Loyalty tiers go on for as long as the account stays, so the run is watched for `days` of the test server's
   * time and then cancelled; until then it must equal the simulator's preview, entry for entry. Each email of the
   * timeline is the outbox row of the same step, in order (a step that loops sends once per turn).
   */
  async function watchLoyalty(startDaysAgo: number, days: number) {
    accounts += 1;
    runs += 1;
    const who = PEOPLE['tech-touch'];
    const now = DateTime.fromMillis(await env.currentTimeMs(), { zone: who.zone });
    const startDate = now.minus({ days: startDaysAgo });
    const stored = await createAccount(
      database.db,
      AccountInput.parse({
        externalId: `seed-loyal-${accounts}`,
        name: `Pacífico Retail ${accounts}`,
        segment: 'tech-touch',
        locale: who.locale,
        timeZone: who.zone,
        startDate: startDate.toISODate(),
      }),
    );
    const email = `contact${accounts}@${who.domain}`;
    await createContact(database.db, stored.id, ContactInput.parse({ name: who.contact, email }));
    const snapshot = await accountSnapshot(database.db, stored.id);
    const start = catchUpStart(await seed('loyalty-tiers'), snapshot.fields, now.toISODate()!);
    if (!start.ok) throw new Error(start.why);
    const input: RunInput = {
      playbook: start.playbook,
      account: snapshot,
      ...(start.reason && { reason: start.reason }),
    };
    const handle = await env.client.workflow.start<typeof playbookRunWorkflow>('playbookRunWorkflow', {
      taskQueue: TASK_QUEUE,
      workflowId: `seed-loyalty-tiers-${runs}`,
      args: [input],
    });
    await env.sleep(`${days} days`);
    const timeline = await handle.query(timelineQuery);
    await handle.cancel();
    await expect(handle.result()).rejects.toThrow();
    const simulated = await simulate({ ...input, startAt: timeline[0]!.at });
    expect(timeline).toEqual(simulated.timeline.slice(0, timeline.length));
    const rows = await database.db
      .selectFrom('email_outbox')
      .select(['node_id', 'template_key', 'state', 'locale', 'recipient'])
      .where('workflow_id', '=', handle.workflowId)
      .orderBy('created_at')
      .execute();
    const enrolledOn = DateTime.fromISO(timeline[0]!.at, { zone: who.zone }).startOf('day');
    const mail = timeline
      .filter((e) => e.kind === 'email')
      .map((e) => ({
        nodeId: e.nodeId,
        // Days since the start date, on the account's calendar.
        tenure: DateTime.fromISO(e.at, { zone: who.zone }).startOf('day').diff(enrolledOn, 'days').days + startDaysAgo,
      }));
    expect(rows.map((r) => r.node_id)).toEqual(mail.map((m) => m.nodeId));
    for (const row of rows) expect(row).toMatchObject({ state: 'sent', locale: 'en', recipient: email });
    const tier = (name: string) =>
      rows.flatMap((r, i) => (r.template_key === `loyalty-${name}` ? [mail[i]!.tenure] : []));
    return { handle, timeline, tier, startDate };
  }

  it('loyalty tiers: Bronze monthly, Silver monthly, Gold every two weeks, Platinum weekly past year 3, each on its day', async () => {
    // Four years and a month: Platinum goes on past the third year (the shipped seed once stopped there).
    const run = await watchLoyalty(0, 4 * 365 + 30);
    const start = run.startDate;
    // Day 0 is the enrollment's (or the next send window's); the rest are timed from the start date.
    expect(run.tier('bronze')[0]).toBeLessThanOrEqual(3);
    expect(run.tier('bronze').slice(1)).toEqual([30, 60, 90, 120, 150].map((d) => weekday(start, d)));
    expect(run.tier('silver')).toEqual([180, 210, 240, 270, 300, 330].map((d) => weekday(start, d)));
    expect(run.tier('gold')).toEqual(Array.from({ length: 26 }, (_, k) => weekday(start, 365 + 14 * k)));
    const platinum = run.tier('platinum');
    expect(platinum.length).toBeGreaterThanOrEqual(52 + 56);
    expect(platinum).toEqual(Array.from({ length: platinum.length }, (_, k) => weekday(start, 730 + 7 * k)));
    expect(platinum.at(-1)).toBeGreaterThan(4 * 365);
    // The tier change is the tenure condition's: the 26th Gold check-in is 715 days in, so Platinum is next.
    const decisions = run.timeline.filter((e) => e.nodeId === 'goldNext').map((e) => e.summary);
    expect(decisions.slice(-2)).toEqual([
      'Platinum next? (709+ days in): else',
      'Platinum next? (709+ days in): platinum',
    ]);
    expect(decisions).toHaveLength(26);
  });

  it('loyalty tiers, an account already 700 days in: its Gold check-in at once, then Platinum on day 730', async () => {
    const run = await watchLoyalty(700, 45);
    expect(run.timeline[0]!.why).toContain(
      'start 700 days ago: the 12 steps from 0 to +330 d are skipped; runs the +365 d step now',
    );
    expect(run.tier('bronze')).toEqual([]);
    expect(run.tier('silver')).toEqual([]);
    const gold = run.tier('gold');
    expect(gold).toHaveLength(2);
    expect(gold[0]).toBeLessThanOrEqual(702); // today, or the Monday after
    expect(gold[1]! - gold[0]!).toBe(14);
    const platinum = run.tier('platinum');
    expect(platinum.slice(0, 2)).toEqual([weekday(run.startDate, 730), weekday(run.startDate, 737)]);
    // Small enough to keep: replayed against every later version of the workflow code.
    await recordHistory('seed-loyalty-tiers', run.handle);
  });

  it('re-engagement: “we miss you”, quick wins on day 3 and the CSM call on day 7 (high-touch)', async () => {
    const run = await runWith('re-engagement', 'high-touch', {});
    expect(run.mail.map((m) => [m.template, m.subject?.replace(/\d+/, 'N')])).toEqual([
      ['reengage-inactive', 'Te echamos de menos en Norte Logística N'],
      ['reengage-tips', 'Tres victorias rápidas para Norte Logística N'],
    ]);
    expect(run.mail[1]!.localDay - run.mail[0]!.localDay).toBeGreaterThanOrEqual(3);
    expect(run.tasks).toEqual(['call:ownerCsm']);
  });

  it('re-engagement, onboarding not completed at day 14: finish your setup, quick wins, last nudge', async () => {
    const run = await runWith('re-engagement-onboarding', 'tech-touch', {
      startDaysAgo: 14,
      lifecycleStage: 'onboarding',
    });
    expect(run.mail.map((m) => [m.template, m.state, m.locale])).toEqual([
      ['reengage-onboarding', 'sent', 'en'],
      ['reengage-tips', 'sent', 'en'],
      ['reengage-last', 'sent', 'en'],
    ]);
    expect(run.mail[2]!.localDay - run.mail[0]!.localDay).toBeGreaterThanOrEqual(7);
  });
});

// ---- Issue 16, items 1 and 2: NPS follow-up is one playbook that reads its trigger. ----------------------------

describe('NPS follow-up on Temporal: the score it was enrolled with decides', { timeout: 300_000 }, () => {
  const answered = (score: number) => ({ type: 'event' as const, event: 'nps.answered', data: { score } });
  async function runNps(segment: Segment, score: number, script: Partial<SimulationInput> = {}) {
    runs += 1;
    const who = await account(segment);
    const input: RunInput = {
      playbook: await seed('nps-follow-up'),
      account: await accountSnapshot(database.db, who.id),
      trigger: answered(score),
    };
    const handle = await env.client.workflow.start<typeof playbookRunWorkflow>('playbookRunWorkflow', {
      taskQueue: TASK_QUEUE,
      workflowId: `seed-nps-follow-up-${segment}-${runs}`,
      args: [input],
    });
    const result: RunResult = await handle.result();
    const simulated = await simulate({ ...input, startAt: result.timeline[0]!.at, ...script });
    expect(result.timeline).toEqual(simulated.timeline);
    return { result, handle, who, playbook: input.playbook, workflowId: handle.workflowId };
  }

  it('promoters get the referral ask (and a testimonial task with a dedicated CSM); passives value content', async () => {
    const promoter = await runNps('high-touch', 10);
    expect((await mailOf(promoter)).map((m) => [m.template, m.locale, m.to])).toEqual([
      ['nps-promoter', 'es', [promoter.who.email]],
    ]);
    expect(await tasksOf(promoter.workflowId)).toEqual(['advocacy:ownerCsm']);
    await recordHistory('seed-nps-follow-up', promoter.handle);
    const passive = await runNps('tech-touch', 7);
    expect((await mailOf(passive)).map((m) => [m.template, m.locale])).toEqual([['nps-passive', 'en']]);
    expect(await tasksOf(passive.workflowId)).toEqual([]);
  });

  it('a detractor whose rescue cannot start (not in this install) gets the rescue steps from the follow-up', async () => {
    // Starting the rescue for real is the integration lane's (tests/integration/nps-follow-up.test.ts): this
    // server keeps no search attributes. Here the step fails for good and takes its failure route, with real email.
    const detractor = await runNps('tech-touch', 3, {
      failures: [{ nodeId: 'startRescue', status: 'failed', detail: 'Playbook rescue-high was not found' }],
    });
    expect(detractor.result.timeline.find((e) => e.nodeId === 'startRescue')).toMatchObject({
      summary: 'Start playbook rescue-high: failed',
      why: 'Playbook rescue-high was not found',
    });
    const mail = await mailOf(detractor);
    expect(mail.map((m) => [m.template, m.locale, m.to])).toEqual([['nps-detractor', 'en', [detractor.who.email]]]);
    expect(await tasksOf(detractor.workflowId)).toEqual(['rescueCall:ownerCsm', 'followUp:ownerCsm']);
    // The call is due at once; the follow-up 48 hours after "How can we help?" (which keeps the send window).
    expect(detractor.result.timeline.find((e) => e.nodeId === 'followUp')!.day - mail[0]!.day).toBe(2);
  });
});
