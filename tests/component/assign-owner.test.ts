import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountInput } from '../../engine/accounts/schema.js';
import { createAccount, findAccount } from '../../server/accounts/store.js';
import { assignOwner } from '../../server/assignment/assign.js';
import { createUser } from '../../server/auth/users.js';
import { isDomainError } from '../../server/errors.js';
import { BrowserSession, startAccessApp, type AccessApp } from '../support/access-app.js';

// assignOwner against the install's people (PGlite and the API in-process): validate and publish refuse a team or a
// CSM that is not there, on the step; the preview names the team's CSMs; least loaded counts accounts owned.

const PASSWORD = 'correct horse battery staple';
let app: AccessApp;
let ops: BrowserSession;

beforeAll(async () => {
  app = await startAccessApp();
  await createUser(app.db, { email: 'ops@yourco.example', role: 'ops', password: PASSWORD });
  const lena = await createUser(app.db, { email: 'lena@yourco.example', name: 'Lena Ortiz', role: 'manager' });
  await createUser(app.db, { email: 'ana@yourco.example', name: 'Ana Ruiz', role: 'csm', managerId: lena.id });
  await createUser(app.db, { email: 'ben@yourco.example', name: 'Ben Ortiz', role: 'csm', managerId: lena.id });
  await createUser(app.db, { email: 'max@yourco.example', name: 'Max Weber', role: 'manager' });
  ops = new BrowserSession(app);
  expect((await ops.signIn('ops@yourco.example', PASSWORD)).status).toBe(200);
}, 120_000);
afterAll(() => app?.close());

const definition = (config: unknown) => ({
  schemaVersion: 1,
  key: 'owner-by-segment',
  name: 'Owner by segment',
  triggers: [{ type: 'manual' }],
  enrollment: { mode: 'oneAtATime' },
  nodes: [
    { id: 'start', type: 'trigger', label: 'Start', config: {} },
    { id: 'owner', type: 'assignOwner', label: 'Assign a CSM', config },
    { id: 'done', type: 'end', label: 'Done', config: {} },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'owner' },
    { id: 'e2', source: 'owner', target: 'done' },
  ],
});
const newAccount = async (externalId: string, ownerCsmEmail?: string) =>
  (
    await createAccount(
      app.db,
      AccountInput.parse({ externalId, name: externalId, segment: 'mid-touch', ownerCsmEmail }),
    )
  ).id;

describe('assignOwner steps checked against the install', () => {
  it('refuses, on the step, a team nobody leads, a team with nobody in it, and someone who is not a CSM', async () => {
    const res = await ops.request('POST', '/api/playbooks/validate', {
      definition: definition({
        strategy: 'bySegment',
        segments: [
          { segment: 'high-touch', owner: { kind: 'csm', email: 'nobody@yourco.example' } },
          { segment: 'mid-touch', owner: { kind: 'team', team: 'max@yourco.example' } },
        ],
        fallback: { kind: 'team', team: 'ana@yourco.example' },
      }),
    });
    expect(res.status).toBe(422);
    expect(
      (res.body.issues as { nodeId: string; path: string; code: string }[]).map((i) => [i.nodeId, i.path, i.code]),
    ).toEqual([
      ['owner', 'nodes[1].config.segments[0].owner.email', 'unknown_csm'],
      ['owner', 'nodes[1].config.segments[1].owner.team', 'empty_team'],
      ['owner', 'nodes[1].config.fallback.team', 'unknown_team'],
    ]);
    const valid = await ops.request('POST', '/api/playbooks/validate', {
      definition: definition({ strategy: 'roundRobin', team: 'LENA@yourco.example' }),
    });
    expect(valid.status).toBe(200);
  });

  it('previews a stored account’s assignment with the team’s CSMs, and its kept owner', async () => {
    const created = await ops.request('POST', '/api/playbooks', {
      definition: definition({ strategy: 'roundRobin', team: 'lena@yourco.example' }),
    });
    expect(created.status).toBe(201);
    const preview = async (accountId: string) => {
      const res = await ops.request('POST', '/api/playbooks/owner-by-segment/simulate', {
        account: { id: accountId, timeZone: 'Europe/Madrid', fields: { segment: 'mid-touch' } },
        startAt: '2026-12-01T09:00:00Z',
      });
      expect(res.status).toBe(200);
      return (res.body.timeline as { kind: string; summary: string; why: string }[]).find(
        (e) => e.kind === 'assignOwner',
      )!;
    };
    expect((await preview(await newAccount('unowned'))).summary).toBe(
      "Would be assigned to the next CSM in team Lena Ortiz's rotation (of Ana Ruiz <ana@yourco.example>, Ben Ortiz <ben@yourco.example>)",
    );
    expect(await preview(await newAccount('owned', 'zoe@yourco.example'))).toMatchObject({
      summary: 'Assign a CSM: skipped',
      why: "kept the account's owner zoe@yourco.example (the step assigns only accounts without one)",
    });
  });
});

describe('the assignment domain', () => {
  const step = (n: number, accountId: string, pick: 'roundRobin' | 'leastLoaded', team = 'lena@yourco.example') => ({
    workflowId: `wf-${n}`,
    runId: 'run-1',
    stepKey: '1',
    nodeId: 'owner',
    accountId,
    owner: { kind: 'team' as const, team, pick },
    onlyIfUnowned: false,
    basis: '',
  });

  it('least loaded gives the account to the CSM who owns the fewest, counting owners without case', async () => {
    await newAccount('a1', 'ANA@yourco.example');
    await newAccount('a2', 'ana@yourco.example');
    await newAccount('b1', 'ben@yourco.example');
    const target = await newAccount('new-one');
    const result = await assignOwner(app.db, step(100, target, 'leastLoaded'));
    expect(result).toEqual({
      status: 'done',
      detail: 'assigned to Ben Ortiz <ben@yourco.example> (least loaded in team Lena Ortiz: owned 1 account)',
      owner: 'ben@yourco.example',
    });
    expect((await findAccount(app.db, target)).ownerCsmEmail).toBe('ben@yourco.example');
    // The same step again (a retry) answers what it did, whatever the counts are now.
    expect(await assignOwner(app.db, step(100, target, 'leastLoaded'))).toEqual(result);
  });

  it('refuses a team with no active CSMs and writes nothing', async () => {
    const target = await newAccount('for-max');
    const error = await assignOwner(app.db, step(200, target, 'roundRobin', 'max@yourco.example')).catch((e) => e);
    expect(isDomainError(error, 'unprocessable') && error.code).toBe('empty_team');
    expect(error.message).toBe('team Max Weber has no active CSMs');
    expect((await findAccount(app.db, target)).ownerCsmEmail).toBeNull();
    const rows = await app.db
      .selectFrom('owner_assignments')
      .select('workflow_id')
      .where('workflow_id', '=', 'wf-200')
      .execute();
    expect(rows).toEqual([]);
  });
});
