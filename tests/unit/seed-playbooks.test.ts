import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { checkEmailTemplate } from '../../server/email/templates/check.js';
import type { TimelineEntry } from '../../engine/interpreter/types.js';
import { compilePlaybook } from '../../engine/playbook/compile.js';
import type { CompiledPlaybook, CompileContext } from '../../engine/playbook/ir.js';
import type { PlaybookDefinition } from '../../engine/playbook/schema.js';
import { simulate, type SimulationInput } from '../../engine/simulator/simulate.js';
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
      'nps-detractors',
      'nps-passives',
      'nps-promoters',
      'onboarding-30d',
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
      // Every connection goes down the canvas, so the editor shows the playbook as a top-to-bottom flow.
      const y = new Map(nodes.map((n) => [n.id, n.position!.y]));
      for (const edge of edges) expect(y.get(edge.target)!, `${file}: ${edge.id}`).toBeGreaterThan(y.get(edge.source)!);
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

describe('NPS follow-up', () => {
  const nps = ['nps-promoters', 'nps-passives', 'nps-detractors'].map((key) => {
    const playbook = seed(key);
    return { key, version: 1, name: playbook.name, triggers: playbook.triggers, enrollment: playbook.enrollment };
  });
  const enrolledBy = (score: number) =>
    matchTriggers(nps, { kind: 'event', name: 'nps.answered', data: { score } }, {}).map((m) => m.playbookKey);

  it('sends each answer to exactly one follow-up: 9–10 promoters, 7–8 passives, 0–6 detractors', () => {
    expect([10, 9, 8, 7, 6, 0].map(enrolledBy)).toEqual([
      ['nps-promoters'],
      ['nps-promoters'],
      ['nps-passives'],
      ['nps-passives'],
      ['nps-detractors'],
      ['nps-detractors'],
    ]);
  });

  it('promoters: thanks and the referral ask; the dedicated CSM also asks for a testimonial', async () => {
    expect(short((await plan('nps-promoters', MADRID, { segment: 'high-touch' })).steps)).toEqual([
      '0 email nps-promoter',
      '0 task ownerCsm',
    ]);
    expect(short((await plan('nps-promoters', MADRID, { segment: 'tech-touch' })).steps)).toEqual([
      '0 email nps-promoter',
    ]);
  });

  it('passives: value content; the dedicated CSM asks what would make it a 10', async () => {
    expect(short((await plan('nps-passives', MADRID, { segment: 'mid-touch' })).steps)).toEqual([
      '0 email nps-passive',
      '0 task ownerCsm',
    ]);
    expect(short((await plan('nps-passives', MEXICO, { segment: 'tech-touch' })).steps)).toEqual([
      '0 email nps-passive',
    ]);
  });

  it('detractors start the rescue whatever the segment: a call today, “How can we help?”, the 48-hour follow-up', async () => {
    for (const segment of ['high-touch', 'tech-touch']) {
      const { steps, result } = await plan('nps-detractors', MADRID, { segment });
      expect(short(steps)).toEqual(['0 task ownerCsm', '0 email nps-detractor', '2 task ownerCsm']);
      expect(result.timeline.find((e) => e.nodeId === 'followUp')!.at).toBe('2027-03-04T10:00:00Z');
    }
  });
});
