import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  daysAgo,
  newAccount,
  postEvents,
  publish,
  publishRescues,
  runOf,
  runUntil,
} from '../support/rescue-playbooks.js';
import { until } from '../support/until.js';

// Rescue by level on the real dev server (domain.md playbook 2): events move an account's score across the levels;
// entering a level starts that level's rescue, a higher one supersedes a lower one, falling back ends it. Then the
// "why (not) enrolled" view explains it all.

const prefix = `rescue-${Date.now()}`;
let rescues: Awaited<ReturnType<typeof publishRescues>>;
beforeAll(async () => {
  rescues = await publishRescues(prefix);
});
// Other files share this stack: archived rescues enroll no one there.
afterAll(() => rescues?.archive());

const running = (status: string) => status !== 'exited' && status !== 'completed';

describe('rescue by level', () => {
  it('starts the rescue of each level entered, supersedes the lower one, and ends it when the level falls back', async () => {
    const { keys } = rescues;
    const scorecardVersion = (await api('GET', '/api/scorecard')).body.version as number;
    const account = await newAccount();

    // NPS 5: the latest NPS answer is below 7, a high-class signal (30 points) → low.
    await postEvents(account.externalId, [{ name: 'nps.answered', data: { score: 5 } }]);
    const low = await runOf(account.id, keys.low);

    // CSAT 2 adds another 30 → 60, medium: the medium rescue starts and ends the low one.
    await postEvents(account.externalId, [{ name: 'csat.answered', data: { score: 2 } }]);
    const medium = await runOf(account.id, keys.medium);
    const lowEnded = await runUntil(low.workflowId, 'the low rescue to be superseded', (d) => d.status === 'exited');
    expect(lowEnded.timeline.at(-1)!.summary).toBe(`Exited: Superseded by Rescue medium ${keys.medium}`);

    // A login 8 days ago: no login for 7 days (30), and the account is now tracked for longer than the 7-day
    // windows, so "fewer than 2 sessions per week" (30) and "under an hour a week" (15) speak too → 100, high.
    await postEvents(account.externalId, [{ name: 'product.login', occurredAt: daysAgo(8) }]);
    const high = await runOf(account.id, keys.high);
    const started = await runUntil(high.workflowId, 'the high rescue to be waiting', (d) => d.timeline.length > 0);
    expect(started.timeline[0]!.why).toContain(
      `risk level entered high (was medium): risk score 100 under scorecard version ${scorecardVersion}`,
    );
    const mediumEnded = await runUntil(
      medium.workflowId,
      'the medium rescue to be superseded',
      (d) => d.status === 'exited',
    );
    expect(mediumEnded.timeline.at(-1)!.summary).toBe(`Exited: Superseded by Rescue high ${keys.high}`);

    // The score says why: each signal that fired, with its sentence.
    const health = (await api('GET', `/api/accounts/${account.id}/health`)).body;
    expect(health.latest).toMatchObject({ riskScore: 100, riskLevel: 'high', scorecardVersion });
    const fired = new Map<string, string>(
      health.latest.fired.map((s: { signalId: string; why: string }) => [s.signalId, s.why]),
    );
    expect([...fired.keys()]).toEqual(
      expect.arrayContaining(['nps-below-7', 'csat-below-3', 'no-login-7-days', 'low-sessions']),
    );
    expect(fired.get('nps-below-7')).toMatch(/5/);
    expect(fired.get('no-login-7-days')).toMatch(/8 days/);

    // "Why enrolled" for the high rescue: enrolled, the decision and the run say which trigger and which score.
    const why = (await api('GET', `/api/accounts/${account.id}/enrollment?playbook=${keys.high}`)).body;
    expect(why.enrolled).toBe(true);
    expect(why.decisions).toEqual([
      expect.objectContaining({
        started: true,
        reason: expect.stringContaining('risk level entered high (was medium)'),
      }),
    ]);
    expect(why.runs[0].reason).toContain('risk score 100');
    expect(why.now.policy).toMatchObject({ holdsNow: false });
    expect(why.now.policy.why).toContain('one enrollment at a time');
    expect(why.now.triggers[0]).toMatchObject({ holdsNow: true });
    expect(why.now.exits[0]).toMatchObject({ label: 'Risk back below 80', holdsNow: false });
    expect(why.summary[0]).toContain(`Enrolled: run ${high.workflowId}`);

    // Back down: a login now, NPS 9, CSAT 5 → only the weekly-usage signals remain (45, low). The high rescue's
    // exit criterion ends it, and entering low starts the low rescue again.
    await postEvents(account.externalId, [
      { name: 'product.login' },
      { name: 'nps.answered', data: { score: 9 } },
      { name: 'csat.answered', data: { score: 5 } },
    ]);
    const highEnded = await runUntil(high.workflowId, 'the high rescue to exit', (d) => d.status === 'exited');
    expect(highEnded.timeline.at(-1)!.summary).toBe('Exited: Risk back below 80');
    const lowAgain = await runOf(account.id, keys.low, running);
    expect(lowAgain.workflowId).toBe(low.workflowId); // one at a time: the same workflow id, a new execution
    const lowDetail = await runUntil(lowAgain.workflowId, 'the new low rescue', (d) => d.timeline.length > 0);
    expect(lowDetail.timeline[0]!.why).toContain('risk level entered low (was high): risk score 45');

    // Now the medium rescue is not enrolled: its last run was superseded, and its trigger does not hold.
    const notNow = (await api('GET', `/api/accounts/${account.id}/enrollment?playbook=${keys.medium}`)).body;
    expect(notNow.enrolled).toBe(false);
    expect(notNow.runs[0]).toMatchObject({ workflowId: medium.workflowId, status: 'exited' });
    expect(notNow.now.triggers[0]).toMatchObject({ holdsNow: false });
    expect(notNow.now.triggers[0].why).toBe(
      'Enrolls on entering risk level medium; the account is at low (risk score 45) now.',
    );
    expect(notNow.now.policy).toMatchObject({ holdsNow: true });
  });
});

describe('why (not) enrolled', () => {
  it('says when the enrollment policy refused a trigger that matched', async () => {
    const key = `${prefix}-once`;
    await publish({
      schemaVersion: 1,
      key,
      name: 'Welcome once',
      triggers: [{ type: 'event', event: 'explain.signup' }],
      enrollment: { mode: 'once' },
      exit: [],
      nodes: [
        { id: 'start', type: 'trigger', label: 'Start', config: {} },
        { id: 'done', type: 'end', label: 'Done', config: {} },
      ],
      edges: [{ id: 'e1', source: 'start', target: 'done' }],
    });
    const account = await newAccount('Explain Co');
    await postEvents(account.externalId, [{ name: 'explain.signup' }]);
    await runOf(account.id, key, (s) => s === 'completed');
    await postEvents(account.externalId, [{ name: 'explain.signup' }]);

    const why = await until('the refusal to be recorded', async () => {
      const body = (await api('GET', `/api/accounts/${account.id}/enrollment?playbook=${key}`)).body;
      return body.decisions?.length === 2 ? body : undefined;
    });
    expect(why.decisions.map((d: { started: boolean; eventSeq: number }) => [d.started, d.eventSeq])).toEqual([
      [true, 1],
      [false, 2],
    ]);
    expect(why.decisions[1].detail).toContain('enrolls an account only once');
    expect(why.enrolled).toBe(false);
    expect(why.runs).toHaveLength(1);
    expect(why.now.policy.why).toMatch(/^Would refuse: this playbook enrolls an account only once, and it already ran/);
    expect(why.now.triggers[0].why).toMatch(/^Enrolls when event explain\.signup arrives; the account last had it at /);
    expect(why.summary).toEqual(
      expect.arrayContaining([expect.stringMatching(/explain\.signup matched, but it was not enrolled: .*only once/)]),
    );
    await api('POST', `/api/playbooks/${key}/archive`);
  });

  it('says a playbook is not published, and answers 404 / 400 for what it cannot explain', async () => {
    const key = `${prefix}-draft`;
    const draft = await api('POST', '/api/playbooks', { definition: { schemaVersion: 1, key, name: 'Draft only' } });
    expect(draft.status).toBe(201);
    const account = await newAccount('Draft Co');

    const why = await api('GET', `/api/accounts/${account.id}/enrollment?playbook=${key}`);
    expect(why.status).toBe(200);
    expect(why.body.playbook).toMatchObject({ published: false, version: null });
    expect(why.body.summary[0]).toBe("'Draft only' is not published: it enrolls no one until a version is published.");
    expect(why.body.now.policy).toBeNull();

    const unknownPlaybook = await api('GET', `/api/accounts/${account.id}/enrollment?playbook=no-such-playbook`);
    expect(unknownPlaybook.status).toBe(404);
    expect(unknownPlaybook.body.error.message).toContain('no-such-playbook');
    const unknownAccount = await api(
      'GET',
      `/api/accounts/00000000-0000-4000-8000-000000000000/enrollment?playbook=${key}`,
    );
    expect(unknownAccount.status).toBe(404);
    const noPlaybook = await api('GET', `/api/accounts/${account.id}/enrollment`);
    expect(noPlaybook.status).toBe(400);
    expect(noPlaybook.body.error.message).toContain('playbook');
  });
});
