import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideApproval } from '../../server/approvals/decide.js';
import { createApprovalForStep, findApproval } from '../../server/approvals/store.js';
import type { Principal } from '../../server/auth/principal.js';
import type { AppContext } from '../../server/context.js';
import { openDatabase, type AppDatabase } from '../../server/db/database.js';
import { bulkAction, cancelRun, skipWait } from '../../server/playbooks/runs.js';
import { toHttpError } from '../../server/api/http-error.js';
import { freePort } from '../support/free-port.js';

// A decision or a skip while Temporal cannot be reached: 503 "nothing changed", not a 409 refusal, and nothing is
// recorded — within a few seconds (a probe bounded to 2 s, server/temporal/reachable.ts), not the ≈ 20 s the
// client's retries take. Temporal here is a client pointed at a loopback port nobody listens on.

/** Generous over the probe's 2 s on a busy machine; without the probe a skip took ≈ 20 s. */
const WITHIN_MS = 8_000;

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
    expect(Date.now() - started).toBeLessThan(WITHIN_MS);
    const http = toHttpError(error);
    expect(http.status).toBe(503);
    expect(http.message).toMatch(/cannot be reached; the decision on approval .* was not recorded/);
    expect((await findApproval(database.db, approval.id)).status).toBe('pending');
    const audit = await database.db.selectFrom('audit_log').selectAll().where('target_id', '=', approval.id).execute();
    expect(audit).toEqual([]);
  });

  it('skipping a wait answers 503 within seconds, not 409 "not waiting"', async () => {
    const ctx = { database, temporal } as unknown as AppContext;
    const started = Date.now();
    const error = await skipWait(ctx, 'playbook:onboarding-30d:account:acct-1', 'ana@acme.example').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(Date.now() - started).toBeLessThan(WITHIN_MS);
    const http = toHttpError(error);
    expect(http.status).toBe(503);
    expect(http.code).toBe('engine_unavailable');
    expect(http.message).toMatch(/skipping the wait of run .* was not recorded and nothing changed/);
  });

  it('cancelling a run answers 503 within seconds', async () => {
    const ctx = { database, temporal } as unknown as AppContext;
    const started = Date.now();
    const error = await cancelRun(ctx, 'playbook:onboarding-30d:account:acct-1').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(Date.now() - started).toBeLessThan(WITHIN_MS);
    expect(toHttpError(error)).toMatchObject({ status: 503, code: 'engine_unavailable' });
  });

  it('a bulk skip or cancel of many runs is one 503 within seconds, not a wait per run', async () => {
    const ctx = { database, temporal } as unknown as AppContext;
    const ids = Array.from({ length: 20 }, (_, i) => `playbook:onboarding-30d:account:acct-${i}`);
    for (const action of ['skipWait', 'cancel'] as const) {
      const started = Date.now();
      const error = await bulkAction(ctx, action, ids).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(Date.now() - started).toBeLessThan(WITHIN_MS);
      const http = toHttpError(error);
      expect(http).toMatchObject({ status: 503, code: 'engine_unavailable' });
      expect(http.message).toMatch(/20 run\(s\) was not recorded/);
    }
  });
});
