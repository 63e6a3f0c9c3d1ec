import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideApproval } from '../../server/approvals/decide.js';
import { createApprovalForStep, findApproval } from '../../server/approvals/store.js';
import type { Principal } from '../../server/auth/principal.js';
import type { AppContext } from '../../server/context.js';
import { openDatabase, type AppDatabase } from '../../server/db/database.js';
import { skipWait } from '../../server/playbooks/runs.js';
import { toHttpError } from '../../server/api/http-error.js';
import { freePort } from '../support/free-port.js';

// A decision or a skip while Temporal cannot be reached: 503 "nothing changed", not a 409 refusal, and nothing is
// recorded. Temporal here is a client pointed at a loopback port nobody listens on.

let database: AppDatabase;
let connection: Connection;
let temporal: Client;

beforeAll(async () => {
  database = await openDatabase({ dataDir: 'memory://' });
  connection = Connection.lazy({ address: `127.0.0.1:${await freePort()}` });
  temporal = new Client({ connection });
}, 60_000);

afterAll(async () => {
  await connection?.close().catch(() => undefined);
  await database?.close();
});

const ana: Principal = {
  kind: 'user',
  userId: 'ana',
  email: 'ana@acme.example',
  name: null,
  role: 'csm',
  team: [],
  sessionId: 's',
};

async function pendingApproval() {
  const { approval } = await createApprovalForStep(database.db, {
    workflowId: 'playbook:rescue-high:account:acct-1',
    runId: 'r1',
    stepKey: '1',
    nodeId: 'incentive',
    accountId: 'acct-1',
    accountName: 'Acme',
    playbook: { key: 'rescue-high', name: 'Rescue: high risk', version: 1 },
    kind: 'discount',
    title: 'Discount',
    details: '',
    parameters: [],
    proposal: null,
    context: { account: null, health: null, recentEvents: [] },
    assigneeRole: 'ownerCsm',
    assigneeEmail: 'ana@acme.example',
    assignmentNote: null,
    ownerCsmEmail: 'ana@acme.example',
    managerEmail: null,
    dueAt: new Date(Date.now() + 86_400_000).toISOString(),
    requestedAt: new Date().toISOString(),
  });
  return approval;
}

describe('Temporal unreachable', () => {
  it('a decision answers 503 within seconds and leaves the approval pending, unaudited', async () => {
    const approval = await pendingApproval();
    const ctx = { database, temporal } as unknown as AppContext;
    const started = Date.now();
    const error = await decideApproval(ctx, approval.id, { decision: 'approved' }, ana).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(Date.now() - started).toBeLessThan(15_000);
    const http = toHttpError(error);
    expect(http.status).toBe(503);
    expect(http.message).toMatch(/cannot be reached; the decision on approval .* was not recorded/);
    expect((await findApproval(database.db, approval.id)).status).toBe('pending');
    const audit = await database.db.selectFrom('audit_log').selectAll().where('target_id', '=', approval.id).execute();
    expect(audit).toEqual([]);
  });

  it('skipping a wait answers 503, not 409 "not waiting"', async () => {
    const ctx = { database, temporal } as unknown as AppContext;
    const error = await skipWait(ctx, 'playbook:onboarding-30d:account:acct-1', 'ana@acme.example').then(
      () => undefined,
      (e: unknown) => e,
    );
    const http = toHttpError(error);
    expect(http.status).toBe(503);
    expect(http.code).toBe('engine_unavailable');
  });
});
