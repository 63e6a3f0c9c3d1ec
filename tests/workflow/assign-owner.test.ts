import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { playbookActivities } from '../../activities/playbook/perform-effect.js';
import { AccountInput } from '../../engine/accounts/schema.js';
import type { AssignOwnerEffect, RunInput, RunResult } from '../../engine/interpreter/types.js';
import { compilePlaybook } from '../../engine/playbook/compile.js';
import type { CompiledPlaybook } from '../../engine/playbook/ir.js';
import type { playbookRunWorkflow } from '../../engine/workflows/playbook-run.js';
import { createAccount } from '../../server/accounts/store.js';
import { assignOwnerDeliverer } from '../../server/assignment/deliver.js';
import { listAudit } from '../../server/audit/log.js';
import { createUser } from '../../server/auth/users.js';
import { openDatabase, type AppDatabase } from '../../server/db/database.js';
import type { Deliverer } from '../../server/effects/perform.js';
import { BrowserSession, startAccessApp, type AccessApp } from '../support/access-app.js';
import { startTimeSkipping, workflowBundle } from '../support/time-skipping.js';

// assignOwner on Temporal with the real effect activity, the real assignment domain and PGlite: three runs of a
// round-robin step give three accounts three CSMs of the team, in order; the account API shows each new owner; and
// an attempt that dies after its assignment committed is retried without taking a second turn of the rotation.

const TASK_QUEUE = 'assign-owner';
const PASSWORD = 'correct horse battery staple';
let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let database: AppDatabase;
let app: AccessApp;
let ops: BrowserSession;
/** Accounts whose first attempt dies after the assignment committed, as a worker killed at that moment leaves it. */
const dieAfterCommit = new Set<string>();
const attempts: { accountId: string; attempt: number }[] = [];

beforeAll(async () => {
  database = await openDatabase({ dataDir: 'memory://' });
  const lena = await createUser(database.db, { email: 'lena@yourco.example', name: 'Lena Ortiz', role: 'manager' });
  for (const [email, name] of [
    ['carla@yourco.example', 'Carla Díaz'],
    ['ana@yourco.example', 'Ana Ruiz'],
    ['ben@yourco.example', 'Ben Ortiz'],
  ])
    await createUser(database.db, { email: email!, name, role: 'csm', managerId: lena.id });
  await createUser(database.db, { email: 'ops@yourco.example', role: 'ops', password: PASSWORD });

  const real = assignOwnerDeliverer({ db: database.db });
  const assign: Deliverer<AssignOwnerEffect> = async (step) => {
    const outcome = await real(step);
    const accountId = step.run!.accountId;
    attempts.push({ accountId, attempt: step.attempt });
    if (step.attempt === 1 && dieAfterCommit.has(accountId)) throw new Error('the worker died after the commit');
    return outcome;
  };
  env = await startTimeSkipping();
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    workflowBundle: workflowBundle(),
    activities: playbookActivities({ db: database.db, deliver: { assignOwner: assign } }),
  });
  running = worker.run();
  app = await startAccessApp({}, { database });
  ops = new BrowserSession(app);
  expect((await ops.signIn('ops@yourco.example', PASSWORD)).status).toBe(200);
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
  await app?.close();
  await database?.close();
});

function roundRobin(): CompiledPlaybook {
  const result = compilePlaybook({
    schemaVersion: 1,
    key: 'welcome-owner',
    name: 'Welcome owner',
    triggers: [{ type: 'manual' }],
    enrollment: { mode: 'oneAtATime' },
    nodes: [
      { id: 'start', type: 'trigger', label: 'Start', config: {} },
      {
        id: 'owner',
        type: 'assignOwner',
        label: 'Assign a CSM',
        config: { strategy: 'roundRobin', team: 'lena@yourco.example' },
      },
      { id: 'done', type: 'end', label: 'Done', config: {} },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'owner' },
      { id: 'e2', source: 'owner', target: 'done' },
    ],
  });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return { ...result.playbook, version: 1 };
}

async function runFor(accountId: string): Promise<RunResult> {
  const input: RunInput = {
    playbook: roundRobin(),
    account: { id: accountId, timeZone: 'Europe/Madrid', fields: { segment: 'mid-touch' } },
  };
  return env.client.workflow.execute<typeof playbookRunWorkflow>('playbookRunWorkflow', {
    taskQueue: TASK_QUEUE,
    workflowId: `playbook:welcome-owner:account:${accountId}`,
    args: [input],
  });
}

const newAccount = async (externalId: string) =>
  (await createAccount(database.db, AccountInput.parse({ externalId, name: externalId, segment: 'mid-touch' }))).id;

describe('assignOwner, round robin within a team', () => {
  it('assigns three accounts to the three CSMs in turn, each shown by the account API, a retry taking no extra turn', async () => {
    const ids = [await newAccount('acme'), await newAccount('globex'), await newAccount('initech')];
    dieAfterCommit.add(ids[1]!);
    const summaries: string[] = [];
    for (const id of ids) {
      const result = await runFor(id);
      summaries.push(result.timeline.find((e) => e.kind === 'assignOwner')!.summary);
    }
    expect(summaries).toEqual([
      'Assigned to Ana Ruiz <ana@yourco.example> (round robin in team Lena Ortiz)',
      'Assigned to Ben Ortiz <ben@yourco.example> (round robin in team Lena Ortiz)',
      'Assigned to Carla Díaz <carla@yourco.example> (round robin in team Lena Ortiz)',
    ]);
    // Globex's first attempt died after committing; its retry answered the same CSM, and Initech got the next.
    expect(attempts.filter((a) => a.accountId === ids[1]).map((a) => a.attempt)).toEqual([1, 2]);

    const owners = [];
    for (const id of ids) {
      const res = await ops.request('GET', `/api/accounts/${id}`);
      expect(res.status).toBe(200);
      owners.push([res.body.ownerCsmEmail, res.body.ownerCsmName, res.body.csmManagerEmail]);
    }
    expect(owners).toEqual([
      ['ana@yourco.example', 'Ana Ruiz', 'lena@yourco.example'],
      ['ben@yourco.example', 'Ben Ortiz', 'lena@yourco.example'],
      ['carla@yourco.example', 'Carla Díaz', 'lena@yourco.example'],
    ]);
    const audit = await listAudit(database.db, { action: 'account.owner_assigned', limit: 10 });
    expect(audit.items.map((e) => [e.target?.id, e.detail.to])).toEqual([
      [ids[2], 'carla@yourco.example'],
      [ids[1], 'ben@yourco.example'],
      [ids[0], 'ana@yourco.example'],
    ]);
  });

  it('wraps round to the first CSM, and keeps an owner the account already has', async () => {
    const fourth = await newAccount('umbrella');
    expect((await runFor(fourth)).timeline.find((e) => e.kind === 'assignOwner')!.summary).toBe(
      'Assigned to Ana Ruiz <ana@yourco.example> (round robin in team Lena Ortiz)',
    );
    const owned = (
      await createAccount(
        database.db,
        AccountInput.parse({ externalId: 'hooli', name: 'Hooli', ownerCsmEmail: 'zoe@yourco.example' }),
      )
    ).id;
    const kept = (await runFor(owned)).timeline.find((e) => e.kind === 'assignOwner')!;
    expect(kept).toMatchObject({
      summary: 'Assign a CSM: skipped',
      why: "kept the account's owner zoe@yourco.example (the step assigns only accounts without one)",
    });
    // The kept owner took no turn: the next account gets Ben.
    const next = await newAccount('stark');
    expect((await runFor(next)).timeline.find((e) => e.kind === 'assignOwner')!.summary).toContain('Ben Ortiz');
  });
});
