import { describe, expect, it } from 'vitest';
import { proposedEmail } from '../../engine/approvals/proposal.js';
import { approvalValueProblems, decidedValues } from '../../engine/approvals/values.js';
import { compilePlaybook } from '../../engine/playbook/compile.js';
import type { ApprovalParameter } from '../../engine/playbook/nodes.js';
import { simulate } from '../../engine/simulator/simulate.js';
import { discountOffer } from '../support/approval-playbooks.js';

type Definition = ReturnType<typeof discountOffer>;
const templates = { 'discount-offer': { variables: ['account.name', 'approval.discount', 'contact.first_name'] } };

function withApproval(change: (config: Record<string, unknown>) => void, definition: Definition = discountOffer()) {
  const copy = structuredClone(definition);
  change(copy.nodes.find((n) => n.id === 'incentive')!.config as Record<string, unknown>);
  return copy;
}

function compiled(definition: Definition = discountOffer()) {
  const result = compilePlaybook(definition, { templates });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.playbook;
}

const discount: ApprovalParameter = { name: 'discount', type: 'percent', default: 10, min: 0, max: 20 };

describe('an approval step that declares what the CSM may change', () => {
  it('compiles with its parameter, decider and escalation, and an approval saved before them still compiles', () => {
    const ir = compiled();
    expect(ir.nodes.incentive).toMatchObject({
      config: { parameters: [discount], decider: 'ownerCsm', escalation: [{ to: 'csmManager' }] },
    });
    const old = withApproval((config) => {
      delete config.parameters;
      delete config.decider;
      delete config.escalation;
    });
    (old.nodes.find((n) => n.id === 'offerMail')!.config as { template: string }).template = 'plain';
    const result = compilePlaybook(old, { templates: { plain: { variables: ['account.name'] } } });
    expect(result.ok && result.playbook.nodes.incentive).toMatchObject({
      config: { parameters: [], decider: 'ownerCsm', escalation: [] },
    });
  });

  it('refuses a default outside its bounds, on the step, naming the bound', () => {
    const result = compilePlaybook(
      withApproval((config) => {
        config.parameters = [{ ...discount, default: 25 }];
      }),
      { templates },
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues).toEqual([
      {
        nodeId: 'incentive',
        path: 'nodes[1].config.parameters[0].default',
        code: 'default_out_of_bounds',
        message:
          "'Offer a renewal discount?' parameter 'discount' has a default of 25 %, but it must be at least 0 % and at most 20 %",
      },
    ]);
  });

  it('refuses bounds the wrong way round, a repeated name, and escalating to who already decides', () => {
    const result = compilePlaybook(
      withApproval((config) => {
        config.parameters = [{ ...discount, min: 30 }, discount];
        config.escalation = [{ to: 'ownerCsm', timeout: { amount: 1, unit: 'days' } }];
      }),
      { templates },
    );
    expect(!result.ok && result.issues.map((i) => [i.nodeId, i.code])).toEqual([
      ['incentive', 'invalid_bounds'],
      ['incentive', 'duplicate_parameter'],
      ['incentive', 'escalation_to_same_person'],
    ]);
  });

  it('refuses an email that reads approval.x when the approval before it has no parameter x', () => {
    const result = compilePlaybook(
      withApproval((config) => {
        config.parameters = [{ name: 'amount', type: 'number', default: 100, min: 0 }];
      }),
      { templates },
    );
    expect(!result.ok && result.issues).toEqual([
      {
        nodeId: 'offerMail',
        path: 'nodes[2].config.template',
        code: 'unknown_approval_parameter',
        message:
          "The 'Discount offer' email uses {{approval.discount}} but no approval step before it has a parameter 'discount'",
      },
    ]);
  });

  it('refuses an email that a path reaches without passing the approval that sets its value', () => {
    const definition = discountOffer();
    // A timeout branch that sends the offer anyway passes the approval too: it leaves the default discount.
    definition.nodes = definition.nodes.filter((n) => n.id !== 'noDecision');
    definition.edges = definition.edges.map((e) => (e.id === 'e4' ? { ...e, target: 'offerMail' } : e));
    expect(compilePlaybook(definition, { templates }).ok).toBe(true);
    // A second way in from the start, around the approval, is not.
    definition.nodes.push({
      id: 'fork',
      type: 'branch',
      label: 'Enterprise?',
      config: { conditions: [{ handle: 'big', when: { field: 'account.plan', op: 'eq', value: 'Enterprise' } }] },
    });
    definition.edges = definition.edges.map((e) => (e.id === 'e1' ? { ...e, target: 'fork' } : e));
    definition.edges.push(
      { id: 'f1', source: 'fork', sourceHandle: 'big', target: 'offerMail' },
      { id: 'f2', source: 'fork', sourceHandle: 'else', target: 'incentive' },
    );
    const result = compilePlaybook(definition, { templates });
    expect(!result.ok && result.issues.map((i) => [i.nodeId, i.code, i.message])).toEqual([
      [
        'offerMail',
        'unknown_approval_parameter',
        "The 'Discount offer' email uses {{approval.discount}} but the run can reach it without passing an approval step with a parameter 'discount'",
      ],
    ]);
  });

  it('proposes the email its approved path leads to', () => {
    expect(proposedEmail(compiled(), 'incentive')).toEqual({
      nodeId: 'offerMail',
      label: 'Discount offer',
      template: 'discount-offer',
      recipients: 'primaryContact',
    });
  });
});

describe('edited values', () => {
  it('are refused out of bounds with the bound, unknown, or of the wrong type', () => {
    expect(approvalValueProblems([discount], { discount: 25 })).toEqual([
      { name: 'discount', code: 'above_maximum', bound: 'max 20', message: 'discount must be at most 20 % (got 25 %)' },
    ]);
    expect(approvalValueProblems([discount], { discount: -1 })[0]).toMatchObject({ bound: 'min 0' });
    expect(approvalValueProblems([discount], { discount: '15' })[0]).toMatchObject({ code: 'wrong_type' });
    expect(approvalValueProblems([discount], { price: 3 })[0]).toMatchObject({ code: 'unknown_parameter' });
    const subject: ApprovalParameter = { name: 'subject', type: 'text', default: 'Hi', maxLength: 5 };
    expect(approvalValueProblems([subject], { subject: 'Hello there' })[0]).toMatchObject({ code: 'too_long' });
    expect(approvalValueProblems([discount, subject], { discount: 15, subject: 'Hey' })).toEqual([]);
  });

  it('are the edits over the defaults when approved, and the defaults otherwise', () => {
    expect(decidedValues([discount], 'approved', { discount: 15 })).toEqual({ discount: 15 });
    expect(decidedValues([discount], 'approved', {})).toEqual({ discount: 10 });
    expect(decidedValues([discount], 'rejected', { discount: 15 })).toEqual({ discount: 10 });
    expect(decidedValues([discount], 'timeout', undefined)).toEqual({ discount: 10 });
  });
});

describe('the preview of an approval', () => {
  const startAt = '2026-11-26T10:00:00Z';
  const account = { id: 'acct-1', timeZone: 'Europe/Madrid', fields: {} };
  const lines = (timeline: { at: string; summary: string; why: string }[]) =>
    timeline.map((e) => `${e.at} ${e.summary} | ${e.why}`);

  it('escalates to the CSM manager when the owner does not decide in time, then takes the timeout branch', async () => {
    const result = await simulate({ playbook: compiled(), account, startAt });
    expect(lines(result.timeline)).toEqual([
      '2026-11-26T10:00:00Z Enrolled in Discount offer | draft (not published)',
      '2026-11-26T10:00:00Z Approval requested: Renewal discount to keep the account | for the owner CSM; escalates 2026-11-28T10:00:00Z',
      '2026-11-28T10:00:00Z Approval escalated to the CSM manager: Renewal discount to keep the account | no decision by 2026-11-28T10:00:00Z; times out 2026-11-29T10:00:00Z',
      '2026-11-29T10:00:00Z Approval timed out: Renewal discount to keep the account | ',
      '2026-11-29T10:00:00Z Nobody decided | ',
    ]);
  });

  it('shows the discount the CSM set, and the manager deciding after the escalation', async () => {
    const byCsm = await simulate({
      playbook: compiled(),
      account,
      startAt,
      approvals: [{ nodeId: 'incentive', decision: 'approved', afterHours: 3, values: { discount: 15 } }],
    });
    expect(byCsm.timeline.find((e) => e.summary.startsWith('Approval approved'))!.summary).toBe(
      'Approval approved: Renewal discount to keep the account (discount 15 %)',
    );
    expect(byCsm.endNodeId).toBe('done');
    const byManager = await simulate({
      playbook: compiled(),
      account,
      startAt,
      approvals: [{ nodeId: 'incentive', decision: 'approved', afterHours: 60 }],
    });
    expect(lines(byManager.timeline).slice(2, 4)).toEqual([
      '2026-11-28T10:00:00Z Approval escalated to the CSM manager: Renewal discount to keep the account | no decision by 2026-11-28T10:00:00Z; times out 2026-11-29T10:00:00Z',
      '2026-11-28T22:00:00Z Approval approved: Renewal discount to keep the account (discount 10 %) | ',
    ]);
  });

  it('refuses a scripted discount the run would refuse, and says so', async () => {
    const result = await simulate({
      playbook: compiled(),
      account,
      startAt,
      approvals: [{ nodeId: 'incentive', decision: 'approved', afterHours: 3, values: { discount: 25 } }],
    });
    const last = result.timeline.find((e) => e.summary.startsWith('Approval timed out'))!;
    expect(last.why).toBe(
      'the scripted decision was refused, as the run would refuse it: Discount must be at most 20 % (got 25 %)',
    );
    expect(result.endNodeId).toBe('noDecision');
  });
});
