import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { checkEmailTemplate } from '../../server/email/templates/check.js';
import type { TimelineEntry } from '../../engine/interpreter/types.js';
import { compilePlaybook } from '../../engine/playbook/compile.js';
import type { CompiledPlaybook, CompileContext } from '../../engine/playbook/ir.js';
import type { PlaybookDefinition } from '../../engine/playbook/schema.js';
import { simulate, type SimulationInput } from '../../engine/simulator/simulate.js';
import { catchUpStart } from '../../engine/triggers/catch-up.js';
import { matchTriggers } from '../../engine/triggers/match.js';
import { loadSeedPlaybooks } from '../../server/playbooks/seed.js';
import { loadShippedTemplates } from '../../server/templates/shipped.js';

// The seed playbooks as a CS lead reads them: which email or task, to whom, on which day (Mondays for the weekly
// check-ins), in the account's own time zone — previewed by the simulator, the same interpreter the runs use.

const seeds = await loadSeedPlaybooks();
const shipped = await loadShippedTemplates();
const context: CompileContext = {
  templates: Object.fromEntries(shipped.map((t) => [t.key, { variables: checkEmailTemplate(t).variables }])),
};

function seed(key: string): CompiledPlaybook {
  const found = seeds.find((s) => (s.definition as PlaybookDefinition).key === key);
  if (!found) throw new Error(`no seed playbook ${key}`);
  const result = compilePlaybook(found.definition, context);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return { ...result.playbook, version: 1 };
}

const MADRID = 'Europe/Madrid';
const MEXICO = 'America/Mexico_City';

interface Step {
  day: number;
  kind: 'email' | 'task' | 'approval';
  /** The email's template, the task's assignee, the approval's node. */
  what: string;
  /** Local weekday and time in the account's zone, e.g. "Mon 09:00". */
  local: string;
  /** Local date in the account's zone. */
  date: string;
}

/** The effects of a run a CS lead checks, in order: emails (by template), tasks (by assignee), approvals asked. */
async function plan(key: string, zone: string, fields: Record<string, unknown>, script: Partial<SimulationInput> = {}) {
  const playbook = seed(key);
  const result = await simulate({
    playbook,
    account: { id: `acct-${key}`, timeZone: zone, fields },
    startAt: '2027-03-02T10:00:00Z',
    ...script,
  });
  const steps: (Step & { nodeId: string })[] = [];
  for (const entry of result.timeline) {
    const node = playbook.nodes[entry.nodeId]!;
    const local = DateTime.fromISO(entry.at, { zone }).toFormat('ccc HH:mm');
    const date = DateTime.fromISO(entry.at, { zone }).toISODate()!;
    if (entry.kind === 'email' && node.type === 'email')
      steps.push({ day: entry.day, kind: 'email', what: node.config.template, local, date, nodeId: node.id });
    if (entry.kind === 'task' && node.type === 'task')
      steps.push({ day: entry.day, kind: 'task', what: node.config.assignee, local, date, nodeId: node.id });
    if (entry.kind === 'approval' && entry.summary.startsWith('Approval requested'))
      steps.push({ day: entry.day, kind: 'approval', what: node.id, local, date, nodeId: node.id });
  }
  return { result, steps, playbook };
}
const short = (steps: Step[]) => steps.map((s) => `${s.day} ${s.kind} ${s.what}`);
const last = (timeline: TimelineEntry[]) => timeline.at(-1)!;

describe('the seed playbooks', () => {
  it('are all there, and each validates and compiles against the shipped templates', () => {
    expect(seeds.map((s) => (s.definition as PlaybookDefinition).key).sort()).toEqual([
      'advocacy',
      'expansion-moments',
      'expansion-signals',
      'loyalty-tiers',
      'nps-follow-up',
      'onboarding-30d',
      're-engagement',
      're-engagement-onboarding',
      'referral',
      'renewal-cadence',
      'rescue-high',
      'rescue-low',
      'rescue-medium',
    ]);
    for (const { file, definition } of seeds) {
      const result = compilePlaybook(definition, context);
      expect(result.ok ? [] : result.issues, file).toEqual([]);
    }
  });

  it('have every email written in Spanish and English, and every step placed on the canvas, top to bottom', () => {
    const byKey = new Map(shipped.map((t) => [t.key, t]));
    for (const { file, definition } of seeds) {
      const { nodes, edges } = definition as PlaybookDefinition;
      for (const node of nodes) {
        expect(node.position, `${file}: ${node.id}`).toBeDefined();
        if (node.type === 'email') {
          const template = byKey.get(node.config.template)!;
          expect(Object.keys(template.locales).sort(), `${file}: ${node.config.template}`).toEqual(['en', 'es']);
        }
      }
      // Every connection goes down the canvas, so the editor shows the playbook as a top-to-bottom flow; only the
      // one that closes a loop (loyalty's "every week") goes back up.
      const y = new Map(nodes.map((n) => [n.id, n.position!.y]));
      const closesLoop = (edge: (typeof edges)[number]) => {
        const seen = new Set<string>();
        const queue = [edge.target];
        while (queue.length > 0) {
          const id = queue.shift()!;
          if (id === edge.source) return true;
          if (seen.has(id)) continue;
          seen.add(id);
          queue.push(...edges.filter((e) => e.source === id && e.id !== edge.id).map((e) => e.target));
        }
        return false;
      };
      for (const edge of edges) {
        if (y.get(edge.target)! < y.get(edge.source)! && closesLoop(edge)) continue;
        expect(y.get(edge.target)!, `${file}: ${edge.id}`).toBeGreaterThan(y.get(edge.source)!);
      }
    }
  });

  it('keep the seed’s subjects verbatim in Spanish, with faithful English', () => {
    const subject = (key: string) => {
      const template = shipped.find((t) => t.key === key)!;
      return [template.locales.es!.subject, template.locales.en!.subject];
    };
    expect(subject('onboarding-day4')).toEqual([
      '¿Cómo va tu primera experiencia?',
      'How is your first experience going?',
    ]);
    expect(subject('onboarding-day5')).toEqual(['Tips para maximizar tu ROI', 'Tips to maximize your ROI']);
    expect(subject('onboarding-day6')).toEqual([
      '¿Necesitas ayuda con algo específico?',
      'Do you need help with anything specific?',
    ]);
    expect(subject('onboarding-day7')).toEqual(['Resumen de tu primera semana', 'Summary of your first week']);
    expect(subject('rescue-high')).toEqual(['¿Cómo podemos ayudarte?', 'How can we help?']);
    expect(subject('rescue-low')).toEqual(['Recursos y mejores prácticas', 'Resources and best practices']);
    expect(subject('welcome')[0]).toMatch(/^¡Bienvenido a /);
    // Referral terms from the seed, in both languages.
    const promoter = shipped.find((t) => t.key === 'nps-promoter')!;
    expect(promoter.locales.en!.body).toContain('$200 in credit');
    expect(promoter.locales.en!.body).toContain('$100 more when that customer renews');
    expect(promoter.locales.en!.body).toContain('20% off their first month');
    expect(promoter.locales.es!.body).toContain('200 $ de crédito');
  });
});

describe('onboarding, day 0–30', () => {
  const dayByDay = [
    '4 email onboarding-day4',
    '5 email onboarding-day5',
    '6 email onboarding-day6',
    '7 email onboarding-day7',
    '12 email onboarding-week2',
    '19 email onboarding-week3',
    '26 email onboarding-week4',
  ];

  it('high-touch: welcome at once, CSM and follow-up on day 0, setup session on day 1, check-ins days 4–7, Mondays', async () => {
    const { steps, result } = await plan('onboarding-30d', MADRID, { segment: 'high-touch' });
    expect(short(steps)).toEqual([
      '0 email welcome',
      '0 task csmManager',
      '0 task ownerCsm',
      '1 task ownerCsm',
      ...dayByDay,
    ]);
    // The welcome goes out within minutes of the purchase, send window or not.
    expect(result.timeline[1]).toMatchObject({ at: '2027-03-02T10:00:00Z', why: 'sent immediately (no send window)' });
    const setup = steps.find((s) => s.nodeId === 'setupSession')!;
    expect(setup.day).toBeGreaterThanOrEqual(1);
    expect(seed('onboarding-30d').nodes.setupSession).toMatchObject({
      config: { kind: 'meeting', title: 'Setup session (60 min)' },
    });
    // Weeks 2–4: Monday 09:00 in Madrid, across the change to summer time on 28 March.
    expect(steps.filter((s) => s.what.startsWith('onboarding-week')).map((s) => s.local)).toEqual([
      'Mon 09:00',
      'Mon 09:00',
      'Mon 09:00',
    ]);
    expect(last(result.timeline)).toMatchObject({ nodeId: 'done', day: 26 });
  });

  it('tech-touch: the automated path only — the same emails on the same days, and no task for anyone', async () => {
    // Bought at 04:00 in Mexico City: the welcome goes at once, the day-4 check-in waits for 09:00 local, and the
    // Monday check-ins are at 09:00 in Mexico City (15:00 UTC), which is day 13 here rather than 12 as in Madrid.
    const { steps } = await plan('onboarding-30d', MEXICO, { segment: 'tech-touch' });
    expect(short(steps)).toEqual([
      '0 email welcome',
      '4 email onboarding-day4',
      '5 email onboarding-day5',
      '6 email onboarding-day6',
      '7 email onboarding-day7',
      '13 email onboarding-week2',
      '20 email onboarding-week3',
      '27 email onboarding-week4',
    ]);
    expect(steps.map((s) => s.local)).toEqual([
      'Tue 04:00',
      'Sat 09:00',
      'Sun 09:00',
      'Mon 09:00',
      'Tue 09:00',
      'Mon 09:00',
      'Mon 09:00',
      'Mon 09:00',
    ]);
  });

  it('a reply to “need help?” on day 6 gives the CSM a call task; the day-7 summary still goes on day 7', async () => {
    const { steps } = await plan(
      'onboarding-30d',
      MADRID,
      { segment: 'mid-touch' },
      { events: [{ event: 'email.replied', afterHours: 6 * 24 + 3 }] },
    );
    const after = short(steps).slice(short(steps).indexOf('6 email onboarding-day6'));
    expect(after.slice(0, 3)).toEqual(['6 email onboarding-day6', '6 task ownerCsm', '7 email onboarding-day7']);
    expect(steps.find((s) => s.nodeId === 'helpCall')).toBeDefined();
  });

  it('ends on the first value event and records the time to first value', async () => {
    const { steps, result } = await plan(
      'onboarding-30d',
      MADRID,
      { segment: 'high-touch' },
      { events: [{ event: 'value.first', afterHours: 9 * 24 + 5 }] },
    );
    expect(result.exited?.label).toBe('First value reached');
    const goal = result.timeline.find((e) => e.kind === 'goal')!;
    expect(goal).toMatchObject({
      summary: 'Goal reached: Time to first value',
      why: '9 days 5 hours after enrollment',
    });
    expect(steps.filter((s) => s.day > 9)).toEqual([]);
  });
});

describe('rescues', () => {
  it('high risk: a call task and “How can we help?” at once, the follow-up after 48 h, the discount behind approval', async () => {
    const { steps, result } = await plan(
      'rescue-high',
      MADRID,
      { segment: 'tech-touch' },
      { approvals: [{ nodeId: 'incentive', decision: 'approved', afterHours: 3 }] },
    );
    expect(short(steps)).toEqual([
      '0 task ownerCsm',
      '0 email rescue-high',
      '2 task ownerCsm',
      '2 approval incentive',
      '2 email rescue-high-offer',
    ]);
    const [call, , followUp] = steps;
    expect(call!.nodeId).toBe('urgentCall');
    expect(followUp!.nodeId).toBe('followUpCall');
    expect(result.timeline.find((e) => e.nodeId === 'urgentCall')!.why).toBe('due 2027-03-02T14:00:00Z');
  });

  it('high risk: no offer goes out unless a CSM approves it', async () => {
    const { steps } = await plan('rescue-high', MADRID, { segment: 'high-touch' });
    expect(steps.map((s) => s.what)).not.toContain('rescue-high-offer');
  });

  it('high risk: ends as soon as the risk level falls back below high', async () => {
    const { steps, result } = await plan(
      'rescue-high',
      MADRID,
      { segment: 'high-touch', riskLevel: 'high' },
      { changes: [{ afterHours: 30, fields: { riskLevel: 'medium' } }] },
    );
    expect(result.exited?.label).toBe('Risk back below high');
    expect(short(steps)).toEqual(['0 task ownerCsm', '0 email rescue-high']);
  });

  it('medium risk: email and a LinkedIn task within 24 h for a dedicated CSM; email only for tech-touch', async () => {
    const high = await plan('rescue-medium', MADRID, { segment: 'high-touch' });
    expect(short(high.steps)).toEqual(['0 email rescue-medium', '0 task ownerCsm', '3 approval incentive']);
    expect(high.result.timeline.find((e) => e.nodeId === 'linkedIn')!.why).toBe('due 2027-03-03T10:00:00Z');
    const tech = await plan(
      'rescue-medium',
      MEXICO,
      { segment: 'tech-touch' },
      {
        approvals: [{ nodeId: 'incentive', decision: 'approved' }],
      },
    );
    expect(short(tech.steps)).toEqual(['0 email rescue-medium', '3 approval incentive', '3 email rescue-medium-offer']);
  });

  it('medium risk: a rise to high does not end it (the high rescue supersedes it); a fall to low does', async () => {
    const rising = await plan(
      'rescue-medium',
      MADRID,
      { segment: 'high-touch', riskLevel: 'medium' },
      {
        changes: [{ afterHours: 12, fields: { riskLevel: 'high' } }],
      },
    );
    expect(rising.result.exited).toBeUndefined();
    const falling = await plan(
      'rescue-medium',
      MADRID,
      { segment: 'high-touch', riskLevel: 'medium' },
      {
        changes: [{ afterHours: 12, fields: { riskLevel: 'low' } }],
      },
    );
    expect(falling.result.exited?.label).toBe('Risk back below medium');
  });

  it('low risk: resources by email within 48 h, in the send window, success stories a week later', async () => {
    // Enrolled on a Tuesday at 11:00 in Madrid: the email goes on Wednesday during office hours.
    const { steps, result } = await plan('rescue-low', MADRID, { segment: 'high-touch' });
    expect(short(steps)).toEqual(['1 email rescue-low', '8 email rescue-low-stories']);
    expect(steps[0]!.local).toBe('Wed 11:00');
    expect(last(result.timeline).nodeId).toBe('done');
    const cleared = await plan(
      'rescue-low',
      MADRID,
      { riskLevel: 'low' },
      {
        changes: [{ afterHours: 100, fields: { riskLevel: 'none' } }],
      },
    );
    expect(cleared.result.exited?.label).toBe('No longer at risk');
    expect(short(cleared.steps)).toEqual(['1 email rescue-low']);
  });
});

describe('renewal cadence', () => {
  // Enrolled by the daily sweep 120 days before a renewal on 30 June 2027.
  const renewal = { renewalDate: '2027-06-30' };
  /** Each step as "days before the renewal date" on the account's local calendar. */
  const toRenewal = (steps: Step[], renewalDate: string) =>
    steps.map((s) => {
      const days = DateTime.fromISO(s.date).diff(DateTime.fromISO(renewalDate), 'days').days;
      return `${days} ${s.kind} ${s.what}`;
    });

  it('high-touch: review at −120, QBR invite at −90, proposal with discount approval at −60, reminders, escalation', async () => {
    const { steps, result } = await plan(
      'renewal-cadence',
      MADRID,
      { segment: 'high-touch', ...renewal },
      { approvals: [{ nodeId: 'discount', decision: 'approved', afterHours: 4 }] },
    );
    expect(toRenewal(steps, renewal.renewalDate)).toEqual([
      '-120 task ownerCsm',
      '-90 email renewal-qbr',
      '-60 approval discount',
      '-58 email renewal-proposal-discount',
      '-30 email renewal-reminder-30',
      '-7 email renewal-reminder-7',
      '0 task csmManager',
    ]);
    const at = (nodeId: string) => result.timeline.find((e) => e.nodeId === nodeId && e.kind !== 'wait')!.at;
    expect(at('qbrInvite')).toBe('2027-04-01T07:00:00Z'); // 1 April (−90), 09:00 in Madrid
    expect(at('reminder30')).toBe('2027-05-31T07:00:00Z'); // −30
    expect(at('reminder7')).toBe('2027-06-23T07:00:00Z'); // −7
    expect(at('escalate')).toBe('2027-06-30T16:00:00Z'); // the renewal day, 18:00 in Madrid: not renewed
    // 1 May (−60) is a Saturday: the proposal waits for Monday's send window.
    expect(steps.find((s) => s.nodeId === 'proposalDiscount')!.local).toBe('Mon 09:00');
  });

  it('tech-touch: the emails only, a standard proposal, and the escalation if it has not renewed', async () => {
    const { steps } = await plan('renewal-cadence', MEXICO, { segment: 'tech-touch', ...renewal });
    expect(toRenewal(steps, renewal.renewalDate)).toEqual([
      '-90 email renewal-qbr',
      '-58 email renewal-proposal', // −60 is a Saturday: Monday's send window
      '-30 email renewal-reminder-30',
      '-7 email renewal-reminder-7',
      '0 task csmManager',
    ]);
    expect(steps.map((s) => s.local)).toEqual(['Thu 09:00', 'Mon 09:00', 'Mon 09:00', 'Wed 09:00', 'Wed 18:00']);
  });

  it('re-plans every wait when the renewal date moves, and ends when the account renews', async () => {
    const moved = await plan(
      'renewal-cadence',
      MADRID,
      { segment: 'tech-touch', ...renewal },
      {
        changes: [{ afterHours: 24 * 10, fields: { renewalDate: '2027-09-30' } }],
      },
    );
    expect(toRenewal(moved.steps, '2027-09-30')).toEqual([
      '-90 email renewal-qbr',
      '-59 email renewal-proposal', // −60 is a Sunday
      '-30 email renewal-reminder-30',
      '-7 email renewal-reminder-7',
      '0 task csmManager',
    ]);
    expect(moved.result.timeline.some((e) => e.summary.startsWith('Until 90 days before renewal: re-planned'))).toBe(
      true,
    );
    const renewed = await plan(
      'renewal-cadence',
      MADRID,
      { segment: 'high-touch', ...renewal },
      {
        events: [{ event: 'renewal.renewed', at: '2027-05-10T12:00:00Z' }],
      },
    );
    expect(renewed.result.exited?.label).toBe('Renewed');
    expect(renewed.result.timeline.some((e) => e.summary === 'Goal reached: Renewal')).toBe(true);
    expect(renewed.steps.map((s) => s.what)).not.toContain('renewal-reminder-30');
    expect(renewed.steps.map((s) => s.what)).not.toContain('csmManager');
  });
});

describe('NPS follow-up: one playbook that branches on the score it was enrolled with', () => {
  const answered = (score: number) => ({ type: 'event' as const, event: 'nps.answered', data: { score } });
  const npsPlan = (zone: string, segment: string, score: number) =>
    plan('nps-follow-up', zone, { segment }, { trigger: answered(score) });
  const branchOf = async (score: number) =>
    (await npsPlan(MADRID, 'tech-touch', score)).result.timeline.find((e) => e.nodeId === 'score')!.summary;

  it('every answer with a score enrolls the account once; an answer without one does not', () => {
    const nps = published('nps-follow-up');
    for (const score of [10, 7, 0])
      expect(matchTriggers([nps], { kind: 'event', name: 'nps.answered', data: { score } }, {})).toHaveLength(1);
    expect(matchTriggers([nps], { kind: 'event', name: 'nps.answered', data: {} }, {})).toEqual([]);
  });

  it('reads trigger.data.score: 9–10 promoters, 7–8 passives, 0–6 detractors', async () => {
    expect(await Promise.all([10, 9, 8, 7, 6, 0].map(branchOf))).toEqual([
      'Score?: promoter',
      'Score?: promoter',
      'Score?: passive',
      'Score?: passive',
      'Score?: detractor',
      'Score?: detractor',
    ]);
  });

  it('promoters: thanks and the referral ask; the dedicated CSM also asks for a testimonial', async () => {
    expect(short((await npsPlan(MADRID, 'high-touch', 10)).steps)).toEqual(['0 email nps-promoter', '0 task ownerCsm']);
    expect(short((await npsPlan(MADRID, 'tech-touch', 9)).steps)).toEqual(['0 email nps-promoter']);
  });

  it('passives: value content; the dedicated CSM asks what would make it a 10', async () => {
    expect(short((await npsPlan(MADRID, 'mid-touch', 8)).steps)).toEqual(['0 email nps-passive', '0 task ownerCsm']);
    expect(short((await npsPlan(MEXICO, 'tech-touch', 7)).steps)).toEqual(['0 email nps-passive']);
  });

  it('detractors start the high-risk rescue whatever the segment; the preview says so', async () => {
    for (const segment of ['high-touch', 'tech-touch']) {
      const { steps, result } = await npsPlan(MADRID, segment, 3);
      expect(short(steps)).toEqual([]);
      expect(result.timeline.find((e) => e.nodeId === 'startRescue')).toMatchObject({
        day: 0,
        summary: 'Start playbook rescue-high',
        why: 'would start playbook rescue-high, if its enrollment policy lets the account in',
      });
    }
  });

  it('detractors get the rescue steps from this run when the rescue playbook cannot be started', async () => {
    const { steps, result } = await plan(
      'nps-follow-up',
      MADRID,
      { segment: 'tech-touch' },
      {
        trigger: answered(2),
        failures: [{ nodeId: 'startRescue', status: 'failed', detail: "Playbook 'rescue-high' is archived" }],
      },
    );
    expect(short(steps)).toEqual(['0 task ownerCsm', '0 email nps-detractor', '2 task ownerCsm']);
    expect(result.timeline.find((e) => e.nodeId === 'followUp')!.at).toBe('2027-03-04T10:00:00Z');
  });

  it('the rescue a detractor started does not end because the risk level is not high', async () => {
    const rescue = await plan(
      'rescue-high',
      MADRID,
      { segment: 'tech-touch', riskLevel: 'low' },
      {
        trigger: { type: 'playbook', playbook: 'nps-follow-up', workflowId: 'nps-follow-up:acct:1' },
        changes: [{ afterHours: 1, fields: { riskLevel: 'medium' } }],
      },
    );
    expect(rescue.result.exited).toBeUndefined();
    expect(short(rescue.steps)).toEqual([
      '0 task ownerCsm',
      '0 email rescue-high',
      '2 task ownerCsm',
      '2 approval incentive',
    ]);
    // Started by the risk level itself, it still ends when the level falls.
    const byRisk = await plan(
      'rescue-high',
      MADRID,
      { segment: 'tech-touch', riskLevel: 'high' },
      {
        trigger: { type: 'riskLevelEntered', from: 'medium', to: 'high' },
        changes: [{ afterHours: 1, fields: { riskLevel: 'medium' } }],
      },
    );
    expect(byRisk.result.exited?.label).toBe('Risk back below high');
  });
});

// ---- Issue 16, item 8: expansion, advocacy, referral, loyalty tiers, re-engagement. -----------------------------

/** The published form of a seed, as trigger matching sees it. */
const published = (key: string) => {
  const playbook = seed(key);
  return { key, version: 1, name: playbook.name, triggers: playbook.triggers, enrollment: playbook.enrollment };
};
/** Which of these seeds an event enrolls the account in. */
const enrolls = (keys: string[], name: string, data: Record<string, unknown>, fields: Record<string, unknown> = {}) =>
  matchTriggers(keys.map(published), { kind: 'event', name, data }, fields).map((m) => m.playbookKey);
/** Each step as "days since <anchor>" on the account's local calendar. */
const since = (steps: Step[], anchor: string) =>
  steps.map((s) => `${DateTime.fromISO(s.date).diff(DateTime.fromISO(anchor), 'days').days} ${s.kind} ${s.what}`);
/** The local date of a step planned at anchor + days: the Monday after when that falls on a weekend (send window). */
const onWeekday = (anchor: string, days: number) => {
  const date = DateTime.fromISO(anchor).plus({ days });
  return date.plus({ days: date.weekday === 6 ? 2 : date.weekday === 7 ? 1 : 0 }).toISODate()!;
};

describe('expansion (seed)', () => {
  const ready = { activeUsersPct: 85, featuresUsedPct: 40, volumePct: 50, nps: 9 };

  it('usage signals with an NPS above 8 enroll in the upsell offer; a low NPS or no signal does not', () => {
    expect(enrolls(['expansion-signals'], 'usage.summary', ready)).toEqual(['expansion-signals']);
    expect(
      enrolls(['expansion-signals'], 'usage.summary', { ...ready, activeUsersPct: 60, featuresUsedPct: 75 }),
    ).toEqual(['expansion-signals']);
    expect(enrolls(['expansion-signals'], 'usage.summary', { activeUsersPct: 60, volumePct: 95, nps: 9 })).toEqual([
      'expansion-signals',
    ]);
    expect(enrolls(['expansion-signals'], 'usage.summary', { ...ready, nps: 8 })).toEqual([]);
    expect(
      enrolls(['expansion-signals'], 'usage.summary', { activeUsersPct: 80, featuresUsedPct: 70, nps: 10 }),
    ).toEqual([]);
  });

  it('the upsell offer waits for the CSM: approved, it goes out the same day with a follow-up call; else nothing', async () => {
    const approved = await plan(
      'expansion-signals',
      MADRID,
      { segment: 'mid-touch' },
      { approvals: [{ nodeId: 'offer', decision: 'approved', afterHours: 3, values: { discount: 15 } }] },
    );
    expect(short(approved.steps)).toEqual(['0 approval offer', '0 email expansion-offer', '0 task ownerCsm']);
    const undecided = await plan('expansion-signals', MEXICO, { segment: 'tech-touch' });
    expect(short(undecided.steps)).toEqual(['0 approval offer']);
    expect(last(undecided.result.timeline).summary).toBe('No offer');
  });

  it('upsell moments at months 3, 6, 9 and 12 from the start date; the enterprise meeting for a dedicated CSM', async () => {
    const startDate = '2026-12-02'; // enrolled by the daily sweep 90 days later, on 2 March 2027
    const high = await plan('expansion-moments', MADRID, { segment: 'high-touch', startDate });
    expect(since(high.steps, startDate)).toEqual([
      '90 email expansion-month3',
      '182 email expansion-month6',
      '273 email expansion-month9',
      '365 task ownerCsm',
      '365 email expansion-month12',
    ]);
    expect(high.steps.map((s) => s.local)).toEqual(['Tue 11:00', 'Wed 09:00', 'Wed 09:00', 'Thu 09:00', 'Thu 09:00']);
    const tech = await plan('expansion-moments', MEXICO, { segment: 'tech-touch', startDate });
    expect(tech.steps.map((s) => s.what)).toEqual([
      'expansion-month3',
      'expansion-month6',
      'expansion-month9',
      'expansion-month12',
    ]);
  });
});

describe('advocacy (seed)', () => {
  const advocate = { tenureMonths: 14, nps: 10, featuresUsedPct: 85, renewals: 2 };

  it('invites only accounts with tenure > 12 months, NPS > 9, > 80 % of features and 2+ renewals', () => {
    expect(enrolls(['advocacy'], 'usage.summary', advocate)).toEqual(['advocacy']);
    for (const miss of [{ tenureMonths: 12 }, { nps: 9 }, { featuresUsedPct: 80 }, { renewals: 1 }]) {
      expect(enrolls(['advocacy'], 'usage.summary', { ...advocate, ...miss }), JSON.stringify(miss)).toEqual([]);
    }
  });

  it('the invitation at once (and a call for a dedicated CSM), a reminder on day 7; joining ends it with the goal', async () => {
    expect(short((await plan('advocacy', MADRID, { segment: 'high-touch' })).steps)).toEqual([
      '0 email advocacy-invite',
      '0 task ownerCsm',
      '7 email advocacy-reminder',
    ]);
    expect(short((await plan('advocacy', MEXICO, { segment: 'tech-touch' })).steps)).toEqual([
      '0 email advocacy-invite',
      '7 email advocacy-reminder',
    ]);
    const joined = await plan(
      'advocacy',
      MADRID,
      { segment: 'tech-touch' },
      { events: [{ event: 'advocacy.joined', at: '2027-03-04T12:00:00Z' }] },
    );
    expect(short(joined.steps)).toEqual(['0 email advocacy-invite']);
    expect(joined.result.exited?.label).toBe('Joined the programme');
    expect(joined.result.timeline.some((e) => e.summary === 'Goal reached: Advocate')).toBe(true);
  });
});

describe('referral (seed)', () => {
  it('a converted referral: the $200 credit email at once; +$100 when the referred customer renews', async () => {
    expect(enrolls(['referral'], 'referral.converted', { referredName: 'Sur Foods' })).toEqual(['referral']);
    const renewed = await plan(
      'referral',
      MADRID,
      { segment: 'tech-touch' },
      { events: [{ event: 'referral.renewed', at: '2027-09-20T08:00:00Z' }] },
    );
    expect(short(renewed.steps)).toEqual(['0 email referral-credit', '201 email referral-renewal-credit']);
    const notYet = await plan('referral', MADRID, { segment: 'tech-touch' });
    expect(short(notYet.steps)).toEqual(['0 email referral-credit']);
    // No renewal within 400 days (local calendar days from the enrollment on 2 March 2027): the run ends.
    expect(DateTime.fromISO(last(notYet.result.timeline).at, { zone: MADRID }).toISODate()).toBe('2028-04-05');
  });

  it('states the terms in both languages: $200, +$100 on renewal, 20 % off the first month', () => {
    const credit = shipped.find((t) => t.key === 'referral-credit')!;
    expect(credit.locales.en!.body).toContain('$200 in credit');
    expect(credit.locales.en!.body).toContain('$100 more when that customer renews');
    expect(credit.locales.en!.body).toContain('20% off their first month');
    expect(credit.locales.es!.body).toContain('200 $ de crédito');
    expect(credit.locales.es!.body).toContain('20 % de descuento en su primer mes');
  });
});

describe('loyalty tiers (seed)', () => {
  const startDate = '2027-03-02';

  it('Bronze monthly for 6 months, Silver monthly to 12, Gold every two weeks to 24, Platinum weekly for as long as the account stays', async () => {
    const { steps, result } = await plan('loyalty-tiers', MADRID, { segment: 'tech-touch', startDate });
    const tier = (name: string) => steps.filter((s) => s.what === `loyalty-${name}`);
    const planned = (offsets: number[]) => offsets.map((days) => onWeekday(startDate, days));
    expect(tier('bronze').map((s) => s.date)).toEqual(planned([0, 30, 60, 90, 120, 150]));
    expect(tier('silver').map((s) => s.date)).toEqual(planned([180, 210, 240, 270, 300, 330]));
    expect(tier('gold').map((s) => s.date)).toEqual(planned(Array.from({ length: 26 }, (_, k) => 365 + 14 * k)));
    // Past the second year, every week, each on the start date's weekday, to the preview's five-year horizon.
    const platinum = tier('platinum').map((s) => s.date);
    expect(platinum).toEqual(planned(Array.from({ length: platinum.length }, (_, k) => 730 + 7 * k)));
    expect(platinum.length).toBe(157);
    // In order: a tier change moves the account to the next tier's cadence, never back.
    expect([...new Set(steps.map((s) => s.what))]).toEqual([
      'loyalty-bronze',
      'loyalty-silver',
      'loyalty-gold',
      'loyalty-platinum',
    ]);
    // The Gold-to-Platinum change is the tenure condition's: 715 days in, Platinum is next.
    const decided = result.timeline.filter((e) => e.nodeId === 'goldNext');
    expect(decided).toHaveLength(26);
    expect(decided.at(-1)!.summary).toBe('Platinum next? (709+ days in): platinum');
    // The preview stops looking after five years and says the run goes on; it does not claim the run ends.
    expect(result.timeline.at(-1)).toMatchObject({
      kind: 'horizon',
      nodeId: 'platinum',
      summary: expect.stringContaining('Preview ends here; the run goes on'),
    });
    expect(result.timeline.at(-1)!.day).toBeGreaterThanOrEqual(1_827);
    expect(result.timeline.at(-2)!.day).toBeLessThanOrEqual(1_827);
  });

  it('asked to look a century ahead, the preview shows where every run stops: the engine’s bound on steps', async () => {
    const { steps, result } = await plan(
      'loyalty-tiers',
      MADRID,
      { segment: 'tech-touch', startDate },
      { horizonDays: 36_500 },
    );
    expect(result.timeline.at(-1)).toMatchObject({ kind: 'end', summary: 'Run stopped' });
    expect(steps.filter((s) => s.what === 'loyalty-platinum').length).toBeGreaterThan(40 * 52);
  });

  it('an account imported at 14 months gets its Gold check-in at once, then every two weeks', async () => {
    const playbook = seed('loyalty-tiers');
    const fields = { segment: 'tech-touch', startDate: '2026-01-05' };
    const start = catchUpStart(playbook, fields, '2027-03-02');
    if (!start.ok) throw new Error(start.why);
    expect(start.reason).toBe(
      'start 421 days ago: the 12 steps from 0 to +330 d are skipped; runs the +365 d step now',
    );
    const result = await simulate({
      playbook: start.playbook,
      account: { id: 'late-loyalty', timeZone: MADRID, fields },
      startAt: '2027-03-02T10:00:00Z',
    });
    const emails = result.timeline.filter((e) => e.kind === 'email').slice(0, 3);
    expect(emails.map((e) => e.nodeId)).toEqual(['gold', 'gold', 'gold']);
    expect(emails.map((e) => DateTime.fromISO(e.at, { zone: MADRID }).toISODate())).toEqual([
      '2027-03-02',
      '2027-03-16',
      '2027-03-30',
    ]);
  });

  it('an account 30 months in is Platinum at once; one 10 days in starts with its first newsletter', () => {
    const playbook = seed('loyalty-tiers');
    const platinum = catchUpStart(playbook, { startDate: '2024-09-01' }, '2027-03-02');
    expect(platinum.ok && platinum.reason).toBe(
      'start 912 days ago: the 13 steps from 0 to +365 d are skipped; runs the +730 d step now',
    );
    const fresh = catchUpStart(playbook, { startDate: '2027-02-20' }, '2027-03-02');
    expect(fresh.ok && fresh.reason).toBe('start 10 days ago: starts at 0 d');
  });
});

describe('re-engagement (seeds)', () => {
  it('enrolls on 3+ days without opening the product, or falling frequency', () => {
    expect(enrolls(['re-engagement'], 'product.inactive', { days: 3 })).toEqual(['re-engagement']);
    expect(enrolls(['re-engagement'], 'product.inactive', { days: 2 })).toEqual([]);
    expect(enrolls(['re-engagement'], 'usage.frequencyDropped', { sessionsPerWeek: 1 })).toEqual(['re-engagement']);
  });

  it('“we miss you” at once, quick wins on day 3, then a call (dedicated CSM) or a last email on day 7', async () => {
    expect(short((await plan('re-engagement', MADRID, { segment: 'high-touch' })).steps)).toEqual([
      '0 email reengage-inactive',
      '3 email reengage-tips',
      '7 task ownerCsm',
    ]);
    expect(short((await plan('re-engagement', MEXICO, { segment: 'tech-touch' })).steps)).toEqual([
      '0 email reengage-inactive',
      '3 email reengage-tips',
      '7 email reengage-last',
    ]);
    const back = await plan(
      're-engagement',
      MADRID,
      { segment: 'tech-touch' },
      { events: [{ event: 'product.session', at: '2027-03-04T09:00:00Z' }] },
    );
    expect(short(back.steps)).toEqual(['0 email reengage-inactive']);
    expect(back.result.exited?.label).toBe('Back in the product');
  });

  it('onboarding not completed 14 days after the start: finish-your-setup, tips, last nudge; nothing if completed', async () => {
    const startDate = '2027-02-16'; // the daily sweep enrolls it on 2 March
    const stalled = await plan('re-engagement-onboarding', MEXICO, {
      segment: 'tech-touch',
      startDate,
      lifecycleStage: 'onboarding',
    });
    expect(since(stalled.steps, startDate)).toEqual([
      '14 email reengage-onboarding',
      '17 email reengage-tips',
      '21 email reengage-last',
    ]);
    const done = await plan('re-engagement-onboarding', MEXICO, {
      segment: 'tech-touch',
      startDate,
      lifecycleStage: 'active',
    });
    expect(done.steps).toEqual([]);
    expect(last(done.result.timeline).summary).toBe('Onboarding completed: nothing to do');
  });
});
