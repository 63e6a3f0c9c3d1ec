import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApprovalParameter } from '../../engine/playbook/nodes.js';
import { approvalCounts, listApprovals } from '../../server/approvals/inbox.js';
import {
  createApprovalForStep,
  recordDecision,
  reassignOpenWork,
  type NewApproval,
} from '../../server/approvals/store.js';
import type { Principal, UserPrincipal } from '../../server/auth/principal.js';
import { openDatabase, type AppDatabase } from '../../server/db/database.js';
import { startSmtpCatcher, type SmtpCatcher } from '../../server/email/smtp-catcher.js';
import { createMailTransport, type MailTransport } from '../../server/email/transport.js';
import { notifyAssignee, type AssigneeNotice } from '../../server/notifications/assignee.js';
import { taskDeliverer } from '../../server/effects/task.js';
import { createTaskForStep, listTasks } from '../../server/tasks/store.js';
import { AccountInput } from '../../engine/accounts/schema.js';
import { createAccount } from '../../server/accounts/store.js';
import { receiverPolicy, startHttpsReceiver } from '../support/https-receiver.js';

// The approvals inbox, the hand-over of open work to a new owner, and notifications, against PGlite, the
// in-process SMTP server and an HTTPS server standing in for Slack.

let database: AppDatabase;
let catcher: SmtpCatcher;
let transport: MailTransport;
let slack: Awaited<ReturnType<typeof startHttpsReceiver>>;

beforeAll(async () => {
  database = await openDatabase({ dataDir: 'memory://' });
  catcher = await startSmtpCatcher({ db: database.db, port: 0 });
  transport = createMailTransport(catcher.url);
  slack = await startHttpsReceiver((request) => ({ status: request.path === '/slack' ? 200 : 503 }));
}, 60_000);

afterAll(async () => {
  await slack?.close();
  transport?.close();
  await catcher?.close();
  await database?.close();
});

const user = (email: string, role: UserPrincipal['role'], team: string[] = []): Principal => ({
  kind: 'user',
  userId: email,
  email,
  name: null,
  role,
  team,
  sessionId: 's',
});
const ANA = 'ana@acme.example';
const BEA = 'bea@acme.example';
const MAX = 'max@acme.example';
const ana = user(ANA, 'csm');
const bea = user(BEA, 'csm');
const max = user(MAX, 'manager', [ANA, BEA]);
const admin = user('root@acme.example', 'admin');
const discount: ApprovalParameter = { name: 'discount', type: 'percent', default: 10, min: 0, max: 20 };

let steps = 0;
async function ask(owner: string, dueInHours: number, account = `acct-${owner}`, overrides: Partial<NewApproval> = {}) {
  steps += 1;
  const { approval } = await createApprovalForStep(database.db, {
    workflowId: `wf-${steps}`,
    runId: 'r1',
    stepKey: '1',
    nodeId: 'incentive',
    accountId: account,
    accountName: `Account ${steps}`,
    playbook: { key: 'rescue-high', name: 'Rescue: high risk', version: 1 },
    kind: 'discount',
    title: `Discount ${steps}`,
    details: '',
    parameters: [discount],
    proposal: null,
    context: { account: null, health: null, recentEvents: [] },
    assigneeRole: 'ownerCsm',
    assigneeEmail: owner,
    assignmentNote: null,
    ownerCsmEmail: owner,
    managerEmail: MAX,
    dueAt: new Date(Date.now() + dueInHours * 3_600_000).toISOString(),
    requestedAt: new Date().toISOString(),
    ...overrides,
  });
  return approval;
}

const ids = (page: { items: { id: string }[] }) => page.items.map((a) => a.id);

describe('the approvals inbox', () => {
  it('shows each person their own, a manager their team’s, overdue and decided ones; counts them; pages by cursor', async () => {
    const late = await ask(ANA, -2);
    const soon = await ask(ANA, 5);
    const beas = await ask(BEA, 30);
    const decided = await ask(ANA, 40);
    await recordDecision(
      database.db,
      { id: decided.id },
      {
        status: 'approved',
        decidedBy: ANA,
        decidedAt: new Date().toISOString(),
        values: { discount: 15 },
        reason: null,
      },
    );
    const page = (who: Principal, view: 'mine' | 'team' | 'overdue' | 'decided' | 'open') =>
      listApprovals(database.db, who, { view, limit: 50 }).then(ids);

    expect(await page(ana, 'mine')).toEqual([late.id, soon.id]);
    expect(await page(bea, 'mine')).toEqual([beas.id]);
    expect(await page(ana, 'overdue')).toEqual([late.id]);
    expect(await page(bea, 'overdue')).toEqual([]);
    expect(await page(ana, 'decided')).toEqual([decided.id]);
    expect(await page(bea, 'decided')).toEqual([]);
    expect(await page(bea, 'open')).toEqual([beas.id]);
    expect(await page(max, 'mine')).toEqual([]);
    expect(await page(max, 'team')).toEqual([late.id, soon.id, beas.id]);
    expect(await page(max, 'overdue')).toEqual([late.id]);
    expect(await page(admin, 'team')).toEqual([late.id, soon.id, beas.id]);
    expect(await approvalCounts(database.db, ana)).toEqual({ mine: 2, team: 0, overdue: 1, decided: 1 });
    expect(await approvalCounts(database.db, max)).toEqual({ mine: 0, team: 3, overdue: 1, decided: 1 });

    const first = await listApprovals(database.db, max, { view: 'team', limit: 2 });
    expect(ids(first)).toEqual([late.id, soon.id]);
    const second = await listApprovals(database.db, max, { view: 'team', limit: 2, cursor: first.nextCursor! });
    expect(ids(second)).toEqual([beas.id]);
    expect(second.nextCursor).toBeNull();
    await expect(listApprovals(database.db, max, { view: 'team', limit: 2, cursor: 'junk' })).rejects.toThrow(
      'The cursor is not one this API gave out',
    );
    const overdue = (await listApprovals(database.db, ana, { view: 'mine', limit: 5 })).items[0]!;
    expect(overdue.overdue).toBe(true);
    expect((await listApprovals(database.db, ana, { view: 'decided', limit: 5 })).items[0]).toMatchObject({
      status: 'approved',
      values: { discount: 15 },
      edits: { discount: { from: 10, to: 15 } },
    });
  });
});

describe('reassignOpenWork', () => {
  it('moves a CSM’s open approvals and tasks to the new owner, leaving decided and closed work where it was', async () => {
    const from = 'leaving@acme.example';
    const to = 'taking-over@acme.example';
    const open = await ask(from, 10, 'acct-leaving-1');
    const other = await ask(from, 10, 'acct-leaving-2');
    const done = await ask(from, 10, 'acct-leaving-1');
    await recordDecision(
      database.db,
      { id: done.id },
      {
        status: 'rejected',
        decidedBy: from,
        decidedAt: new Date().toISOString(),
        values: { discount: 10 },
        reason: null,
      },
    );
    const { task } = await createTaskForStep(database.db, {
      workflowId: 'wf-task',
      runId: 'r1',
      stepKey: '1',
      nodeId: 'call',
      accountId: 'acct-leaving-1',
      accountName: 'Leaving Co',
      playbook: null,
      assigneeRole: 'ownerCsm',
      assigneeEmail: 'Leaving@Acme.example',
      assignmentNote: null,
      kind: 'call',
      title: 'Call them',
      instructions: '',
      dueAt: new Date().toISOString(),
    });

    // One account's work first (the account changed hands), then the rest (the CSM was deactivated).
    const account = await reassignOpenWork(database.db, from, to, { accountId: 'acct-leaving-1' });
    expect(account).toEqual({ approvals: [open.id], tasks: [task.id] });
    const newOwner = user(to, 'csm');
    expect(ids(await listApprovals(database.db, newOwner, { view: 'mine', limit: 10 }))).toEqual([open.id]);
    const rest = await reassignOpenWork(database.db, from, to);
    expect(rest).toEqual({ approvals: [other.id], tasks: [] });
    expect(ids(await listApprovals(database.db, newOwner, { view: 'mine', limit: 10 })).sort()).toEqual(
      [open.id, other.id].sort(),
    );
    const leaving = user(from, 'csm');
    expect(ids(await listApprovals(database.db, leaving, { view: 'decided', limit: 10 }))).toEqual([done.id]);
    expect((await listTasks(database.db, { assignee: to, limit: 10 })).map((t) => t.id)).toEqual([task.id]);
  });
});

describe('notifying an assignee', () => {
  const caught = async (to: string) =>
    (await database.db.selectFrom('caught_mail').selectAll().execute()).filter((m) => m.envelope_to.includes(to));
  let notices = 0;
  const notice = (to: string): AssigneeNotice => ({
    subject: `approval:n-${++notices}`,
    event: 'assigned',
    to,
    emailSubject: '[Stayflow] Approval needed: Discount — Acme',
    text: 'An approval waits for your decision.',
  });

  it('emails and posts to Slack once, however often the step is retried', async () => {
    const deps = {
      db: database.db,
      transport,
      mailFrom: 'Stayflow <s@acme.example>',
      slackWebhookUrl: slack.url('/slack'),
      outbound: receiverPolicy(),
    };
    const once = notice('once@acme.example');
    expect((await notifyAssignee(deps, once)).map((r) => [r.channel, r.outcome])).toEqual([
      ['email', 'sent'],
      ['slack', 'sent'],
    ]);
    expect((await notifyAssignee(deps, once)).map((r) => r.outcome)).toEqual(['already', 'already']);
    expect(await caught('once@acme.example')).toHaveLength(1);
    expect(slack.to('/slack')).toHaveLength(1);
    expect(JSON.parse(slack.to('/slack')[0]!.body)).toEqual({
      text: 'Approval needed: Discount — Acme (for once@acme.example)\nAn approval waits for your decision.',
    });
  });

  it('tries a failed channel again on the next attempt, but never one a stopped worker left sending', async () => {
    const down = {
      db: database.db,
      transport,
      mailFrom: 's@acme.example',
      slackWebhookUrl: slack.url('/down'),
      outbound: receiverPolicy(),
    };
    const retried = notice('retried@acme.example');
    const [, slackDown] = await notifyAssignee(down, retried);
    expect(slackDown).toMatchObject({ channel: 'slack', outcome: 'failed', temporary: true });
    const up = { ...down, slackWebhookUrl: slack.url('/slack') };
    expect((await notifyAssignee(up, retried)).map((r) => r.outcome)).toEqual(['already', 'sent']);

    const stuck = notice('stuck@acme.example');
    await database.db
      .insertInto('notifications')
      .values({ subject: stuck.subject, event: stuck.event, channel: 'email', recipient: stuck.to!, state: 'sending' })
      .execute();
    expect((await notifyAssignee({ ...up, slackWebhookUrl: undefined }, stuck))[0]).toMatchObject({
      outcome: 'already',
    });
    expect(await caught('stuck@acme.example')).toHaveLength(0);
  });

  it('does not call a private Slack address the outbound policy refuses, and does not retry it', async () => {
    const refused = { db: database.db, transport, mailFrom: 's@acme.example', slackWebhookUrl: slack.url('/slack') };
    const [, result] = await notifyAssignee(refused, notice('refused@acme.example'));
    expect(result).toMatchObject({
      channel: 'slack',
      outcome: 'failed',
      temporary: false,
      detail: 'Slack: refused: private address',
    });
  });

  it('tells a CSM about a new task once, whatever the retries of its step', async () => {
    const owner = 'tasked@acme.example';
    const account = await createAccount(
      database.db,
      AccountInput.parse({ externalId: 'tasked', name: 'Tasked Co', ownerCsmEmail: owner }),
    );
    const deliver = taskDeliverer({
      db: database.db,
      notify: { db: database.db, transport, mailFrom: 's@acme.example', publicUrl: 'https://stayflow.test' },
    });
    const step = (attempt: number) => ({
      workflowId: 'wf-tasked',
      runId: 'r1',
      stepKey: '4',
      attempt,
      lastAttempt: false,
      effect: {
        kind: 'task' as const,
        nodeId: 'call',
        label: 'Call',
        assignee: 'ownerCsm' as const,
        taskKind: 'call' as const,
        title: 'Call them today',
        instructions: 'Ask what blocks them.',
        dueAt: '2030-01-01T09:00:00Z',
      },
      run: {
        accountId: account.id,
        playbookKey: 'rescue-high',
        playbookName: 'Rescue: high risk',
        version: 1,
        at: '2029-12-31T09:00:00Z',
        day: 0,
        enrolledAt: '2029-12-31T09:00:00Z',
      },
    });
    await deliver(step(1));
    await deliver(step(2));
    const mail = await caught(owner);
    expect(mail.map((m) => m.subject)).toEqual(['[Stayflow] New task: Call them today — Tasked Co']);
    expect(mail[0]!.text).toContain('Ask what blocks them.');
  });
});
