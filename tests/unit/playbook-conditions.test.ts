import { describe, expect, it } from 'vitest';
import { Condition } from '../../engine/playbook/conditions.js';
import { evaluateCondition, type ConditionScope } from '../../engine/playbook/evaluate-condition.js';

const scope: ConditionScope = {
  account: {
    segment: 'high-touch',
    mrr: 1200,
    healthScore: 35,
    renewalDate: '2026-03-01',
    plan: 'pro-annual',
    tags: ['beta', 'emea'],
    churned: false,
  },
  event: { plan: 'pro', data: { seats: 12 } },
};

const holds = (condition: Condition, on: ConditionScope = scope) => evaluateCondition(Condition.parse(condition), on);

describe('evaluateCondition', () => {
  it('compares for equality and inequality', () => {
    expect(holds({ field: 'account.segment', op: 'eq', value: 'high-touch' })).toBe(true);
    expect(holds({ field: 'account.segment', op: 'eq', value: 'tech-touch' })).toBe(false);
    expect(holds({ field: 'account.segment', op: 'neq', value: 'tech-touch' })).toBe(true);
    expect(holds({ field: 'account.churned', op: 'eq', value: false })).toBe(true);
  });

  it('orders numbers as numbers and ISO dates as instants', () => {
    expect(holds({ field: 'account.mrr', op: 'gt', value: 999 })).toBe(true);
    expect(holds({ field: 'account.mrr', op: 'gte', value: 1200 })).toBe(true);
    expect(holds({ field: 'account.mrr', op: 'lt', value: 1200 })).toBe(false);
    expect(holds({ field: 'account.healthScore', op: 'lte', value: 49 })).toBe(true);
    expect(holds({ field: 'account.renewalDate', op: 'lt', value: '2026-03-01T00:00:01Z' })).toBe(true);
    expect(holds({ field: 'account.renewalDate', op: 'gt', value: '2026-02-28' })).toBe(true);
    // A number is not ordered against text: no guess, just false.
    expect(holds({ field: 'account.mrr', op: 'gt', value: '100' })).toBe(false);
  });

  it('checks membership and containment', () => {
    expect(holds({ field: 'account.segment', op: 'in', value: ['high-touch', 'mid-touch'] })).toBe(true);
    expect(holds({ field: 'account.segment', op: 'in', value: ['tech-touch'] })).toBe(false);
    expect(holds({ field: 'account.plan', op: 'contains', value: 'annual' })).toBe(true);
    expect(holds({ field: 'account.tags', op: 'contains', value: 'emea' })).toBe(true);
    expect(holds({ field: 'account.tags', op: 'contains', value: 'apac' })).toBe(false);
  });

  it('reads event data, nested too', () => {
    expect(holds({ field: 'event.plan', op: 'eq', value: 'pro' })).toBe(true);
    expect(holds({ field: 'event.data.seats', op: 'gte', value: 10 })).toBe(true);
    expect(holds({ field: 'event.plan', op: 'exists' }, { account: {} })).toBe(false);
  });

  it('treats a missing field as satisfying nothing but `not`', () => {
    expect(holds({ field: 'account.lifecycleStage', op: 'exists' })).toBe(false);
    expect(holds({ field: 'account.mrr', op: 'exists' })).toBe(true);
    expect(holds({ field: 'account.lifecycleStage', op: 'neq', value: 'adopting' })).toBe(false);
    expect(holds({ not: { field: 'account.lifecycleStage', op: 'eq', value: 'adopting' } })).toBe(true);
  });

  it('never reads inherited properties as fields', () => {
    expect(holds({ field: 'account.constructor', op: 'exists' })).toBe(false);
    expect(holds({ field: 'event.toString', op: 'exists' })).toBe(false);
  });

  it('combines with all, any and not', () => {
    const highValueAtRisk: Condition = {
      all: [
        { field: 'account.mrr', op: 'gte', value: 1000 },
        {
          any: [
            { field: 'account.healthScore', op: 'lt', value: 50 },
            { field: 'account.segment', op: 'eq', value: 'tech-touch' },
          ],
        },
        { not: { field: 'account.churned', op: 'eq', value: true } },
      ],
    };
    expect(holds(highValueAtRisk)).toBe(true);
    expect(holds(highValueAtRisk, { account: { ...scope.account, healthScore: 80 } })).toBe(false);
    expect(holds(highValueAtRisk, { account: { ...scope.account, churned: true } })).toBe(false);
  });
});

describe('Condition schema', () => {
  it('refuses comparisons without the value they need, and strings of code', () => {
    expect(Condition.safeParse({ field: 'account.mrr', op: 'gt' }).success).toBe(false);
    expect(Condition.safeParse({ field: 'account.segment', op: 'in', value: 'high-touch' }).success).toBe(false);
    expect(Condition.safeParse({ field: 'account.mrr', op: 'exists', value: 1 }).success).toBe(false);
    expect(Condition.safeParse({ field: 'account.a.b', op: 'exists' }).success).toBe(false);
    expect(Condition.safeParse('account.mrr > 100').success).toBe(false);
    expect(Condition.safeParse({ all: [] }).success).toBe(false);
  });
});
