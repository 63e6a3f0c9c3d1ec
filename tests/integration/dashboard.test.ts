import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Dashboard } from '../../engine/dashboard/schema.js';
import { api } from '../support/api.js';
import { discountOffer, discountOfferTemplate } from '../support/approval-playbooks.js';
import { until } from '../support/until.js';

// The dashboard's numbers are the lengths of the lists the API serves with the same filters. A portfolio of its
// own (one owner CSM, so other tests on the shared stack do not move the numbers) is seeded with accounts in
// several risk levels and renewal windows, runs of a task playbook, and a discount approval decided with an
// edit; then every figure is compared with its list.

const DAY = 86_400_000;
const day = (offset: number) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);
const owner = `dash-${randomUUID()}@cs.example`;
const suffix = randomUUID().slice(0, 8);
const taskKey = `dash-tasks-${suffix}`;
const offerKey = `dash-offer-${suffix}`;

function taskThenWait(key: string) {
  return {
    schemaVersion: 1,
    key,
    name: `Dashboard kickoff ${suffix}`,
    triggers: [{ type: 'manual' }],
    enrollment: { mode: 'oneAtATime' },
    nodes: [
      { id: 'start', type: 'trigger', label: 'Start', config: {} },
      {
        id: 'kickoff',
        type: 'task',
        label: 'Kickoff call',
        config: { assignee: 'ownerCsm', kind: 'call', title: 'Call them', dueIn: { amount: 2, unit: 'days' } },
      },
      { id: 'pause', type: 'wait', label: 'Wait a week', config: { kind: 'duration', amount: 7, unit: 'days' } },
      { id: 'done', type: 'end', label: 'Done', config: {} },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'kickoff' },
      { id: 'e2', source: 'kickoff', target: 'pause' },
      { id: 'e3', source: 'pause', target: 'done' },
    ],
  };
}

async function ok(method: string, path: string, body?: unknown) {
  const res = await api(method, path, body);
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
  return res.body;
}

const q = (filters: Record<string, string | number | undefined>) =>
  new URLSearchParams(
    Object.entries(filters).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])),
  ).toString();
const accountsCount = async (filters: Record<string, string | number>) =>
  ((await ok('GET', `/api/accounts?${q({ owner, limit: 500, ...filters })}`)).items as unknown[]).length;
const runsCount = async (filters: Record<string, string | undefined>) =>
  ((await ok('GET', `/api/runs?${q({ owner, limit: 1000, ...filters })}`)).items as unknown[]).length;
const emailsCount = async (filters: Record<string, string>) =>
  ((await ok('GET', `/api/outbox/deliveries?${q({ owner, limit: 500, ...filters })}`)).items as unknown[]).length;
const dashboard = async () => (await ok('GET', `/api/dashboard?owner=${encodeURIComponent(owner)}`)) as Dashboard;

const accounts: Record<string, string> = {};

beforeAll(async () => {
  // Renewals: two inside the next 120 days, one after, one passed, one without a date.
  const seeds = [
    ['soon', day(30)],
    ['later', day(200)],
    ['undated', null],
    ['within', day(100)],
    ['passed', day(-1)],
  ] as const;
  for (const [name, renewalDate] of seeds) {
    const account = await ok('POST', '/api/accounts', {
      externalId: `dash-${suffix}-${name}`,
      name: `Dash ${name} ${suffix}`,
      ownerCsmEmail: owner,
      csmManagerEmail: `manager-${suffix}@cs.example`,
      renewalDate,
    });
    accounts[name] = account.id;
  }
  await ok('POST', `/api/accounts/${accounts.soon}/contacts`, {
    name: 'Olga Soon',
    email: `olga-${suffix}@customer.example`,
  });
  // Two high signals (NPS < 7, CSAT < 3/5): 60 risk points, medium. One: 30, low. Others score with no risk.
  await ok('POST', '/api/events', {
    events: [
      { accountId: accounts.soon, name: 'nps.answered', data: { score: 2 }, idempotencyKey: `nps-${suffix}-1` },
      { accountId: accounts.soon, name: 'csat.answered', data: { score: 1 }, idempotencyKey: `csat-${suffix}-1` },
      { accountId: accounts.within, name: 'nps.answered', data: { score: 3 }, idempotencyKey: `nps-${suffix}-2` },
    ],
  });
  for (const name of ['soon', 'later', 'within', 'passed']) await ok('POST', `/api/accounts/${accounts[name]}/health`);

  await ok('POST', '/api/playbooks', { definition: taskThenWait(taskKey) });
  await ok('POST', `/api/playbooks/${taskKey}/publish`);
  await ok('PUT', `/api/templates/${offerKey}`, discountOfferTemplate);
  await ok('POST', '/api/playbooks', { definition: discountOffer(offerKey, offerKey) });
  await ok('POST', `/api/playbooks/${offerKey}/publish`);
  for (const name of ['soon', 'later', 'within']) {
    await ok('POST', `/api/playbooks/${taskKey}/enrollments`, { accountId: accounts[name] });
  }
  await ok('POST', `/api/playbooks/${offerKey}/enrollments`, { accountId: accounts.soon });
  await ok('POST', `/api/playbooks/${offerKey}/enrollments`, { accountId: accounts.later });
  // Decide one approval (15 % instead of 10 %): its email goes out; the other stays pending.
  const approval = await until('the discount approval', async () => {
    const items = (await ok('GET', `/api/approvals?view=open&playbook=${offerKey}&account=${accounts.soon}`)).items as {
      id: string;
      run: { workflowId: string };
    }[];
    return items[0];
  });
  await ok('POST', `/api/approvals/${approval.id}/decision`, { decision: 'approved', values: { discount: 15 } });
  const offerRun = encodeURIComponent(approval.run.workflowId);
  await until(
    'the offer email sent',
    async () => {
      const items = (await ok('GET', `/api/outbox/deliveries?workflowId=${offerRun}&state=sent`)).items as unknown[];
      return items.length === 1 ? items : undefined;
    },
    45_000,
  );
  await until(
    'the task runs at their wait',
    async () => {
      const here = (await dashboard()).funnels.find((f) => f.key === taskKey)?.steps.find((s) => s.nodeId === 'pause');
      return here?.here === 3 ? here : undefined;
    },
    45_000,
  );
}, 120_000);

/**
 * Compares every figure with its list. The seeded events also start the shipped NPS and rescue playbooks for these
 * accounts, which keep moving for a moment (an email, then a long wait): a pass that finds a difference is made
 * again until the portfolio holds still, and the last pass is the verdict.
 */
async function differences(d: Dashboard): Promise<string[]> {
  const found: string[] = [];
  const check = (what: string, listed: number, counted: number) => {
    if (listed !== counted) found.push(`${what}: list ${listed}, dashboard ${counted}`);
  };
  for (const [level, n] of Object.entries(d.health.byLevel))
    check(`accounts ${level}`, await accountsCount({ riskLevel: level }), n);
  for (const b of d.health.buckets) {
    check(
      `health ${b.healthMin}-${b.healthMax}`,
      await accountsCount({ healthMin: b.healthMin, healthMax: b.healthMax }),
      b.accounts,
    );
  }
  check(
    'renewals',
    await accountsCount({ renewalFrom: d.renewals.from, renewalTo: d.renewals.to }),
    d.renewals.accounts,
  );
  for (const playbook of d.runs) {
    for (const [status, n] of Object.entries(playbook.byStatus)) {
      check(`${playbook.key} ${status}`, await runsCount({ playbook: playbook.key, status }), n);
    }
  }
  for (const funnel of d.funnels) {
    check(`${funnel.key} started`, await runsCount({ playbook: funnel.key }), funnel.started);
    for (const step of funnel.steps) {
      if (step.reached !== null) {
        check(
          `${funnel.key} did ${step.nodeId}`,
          await runsCount({ playbook: funnel.key, reached: step.nodeId }),
          step.reached,
        );
      }
      if (step.here > 0 || [taskKey, offerKey].includes(funnel.key)) {
        check(
          `${funnel.key} at ${step.nodeId}`,
          await runsCount({ playbook: funnel.key, node: step.nodeId, status: 'running' }),
          step.here,
        );
      }
    }
  }
  for (const state of ['queued', 'sending', 'sent', 'failed', 'skipped', 'uncertain'] as const) {
    const total = d.emails.byDay.reduce((n, e) => n + e[state], 0);
    check(`emails ${state}`, await emailsCount({ state, from: d.emails.from, to: d.emails.to }), total);
    for (const e of d.emails.byDay.filter((e) => e[state] > 0)) {
      check(`emails ${state} on ${e.day}`, await emailsCount({ state, from: e.day, to: e.day }), e[state]);
    }
  }
  let pending = 0;
  for (const id of Object.values(accounts)) {
    pending += ((await ok('GET', `/api/approvals?view=open&account=${id}&limit=200`)).items as unknown[]).length;
  }
  check('approvals pending', pending, d.approvals.pending);
  return found;
}

describe('the dashboard', () => {
  it('counts the seeded portfolio as it is', async () => {
    const d = await dashboard();
    expect(d.owner).toBe(owner);
    expect(d.health.accounts).toBe(5);
    expect(d.health.byLevel).toEqual({ high: 0, medium: 1, low: 1, none: 2, unscored: 1 });
    expect(d.health.buckets.reduce((n, b) => n + b.accounts, 0)).toBe(4);
    expect(d.renewals.accounts).toBe(2);
    expect(d.renewals.upcoming.map((u) => u.accountId)).toEqual([accounts.soon, accounts.within]);
    expect(d.runs.find((r) => r.key === taskKey)?.byStatus).toMatchObject({ running: 3, completed: 0 });
    expect(d.runs.find((r) => r.key === offerKey)?.byStatus).toMatchObject({
      running: 1,
      'waiting-approval': 1,
      completed: 1,
    });
    const funnel = d.funnels.find((f) => f.key === taskKey)!;
    expect(funnel.started).toBe(3);
    expect(funnel.steps.map((s) => [s.nodeId, s.reached, s.here])).toEqual([
      ['start', null, 0],
      ['kickoff', 3, 0],
      ['pause', null, 3],
    ]);
    const offer = d.funnels.find((f) => f.key === offerKey)!;
    expect(offer.steps.find((s) => s.nodeId === 'offerMail')?.reached).toBe(1);
    expect(d.approvals.pending).toBeGreaterThanOrEqual(1);
    expect(d.approvals.decided).toBeGreaterThanOrEqual(1);
    expect(d.approvals.medianHoursToDecision).toBeGreaterThanOrEqual(0);
    expect(d.emails.byDay.at(-1)!.day).toBe(day(0));
    expect(d.emails.byDay.reduce((n, e) => n + e.sent, 0)).toBeGreaterThanOrEqual(1);
  });

  it('matches the API’s lists, number by number', async () => {
    let found: string[] = [];
    for (let pass = 0; pass < 6; pass++) {
      found = await differences(await dashboard());
      if (found.length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
    expect(found).toEqual([]);
  }, 180_000);

  it('answers a bad filter with a 400 and an owner without accounts with zeros', async () => {
    expect((await api('GET', '/api/dashboard?days=0')).status).toBe(400);
    expect((await api('GET', '/api/dashboard?renewalDays=abc')).status).toBe(400);
    const empty = (await ok(
      'GET',
      `/api/dashboard?owner=${encodeURIComponent(`nobody-${suffix}@cs.example`)}`,
    )) as Dashboard;
    expect(empty.health.accounts).toBe(0);
    expect(empty.renewals.accounts).toBe(0);
    expect(empty.approvals.pending).toBe(0);
    expect(empty.runs.every((r) => Object.values(r.byStatus).every((n) => n === 0))).toBe(true);
  });
});
