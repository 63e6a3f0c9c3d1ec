import { describe, expect, it } from 'vitest';
import { api, newAccount, postEvents, runOf, runUntil } from '../support/rescue-playbooks.js';

// NPS follow-up on the real stack (issue 16, items 1 and 2): the shipped playbook is enrolled by the answer, reads
// the score it was enrolled with (trigger.data.score), and for a detractor starts the shipped high-risk rescue as a
// run of its own, which does not end merely because the account's risk level is not high.

describe('NPS follow-up, shipped', () => {
  it('a detractor’s answer starts the high-risk rescue for the account', async () => {
    const account = await newAccount('NPS Detractor Co');
    await postEvents(account.externalId, [{ name: 'nps.answered', data: { score: 3 } }]);

    const followUp = await runOf(account.id, 'nps-follow-up');
    const done = await runUntil(followUp.workflowId, 'the follow-up to finish', (d) => d.status === 'completed');
    expect(done.timeline.find((e) => e.kind === 'branch')!.summary).toBe('Score?: detractor');
    const started = done.timeline.find((e) => e.kind === 'startPlaybook')!;
    expect(started.summary).toBe('Start playbook rescue-high');
    expect(started.why).toMatch(/^started \S+ \(version \d+\)$/);

    const rescue = await runOf(account.id, 'rescue-high');
    expect(started.why).toContain(rescue.workflowId);
    // The rescue's call task is given at once; its email then waits for the account's send window.
    const working = await runUntil(rescue.workflowId, 'the rescue to give its call task', (d) =>
      d.timeline.some((e) => e.kind === 'task'),
    );
    expect(working.timeline[0]!.why).toContain('started by the step "Start the rescue" of NPS follow-up');
    expect(working.timeline.map((e) => e.kind)).toEqual(['enrolled', 'task']);
    // The answer moved the score (NPS < 7), but the rescue is still on: a detractor's rescue is not about the level.
    expect(working.status).not.toBe('exited');

    const cancelled = await api('POST', `/api/runs/${encodeURIComponent(rescue.workflowId)}/cancel`);
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(202);
  });

  it('a promoter gets the referral ask, and no rescue', async () => {
    const account = await newAccount('NPS Promoter Co');
    await postEvents(account.externalId, [{ name: 'nps.answered', data: { score: 10 } }]);
    const followUp = await runOf(account.id, 'nps-follow-up');
    // Its email waits for the send window; the branch it took is already on the timeline.
    const branched = await runUntil(followUp.workflowId, 'the follow-up to branch', (d) =>
      d.timeline.some((e) => e.kind === 'branch'),
    );
    expect(branched.timeline.find((e) => e.kind === 'branch')!.summary).toBe('Score?: promoter');
    expect(branched.timeline.some((e) => e.kind === 'startPlaybook')).toBe(false);
    expect((await api('GET', `/api/runs?account=${account.id}&playbook=rescue-high`)).body.items).toEqual([]);
  });
});
