import { describe, expect, it } from 'vitest';
import { compilePlaybook } from '../../engine/playbook/compile.js';
import type { CompiledPlaybook } from '../../engine/playbook/ir.js';
import { splitBucket } from '../../engine/interpreter/split-bucket.js';
import { simulate } from '../../engine/simulator/simulate.js';
import { miniOnboarding } from '../support/sample-playbooks.js';

function compiled(): CompiledPlaybook {
  const result = compilePlaybook(miniOnboarding);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.playbook;
}

// Thursday 26 Nov 2026, 19:00 in Madrid (18:00Z): after hours, so the day-4 email must wait for the window.
const enrolled = '2026-11-26T18:00:00Z';
const account = (segment: string) => ({
  id: 'acct-1',
  timeZone: 'Europe/Madrid',
  fields: { segment, renewalDate: '2027-11-26' },
});
const brief = (timeline: { day: number; nodeId: string; kind: string }[]) =>
  timeline.map((e) => `${e.day}:${e.nodeId}:${e.kind}`);

describe('simulate', () => {
  it('sends the welcome at once and moves the day-4 email into the send window, saying why', async () => {
    const { timeline } = await simulate({ playbook: compiled(), account: account('tech-touch'), startAt: enrolled });
    expect(brief(timeline)).toEqual([
      '0:start:enrolled',
      '0:welcome:email',
      '0:wait4:wait',
      '4:day4:email',
      '4:segment:branch',
      '4:done:end',
    ]);
    const welcome = timeline.find((e) => e.nodeId === 'welcome')!;
    expect(welcome).toMatchObject({ at: enrolled, why: 'sent immediately (no send window)' });
    const day4 = timeline.find((e) => e.nodeId === 'day4')!;
    // Monday 30 Nov 19:00 is after hours: Tuesday 1 Dec 09:00 Madrid = 08:00Z.
    expect(day4.at).toBe('2026-12-01T08:00:00Z');
    expect(day4.why).toContain('outside the send window');
    expect(timeline.find((e) => e.nodeId === 'segment')!.summary).toBe('High touch?: else');
  });

  it('takes the human path for a high-touch account and records the first value event as the goal', async () => {
    const { timeline } = await simulate({
      playbook: compiled(),
      account: account('high-touch'),
      startAt: enrolled,
      events: [{ event: 'first_value', afterHours: 6 * 24 }],
    });
    expect(brief(timeline)).toEqual([
      '0:start:enrolled',
      '0:welcome:email',
      '0:wait4:wait',
      '4:day4:email',
      '4:segment:branch',
      '4:call:task',
      '6:value:event',
      '6:ttfv:goal',
      '6:done:end',
    ]);
    const task = timeline.find((e) => e.nodeId === 'call')!;
    // Two business days from Tuesday 1 Dec 09:00: Thursday 3 Dec 09:00.
    expect(task.why).toBe('due 2026-12-03T08:00:00Z');
  });

  it('escalates to an approval when no value event comes, and follows the CSM decision', async () => {
    const approved = await simulate({
      playbook: compiled(),
      account: account('mid-touch'),
      startAt: enrolled,
      approvals: [{ nodeId: 'offer', decision: 'approved', afterHours: 3 }],
    });
    expect(brief(approved.timeline).slice(6)).toEqual([
      '11:value:event',
      '11:offer:approval',
      '11:offer:approval',
      '11:offerMail:email',
      '11:done:end',
    ]);
    expect(
      approved.timeline.find((e) => e.kind === 'approval' && e.summary.startsWith('Approval approved')),
    ).toBeDefined();

    const ignored = await simulate({ playbook: compiled(), account: account('mid-touch'), startAt: enrolled });
    expect(ignored.timeline.at(-2)!.summary).toBe('Approval timed out: Free training session');
    expect(ignored.endNodeId).toBe('done');
  });

  it('ignores an event that came before the run was waiting for it', async () => {
    const { timeline } = await simulate({
      playbook: compiled(),
      account: account('high-touch'),
      startAt: enrolled,
      events: [{ event: 'first_value', afterHours: 1 }],
    });
    expect(timeline.some((e) => e.kind === 'goal')).toBe(false);
  });

  it('gives the same timeline every time', async () => {
    const input = {
      playbook: compiled(),
      account: account('high-touch'),
      startAt: enrolled,
      events: [{ event: 'first_value', afterHours: 200 }],
    };
    expect(await simulate(input)).toEqual(await simulate(input));
  });
});

describe('splitBucket', () => {
  it('is stable per account and step and spreads accounts over 0–99', () => {
    expect(splitBucket('acct-1', 'pb', 'split')).toBe(splitBucket('acct-1', 'pb', 'split'));
    const buckets = new Set(Array.from({ length: 500 }, (_, i) => splitBucket(`acct-${i}`, 'pb', 'split')));
    expect(Math.min(...buckets)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...buckets)).toBeLessThan(100);
    expect(buckets.size).toBeGreaterThan(80);
  });
});

describe('a delivery that fails for good', () => {
  // The welcome bounces. Connected, its `failed` outcome routes to a CSM task; unconnected, the run goes on.
  const withFailureRoute = {
    ...miniOnboarding,
    nodes: [
      ...miniOnboarding.nodes,
      {
        id: 'bounced',
        type: 'task' as const,
        label: 'Fix the address',
        config: {
          assignee: 'ownerCsm' as const,
          kind: 'other' as const,
          title: 'The welcome email bounced: get a working address',
          dueIn: { amount: 1, unit: 'days' as const },
        },
      },
    ],
    edges: [
      ...miniOnboarding.edges,
      { id: 'f1', source: 'welcome', sourceHandle: 'failed', target: 'bounced' },
      { id: 'f2', source: 'bounced', target: 'done' },
    ],
  };
  const bounce = [
    { nodeId: 'welcome', status: 'failed' as const, detail: 'ana@acme.example: 550 mailbox unavailable' },
  ];

  it('takes the failed route when the playbook draws one, and says why', async () => {
    const result = compilePlaybook(withFailureRoute);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const { timeline } = await simulate({
      playbook: result.playbook,
      account: account('tech-touch'),
      startAt: enrolled,
      failures: bounce,
    });
    expect(brief(timeline)).toEqual(['0:start:enrolled', '0:welcome:email', '0:bounced:task', '0:done:end']);
    expect(timeline[1]).toMatchObject({
      summary: 'Email "Welcome" (welcome) to primaryContact: failed',
      why: 'ana@acme.example: 550 mailbox unavailable',
    });
  });

  it('goes on by the usual path when the failed outcome is not connected', async () => {
    const { timeline } = await simulate({
      playbook: compiled(),
      account: account('tech-touch'),
      startAt: enrolled,
      failures: bounce,
    });
    expect(brief(timeline).slice(0, 3)).toEqual(['0:start:enrolled', '0:welcome:email', '0:wait4:wait']);
    expect(timeline[1]!.summary).toContain(': failed');
  });

  it('refuses a failed outcome on a step that has none', () => {
    const result = compilePlaybook({
      ...withFailureRoute,
      edges: [...withFailureRoute.edges, { id: 'f3', source: 'start', sourceHandle: 'failed', target: 'done' }],
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => `${i.nodeId}:${i.code}`)).toContain('start:unknown_handle');
  });
});
