import { describe, expect, it } from 'vitest';
import { checkEmailTemplate } from '../../server/email/templates/check.js';
import { decideEmail, type SentEmail } from '../../engine/governance/decide.js';
import { ContactGovernance, DEFAULT_GOVERNANCE } from '../../engine/governance/schema.js';
import { compilePlaybook } from '../../engine/playbook/compile.js';
import type { CompiledPlaybook } from '../../engine/playbook/ir.js';
import type { PlaybookDefinition } from '../../engine/playbook/schema.js';
import { simulate } from '../../engine/simulator/simulate.js';
import { loadSeedPlaybooks } from '../../server/playbooks/seed.js';
import { loadShippedTemplates } from '../../server/templates/shipped.js';

// Contact governance: one decision for the sender and the preview. A cap per contact across playbooks, priorities,
// exemptions for what a contact expects, and the quiet period while a rescue is open.

const DAY = 86_400_000;
const t0 = Date.parse('2026-03-02T09:00:00Z');
const at = (day: number) => t0 + day * DAY;
const sent = (...items: [number, string?][]): SentEmail[] =>
  items.map(([day, playbookKey]) => ({ at: at(day), playbookKey }));
const rules = (patch: Partial<ContactGovernance> = {}): ContactGovernance => ({ ...DEFAULT_GOVERNANCE, ...patch });

describe('deciding whether an email goes to a contact', () => {
  it('skips the fourth email in 7 days with the cap as the reason, and sends once the first leaves the period', () => {
    const history = sent([0, 'renewal-x'], [1, 'renewal-x'], [2, 'renewal-x']);
    expect(decideEmail({ rules: rules(), playbookKey: 'renewal-x', at: at(3), sent: history })).toEqual({
      send: false,
      code: 'cap',
      reason: 'frequency cap reached (3 per 7d)',
    });
    expect(decideEmail({ rules: rules(), playbookKey: 'renewal-x', at: at(7) + 1, sent: history })).toMatchObject({
      send: true,
    });
  });

  it('never caps nor counts a sequence the contact expects (the shipped onboarding)', () => {
    const history = sent([0, 'onboarding-30d'], [4, 'onboarding-30d'], [5, 'onboarding-30d']);
    expect(decideEmail({ rules: rules(), playbookKey: 'onboarding-30d', at: at(6), sent: history })).toMatchObject({
      send: true,
      why: expect.stringContaining('exempt'),
    });
    // Nor do they crowd out another playbook's email the same week.
    expect(decideEmail({ rules: rules(), playbookKey: 'check-in', at: at(6), sent: history })).toMatchObject({
      send: true,
    });
  });

  it('lets a high-priority email through a week of low-priority ones, but not a low one through high ones', () => {
    const withPriorities = rules({
      playbooks: {
        'renewal-cadence': { priority: 'high', exempt: false, promotional: false },
        newsletter: { priority: 'low', exempt: false, promotional: false },
      },
    });
    const lows = sent([0, 'newsletter'], [1, 'newsletter'], [2, 'newsletter']);
    expect(decideEmail({ rules: withPriorities, playbookKey: 'renewal-cadence', at: at(3), sent: lows }).send).toBe(
      true,
    );
    const highs = sent([0, 'renewal-cadence'], [1, 'renewal-cadence'], [2, 'renewal-cadence']);
    expect(decideEmail({ rules: withPriorities, playbookKey: 'newsletter', at: at(3), sent: highs })).toMatchObject({
      send: false,
      reason: 'frequency cap reached (3 per 7d, counting all emails)',
    });
  });

  it('holds back promotional email while a rescue is open, and only then', () => {
    const input = { rules: rules(), playbookKey: 'referral', at: at(0), sent: [] };
    expect(decideEmail({ ...input, rescueOpen: true })).toEqual({
      send: false,
      code: 'quiet',
      reason: 'quiet period: a rescue is open for the account, so no promotional email',
    });
    expect(decideEmail({ ...input, rescueOpen: false }).send).toBe(true);
    const off = rules({ quietWhileRescue: { enabled: false, rescuePlaybooks: ['rescue-high'] } });
    expect(decideEmail({ ...input, rules: off, rescueOpen: true }).send).toBe(true);
  });

  it('sends everything without a cap', () => {
    const history = sent([0], [0], [0], [0]);
    expect(decideEmail({ rules: rules({ frequencyCap: null }), at: at(0), sent: history }).send).toBe(true);
  });
});

describe('the governance schema', () => {
  it('refuses a cap of nothing, a period past 90 days and a key that is not a playbook key', () => {
    const issues = ContactGovernance.safeParse({
      frequencyCap: { max: 0, period: { amount: 100, unit: 'days' } },
      playbooks: { 'Not A Key': {} },
      quietWhileRescue: { enabled: true, rescuePlaybooks: [] },
    }).error!.issues.map((i) => i.path.join('.'));
    expect(issues).toEqual(expect.arrayContaining(['frequencyCap.max', 'playbooks.Not A Key']));
    expect(
      ContactGovernance.safeParse({
        ...DEFAULT_GOVERNANCE,
        frequencyCap: { max: 3, period: { amount: 91, unit: 'days' } },
      }).success,
    ).toBe(false);
  });
});

const seeds = await loadSeedPlaybooks();
const shipped = await loadShippedTemplates();
const found = seeds.find((s) => (s.definition as PlaybookDefinition).key === 'onboarding-30d')!;
const compiled = compilePlaybook(found.definition, {
  templates: Object.fromEntries(shipped.map((t) => [t.key, { variables: checkEmailTemplate(t).variables }])),
});
if (!compiled.ok) throw new Error(JSON.stringify(compiled.issues));
const playbook: CompiledPlaybook = { ...compiled.playbook, version: 1 };

describe('the preview applies the same decision to the shipped onboarding', () => {
  const firstWeek = async (governance: ContactGovernance) => {
    const result = await simulate({
      playbook,
      account: { id: 'acme', timeZone: 'Europe/Madrid', fields: { segment: 'tech-touch' } },
      startAt: '2026-03-02T10:00:00Z',
      events: [],
      governance: { rules: governance, playbookKey: 'onboarding-30d' },
    });
    return result.timeline
      .filter((e) => e.kind === 'email' && e.day <= 7)
      .map((e) => {
        const template = /\((\S+)\) to /.exec(e.summary)![1];
        return e.summary.endsWith(': skipped')
          ? `day ${e.day} ${template} skipped — ${e.why}`
          : `day ${e.day} ${template}`;
      });
  };

  it('sends all five first-week emails with the default settings', async () => {
    expect(await firstWeek(DEFAULT_GOVERNANCE)).toEqual([
      'day 0 welcome',
      'day 4 onboarding-day4',
      'day 5 onboarding-day5',
      'day 6 onboarding-day6',
      'day 7 onboarding-day7',
    ]);
  });

  it('says "would be skipped: cap reached" where a run would skip, once onboarding is no longer exempt', async () => {
    const capped = rules({ playbooks: {} });
    expect(await firstWeek(capped)).toEqual([
      'day 0 welcome',
      'day 4 onboarding-day4',
      'day 5 onboarding-day5',
      'day 6 onboarding-day6 skipped — would be skipped: frequency cap reached (3 per 7d)',
      // The welcome went out at 11:00 on day 0; day 7's email at 11:00 finds it just out of the 7 days.
      'day 7 onboarding-day7',
    ]);
  });
});
