import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Access, Route } from '../../server/api/route.js';
import { ROLES, type Role } from '../../server/auth/principal.js';
import type { TokenScope } from '../../server/auth/scopes.js';
import { createSession } from '../../server/auth/sessions.js';
import { createToken } from '../../server/auth/tokens.js';
import { createUser } from '../../server/auth/users.js';
import { startAccessApp, type AccessApp } from '../support/access-app.js';

// The authorization matrix, walked from the route table itself (apiRoutes, as createApp mounts it): every route ×
// anonymous, every role (owner and not owner of what the request touches) and API tokens with and without the
// route's scope. Handlers are replaced by a probe, so "reached" is observed, not inferred from a status; the rule
// each request meets is the route's own `access`. A denied request must answer 401 or 403 without reaching the
// handler (so nothing changes); an admitted one must reach it (or fail validation, 400, for routes whose input
// the matrix does not sample). A route added without a fixture for its path fails here until one is added.

type Outcome = 'reached' | 401 | 403;
interface Probe {
  routes: Route[];
  reached: Set<string>;
}

const probe: Probe = { routes: [], reached: new Set() };
let app: AccessApp;

const people = {
  admin: 'admin@matrix.example',
  ops: 'ops@matrix.example',
  manager: 'manager@matrix.example',
  csm: 'csm@matrix.example',
  viewer: 'viewer@matrix.example',
  otherCsm: 'other-csm@matrix.example',
};
const sessions = new Map<Role, { cookie: string; csrf: string }>();
const tokens = new Map<TokenScope, string>();
/** Values of what the request touches: the csm's (and so their manager's) and another CSM's. */
const fixture = {
  owned: {} as Record<string, string>,
  foreign: {} as Record<string, string>,
};

beforeAll(async () => {
  app = await startAccessApp(
    {},
    {
      app: {
        routes: (routes) => {
          probe.routes = routes as unknown as Route[];
          return (routes as unknown as Route[]).map((r) => ({
            ...r,
            async handler({ req }: { req: { get(name: string): string | undefined } }) {
              probe.reached.add(req.get('x-matrix-probe') ?? '');
              return {};
            },
          })) as unknown as Route<never, never, never>[];
        },
      },
    },
  );
  const db = app.db;
  const users: Record<string, string> = {};
  for (const [key, email] of Object.entries(people)) {
    const role = key === 'otherCsm' ? 'csm' : (key as Role);
    users[key] = (await createUser(db, { email, role })).id;
  }
  await db.updateTable('users').set({ manager_id: users.manager! }).where('id', '=', users.csm!).execute();
  const policy = { idleMs: 3_600_000, absoluteMs: 3_600_000, now: () => app.clock.now };
  for (const role of ROLES) {
    const session = await createSession(db, users[role]!, { ip: null, userAgent: null }, policy);
    sessions.set(role, { cookie: `stayflow_session=${session.secret}`, csrf: session.csrfToken });
  }
  for (const scope of ['read', 'events:write', 'admin'] as TokenScope[]) {
    tokens.set(scope, (await createToken(db, { name: `matrix ${scope}`, scopes: [scope] }, app.clock.now)).secret);
  }

  for (const [side, owner] of [
    ['owned', people.csm],
    ['foreign', people.otherCsm],
  ] as const) {
    const values = fixture[side];
    const account = await db
      .insertInto('accounts')
      .values({ external_id: `matrix-${side}`, name: `Matrix ${side}`, owner_csm_email: owner })
      .returning('id')
      .executeTakeFirstOrThrow();
    values.account = account.id;
    values.externalId = `matrix-${side}`;
    values.run = `playbook:matrix:account:${account.id}`;
    values.person = owner;
    values.task = (
      await db
        .insertInto('csm_tasks')
        .values({
          workflow_id: values.run,
          run_id: 'r',
          step_key: side,
          node_id: 'call',
          account_id: account.id,
          assignee_role: 'ownerCsm',
          assignee_email: owner,
          kind: 'call',
          title: 'Call',
          due_at: new Date(),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    values.email = (
      await db
        .insertInto('email_outbox')
        .values({
          workflow_id: values.run,
          run_id: 'r',
          step_key: side,
          recipient: 'x@customer.example',
          node_id: 'mail',
          account_id: account.id,
          template_key: 'welcome',
          message_id: `<${side}@matrix>`,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    values.approval = (
      await sql<{ id: string }>`insert into approvals
        (workflow_id, run_id, step_key, node_id, account_id, kind, title, assignee_role, assignee_email,
         owner_csm_email, due_at)
        values (${values.run}, 'r', ${side}, 'offer', ${account.id}, 'offer', 'Offer', 'ownerCsm', ${owner},
         ${owner}, now()) returning id`.execute(db)
    ).rows[0]!.id;
  }
}, 120_000);

afterAll(() => app?.close());

/** The value of a path parameter for a route, on the owned or the foreign side. */
function param(path: string, name: string, side: 'owned' | 'foreign'): string {
  const v = fixture[side];
  if (name === 'token') return 'x';
  if (name === 'contactId') return randomUUID();
  if (name === 'externalId') return v.externalId!;
  if (name === 'email') return v.person!;
  if (name === 'key') return 'welcome';
  const byPrefix: [string, string][] = [
    ['/api/accounts/', v.account!],
    ['/api/runs/', v.run!],
    ['/api/tasks/', v.task!],
    ['/api/outbox/deliveries/', v.email!],
    ['/api/approvals/', v.approval!],
    ['/api/playbooks/', 'matrix-playbook'],
    ['/api/outbox/', randomUUID()],
    ['/api/users/', randomUUID()],
    ['/api/tokens/', randomUUID()],
  ];
  const found = byPrefix.find(([prefix]) => path.startsWith(prefix));
  if (!found) throw new Error(`the access matrix has no fixture for :${name} of ${path}: add one`);
  return found[1];
}

/** Query and body for routes whose ownership rule reads them. */
function sample(method: string, path: string, side: 'owned' | 'foreign'): { query?: string; body?: unknown } {
  const v = fixture[side];
  switch (`${method.toUpperCase()} ${path}`) {
    case 'GET /api/runs':
      return { query: `account=${v.account}` };
    case 'GET /api/outbox/deliveries':
      return { query: `accountId=${v.account}` };
    case 'GET /api/dashboard':
      return { query: `owner=${encodeURIComponent(v.person!)}` };
    case 'GET /api/accounts/:id/enrollment':
      return { query: 'playbook=matrix-playbook' };
    case 'POST /api/accounts/:id/contacts':
      return { body: { name: 'Lucía', email: 'lucia@customer.example' } };
    case 'POST /api/runs/bulk':
      return { body: { action: 'cancel', workflowIds: [v.run] } };
    case 'POST /api/playbooks/:id/enrollments':
      return { body: { accountId: v.account } };
    case 'POST /api/templates/render':
      return { body: { key: 'welcome', accountId: v.account } };
    case 'POST /api/approvals/:id/decision':
      return { body: { decision: 'approved' } };
    default:
      return {};
  }
}

type Caller = { kind: 'anonymous' } | { kind: 'user'; role: Role } | { kind: 'token'; scope: TokenScope };

function expected(access: Access, caller: Caller, side: 'owned' | 'foreign'): Outcome {
  if ('public' in access) return 'reached';
  if (caller.kind === 'anonymous') return 401;
  if (caller.kind === 'token') {
    if (!access.scope) return 403;
    return caller.scope === 'admin' || caller.scope === access.scope ? 'reached' : 403;
  }
  if (!access.roles.includes(caller.role)) return 403;
  const bound = caller.role === 'csm' || caller.role === 'manager';
  if (bound && access.owner && 'of' in access.owner && side === 'foreign') return 403;
  return 'reached';
}

let probes = 0;
async function call(r: Route, caller: Caller, side: 'owned' | 'foreign') {
  const path = r.path.replace(/:(\w+)/g, (_m, name: string) => encodeURIComponent(param(r.path, name, side)));
  const { query, body } = sample(r.method, r.path, side);
  const id = String(++probes);
  const headers: Record<string, string> = { 'x-matrix-probe': id };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (caller.kind === 'user') {
    const session = sessions.get(caller.role)!;
    Object.assign(headers, { cookie: session.cookie, 'x-csrf-token': session.csrf, origin: app.url });
  } else if (caller.kind === 'token') {
    headers.authorization = `Bearer ${tokens.get(caller.scope)}`;
  }
  const res = await fetch(`${app.url}${path}${query ? `?${query}` : ''}`, {
    method: r.method.toUpperCase(),
    headers,
    redirect: 'manual',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  await res.arrayBuffer();
  return { status: res.status, reached: probe.reached.has(id) };
}

describe('the authorization matrix, from the route table', () => {
  it('every route declares who may call it', () => {
    expect(probe.routes.length).toBeGreaterThan(60);
    const undeclared = probe.routes
      .filter((r) => !(r as { access?: Access }).access)
      .map((r) => `${r.method} ${r.path}`);
    expect(undeclared).toEqual([]);
  });

  it('answers every route × caller × owner/not owner as its rule says, and denied calls never reach the handler', async () => {
    const callers: Caller[] = [
      { kind: 'anonymous' },
      ...ROLES.map((role) => ({ kind: 'user', role }) as const),
      { kind: 'token', scope: 'admin' },
      { kind: 'token', scope: 'read' },
      { kind: 'token', scope: 'events:write' },
    ];
    const differences: string[] = [];
    let checked = 0;
    for (const r of probe.routes) {
      for (const caller of callers) {
        for (const side of ['owned', 'foreign'] as const) {
          if (caller.kind !== 'user' && side === 'foreign') continue; // ownership binds people only
          const want = expected(r.access, caller, side);
          const got = await call(r, caller, side);
          checked++;
          const who =
            caller.kind === 'user' ? caller.role : caller.kind === 'token' ? `token:${caller.scope}` : 'anonymous';
          const where = `${r.method.toUpperCase()} ${r.path} as ${who} (${side})`;
          if (want === 'reached') {
            if (!got.reached && got.status !== 400)
              differences.push(`${where}: expected to reach the handler, got ${got.status}`);
          } else if (got.reached || got.status !== want) {
            differences.push(
              `${where}: expected ${want}, got ${got.status}${got.reached ? ' and the handler ran' : ''}`,
            );
          }
        }
      }
    }
    expect(differences).toEqual([]);
    expect(checked).toBeGreaterThan(600);
  }, 300_000);

  it('routes whose ownership is checked by the gate reach the handler for their owner with the sampled input', async () => {
    // Otherwise a 400 in the matrix above could hide an ownership rule never exercised.
    const unreached: string[] = [];
    for (const r of probe.routes) {
      const access = r.access;
      if ('public' in access || !access.owner || !('of' in access.owner)) continue;
      for (const role of ['csm', 'manager'] as const) {
        if (!access.roles.includes(role)) continue;
        const got = await call(r, { kind: 'user', role }, 'owned');
        if (!got.reached) unreached.push(`${r.method.toUpperCase()} ${r.path} as ${role}: ${got.status}`);
      }
    }
    expect(unreached).toEqual([]);
  }, 120_000);
});
