import { describe, expect, it } from 'vitest';
import { parseAccountEvents } from '../../engine/events/schema.js';
import { riskLevelFor, scoreAccount, type MetricReading } from '../../engine/health/score.js';
import { DEFAULT_SCORECARD, Scorecard, type Signal } from '../../engine/health/scorecard.js';

const levels = DEFAULT_SCORECARD.levels;

describe('riskLevelFor', () => {
  it.each([
    [0, 'none'],
    [19, 'none'],
    [20, 'low'],
    [49, 'low'],
    [50, 'medium'],
    [79, 'medium'],
    [80, 'high'],
    [100, 'high'],
  ] as const)('%i points is %s', (score, level) => {
    expect(riskLevelFor(score, levels)).toBe(level);
  });
});

// Three count signals; a reading of 0 fires, 5 stays quiet. Points per class are chosen to land on each boundary.
const countSignal = (id: string, cls: Signal['class']): Signal => ({
  id,
  label: id,
  class: cls,
  metric: { event: `${id}.happened`, aggregate: 'count', windowDays: 7 },
  comparator: '<',
  threshold: 1,
  whenNoData: 'quiet',
});
const trio = (points: { high: number; medium: number; low: number }): Scorecard => ({
  signals: [countSignal('a', 'high'), countSignal('b', 'medium'), countSignal('c', 'low')],
  points,
  cap: 100,
  levels,
});
const firing = (...ids: string[]): Record<string, MetricReading> =>
  Object.fromEntries(['a', 'b', 'c'].map((id) => [id, { value: ids.includes(id) ? 0 : 5 }]));

describe('scoreAccount', () => {
  it.each([
    ['19 → none', { high: 19, medium: 1, low: 60 }, ['a'], 19, 'none'],
    ['20 → low', { high: 19, medium: 1, low: 60 }, ['a', 'b'], 20, 'low'],
    ['49 → low', { high: 49, medium: 1, low: 30 }, ['a'], 49, 'low'],
    ['50 → medium', { high: 49, medium: 1, low: 30 }, ['a', 'b'], 50, 'medium'],
    ['79 → medium', { high: 79, medium: 1, low: 0 }, ['a'], 79, 'medium'],
    ['80 → high', { high: 79, medium: 1, low: 0 }, ['a', 'b'], 80, 'high'],
  ] as const)('%s', (_name, points, ids, riskScore, riskLevel) => {
    const score = scoreAccount(trio(points), firing(...ids));
    expect(score.riskScore).toBe(riskScore);
    expect(score.riskLevel).toBe(riskLevel);
    expect(score.healthScore).toBe(100 - riskScore);
    expect(score.fired.map((f) => f.signalId)).toEqual(ids);
  });

  it('caps the risk at the scorecard cap however many signals fire', () => {
    // Every one of the twelve default signals at its worst: 6 × 30 + 5 × 15 + 5 = 260 points before the cap.
    const worst: Record<string, MetricReading> = {
      'low-sessions': { value: 0 },
      'low-time-in-product': { value: 0 },
      'few-features': { value: 0 },
      'no-login-7-days': { value: 30 },
      'no-email-replies': { value: 0 },
      'no-support-interaction': { value: 0 },
      'nps-below-7': { value: 2 },
      'csat-below-3': { value: 1 },
      'ces-above-3': { value: 5 },
      'no-webinars': { value: 0 },
      'no-resource-downloads': { value: 0 },
      'no-community': { value: 0 },
    };
    const score = scoreAccount(DEFAULT_SCORECARD, worst);
    expect(score.fired).toHaveLength(12);
    expect(score.fired.reduce((sum, f) => sum + f.points, 0)).toBe(260);
    expect(score).toMatchObject({ riskScore: 100, riskLevel: 'high', healthScore: 0, quiet: [] });
    expect(
      scoreAccount({ ...DEFAULT_SCORECARD, cap: 90, levels: { high: 85, medium: 50, low: 20 } }, worst).riskScore,
    ).toBe(90);
  });

  it('writes one why sentence per signal, in the signal’s own units', () => {
    const score = scoreAccount(DEFAULT_SCORECARD, {
      'low-sessions': { value: 1 },
      'low-time-in-product': { value: 45 },
      'few-features': { value: 3 },
      'no-login-7-days': { value: 9 },
      'no-email-replies': { value: 0 },
      'no-support-interaction': { value: null, reason: 'window-not-observed' },
      'nps-below-7': { value: 5 },
      'csat-below-3': { value: null, reason: 'no-events' },
      'ces-above-3': { value: 3 },
      'no-webinars': { value: 2 },
      'no-resource-downloads': { value: 1 },
      'no-community': { value: 0 },
    });
    const why = Object.fromEntries([...score.fired, ...score.quiet].map((o) => [o.signalId, o.why]));
    expect(why).toEqual({
      'low-sessions': '1 session in the last 7 days (< 2 is a risk)',
      'low-time-in-product': '45 minutes in the product in the last 7 days (< 60 is a risk)',
      'few-features': '3 distinct features used in the last 30 days (< 3 would be a risk)',
      'no-login-7-days': '9 days since the last login (>= 7 is a risk)',
      'no-email-replies': '0 email replies in the last 30 days (< 1 is a risk)',
      'no-support-interaction':
        'Stayflow has tracked the account for less than the 90 days this signal looks at (not judged without data)',
      'nps-below-7': 'latest NPS score in the last 365 days: 5 (< 7 is a risk)',
      'csat-below-3': 'no CSAT score in the last 90 days (not judged without data)',
      'ces-above-3': 'latest CES score in the last 90 days: 3 (> 3 would be a risk)',
      'no-webinars': '2 webinars attended in the last 90 days (< 1 would be a risk)',
      'no-resource-downloads': '1 resource download in the last 90 days (< 1 would be a risk)',
      'no-community': '0 community contributions in the last 90 days (< 1 is a risk)',
    });
    expect(score.fired.map((f) => [f.signalId, f.points])).toEqual([
      ['low-sessions', 30],
      ['low-time-in-product', 15],
      ['no-login-7-days', 30],
      ['no-email-replies', 15],
      ['nps-below-7', 30],
      ['no-community', 5],
    ]);
    expect(score.riskScore).toBe(100);
  });

  it('says when a daysSinceLast counts from the start of tracking, and fires without data when asked to', () => {
    const login = DEFAULT_SCORECARD.signals.find((s) => s.id === 'no-login-7-days')!;
    const survey: Signal = {
      ...countSignal('survey', 'medium'),
      whenNoData: 'fires',
      metric: { event: 'nps.answered', aggregate: 'latest', field: 'score', windowDays: 180 },
    };
    const score = scoreAccount(
      { ...DEFAULT_SCORECARD, signals: [login, survey] },
      { 'no-login-7-days': { value: 7, since: 'tracking-start' }, survey: { value: null, reason: 'no-events' } },
    );
    expect(score.fired.map((f) => f.why)).toEqual([
      '7 days since Stayflow began tracking the account, with no login yet (>= 7 is a risk)',
      'no nps.answered score in the last 180 days (counted as a risk without data)',
    ]);
    expect(score.riskScore).toBe(45);
  });
});

describe('the default scorecard', () => {
  it('has the twelve risk signals of the domain with their weight classes', () => {
    expect(DEFAULT_SCORECARD.signals.map((s) => [s.label, s.class])).toEqual([
      ['Fewer than 2 sessions per week', 'high'],
      ['Less than 1 hour in the product per week', 'medium'],
      ['Fewer than 3 features used per month', 'high'],
      ['No login for 7 days', 'high'],
      ['No replies to emails', 'medium'],
      ['No interaction with support', 'high'],
      ['NPS below 7', 'high'],
      ['CSAT below 3 of 5', 'high'],
      ['Customer effort above 3 of 5', 'medium'],
      ['No webinar attendance', 'medium'],
      ['No resource downloads', 'medium'],
      ['No community participation', 'low'],
    ]);
    expect(DEFAULT_SCORECARD).toMatchObject({
      points: { high: 30, medium: 15, low: 5 },
      cap: 100,
      levels: { high: 80, medium: 50, low: 20 },
    });
    for (const signal of DEFAULT_SCORECARD.signals) expect(signal.rationale).toBeTruthy();
  });

  it('passes its own schema unchanged', () => {
    expect(Scorecard.parse(DEFAULT_SCORECARD)).toEqual(DEFAULT_SCORECARD);
  });

  it('reads the thresholds of the domain', () => {
    const rule = (id: string) => {
      const s = DEFAULT_SCORECARD.signals.find((signal) => signal.id === id)!;
      return `${[s.metric.event].flat().join('+')} ${s.metric.aggregate}${s.metric.field ? `(${s.metric.field})` : ''} ${s.comparator} ${s.threshold}`;
    };
    expect(rule('low-sessions')).toBe('product.session count < 2');
    expect(rule('low-time-in-product')).toBe('product.session sum(minutes) < 60');
    expect(rule('few-features')).toBe('feature.used distinct(feature) < 3');
    expect(rule('no-login-7-days')).toBe('product.login daysSinceLast >= 7');
    expect(rule('nps-below-7')).toBe('nps.answered latest(score) < 7');
    expect(rule('csat-below-3')).toBe('csat.answered latest(score) < 3');
    expect(rule('ces-above-3')).toBe('ces.answered latest(score) > 3');
  });
});

describe('the scorecard schema', () => {
  const issues = (card: unknown) => {
    const parsed = Scorecard.safeParse(card);
    return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };
  const base = DEFAULT_SCORECARD.signals[0]!;

  it('fills in the default points, cap and levels', () => {
    expect(Scorecard.parse({ signals: [base] })).toMatchObject({
      points: { high: 30, medium: 15, low: 5 },
      cap: 100,
      levels: { high: 80, medium: 50, low: 20 },
    });
  });

  it.each([
    ['a signal id used twice', { signals: [base, base] }, "signals.1.id: 'low-sessions' is used twice"],
    [
      'sum without its field',
      { signals: [{ ...base, metric: { event: 'product.session', aggregate: 'sum', windowDays: 7 } }] },
      'signals.0.metric.field: sum needs the data field it reads',
    ],
    [
      'a field the well-known event does not have',
      { signals: [{ ...base, metric: { event: 'nps.answered', aggregate: 'latest', field: 'scor', windowDays: 7 } }] },
      "signals.0.metric.field: nps.answered events have the fields score, not 'scor'",
    ],
    [
      'a count without a window',
      { signals: [{ ...base, metric: { event: 'product.session', aggregate: 'count' } }] },
      'signals.0.metric.windowDays: count needs a window in days',
    ],
    [
      'levels that do not rise',
      { signals: [base], levels: { high: 50, medium: 50, low: 20 } },
      'levels: must rise: low < medium < high',
    ],
  ])('refuses %s', (_name, card, issue) => {
    expect(issues(card)).toContain(issue);
  });
});

describe('account events', () => {
  const now = Date.now();
  const at = (ms: number) => new Date(now + ms).toISOString();

  it('accepts one event, and a custom event with any data', () => {
    const parsed = parseAccountEvents({
      externalId: 'acme',
      name: 'nps.answered',
      data: { score: 9, comment: 'great' },
    });
    expect(parsed).toMatchObject({ ok: true, batch: false, events: [{ externalId: 'acme', data: { score: 9 } }] });
    expect(parseAccountEvents({ externalId: 'acme', name: 'report.exported', data: { rows: [1, 2] } }).ok).toBe(true);
    expect(parseAccountEvents({ externalId: 'acme', name: 'product.login' })).toMatchObject({
      ok: true,
      events: [{ data: {} }],
    });
  });

  it.each([
    [
      'both account references',
      { accountId: '00000000-0000-4000-8000-000000000000', externalId: 'x', name: 'a' },
      'accountId',
    ],
    ['no account reference', { name: 'product.login' }, 'externalId'],
    ['a score out of range', { externalId: 'x', name: 'nps.answered', data: { score: 11 } }, 'data.score'],
    ['a session without minutes', { externalId: 'x', name: 'product.session', data: {} }, 'data.minutes'],
    ['an invalid name', { externalId: 'x', name: '9 lives' }, 'name'],
    ['an unknown key', { externalId: 'x', name: 'a', extra: 1 }, '(root)'],
    ['a time 6 minutes ahead', { externalId: 'x', name: 'a', occurredAt: at(6 * 60_000) }, 'occurredAt'],
    ['data over 16 KB', { externalId: 'x', name: 'a', data: { blob: 'x'.repeat(16 * 1024) } }, 'data'],
    ['a key over 200 characters', { externalId: 'x', name: 'a', idempotencyKey: 'k'.repeat(201) }, 'idempotencyKey'],
  ])('refuses %s', (_name, event, path) => {
    const parsed = parseAccountEvents(event);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues.map((i) => i.path)).toContain(path);
  });

  it('accepts a time up to 5 minutes ahead (clock skew)', () => {
    expect(parseAccountEvents({ externalId: 'x', name: 'a', occurredAt: at(4 * 60_000) }).ok).toBe(true);
  });

  it('reports a batch’s bad events by index, every one', () => {
    const good = { externalId: 'acme', name: 'product.login' };
    const parsed = parseAccountEvents({
      events: [good, good, { externalId: 'acme', name: 'csat.answered', data: { score: 0 } }, { name: 'x' }],
    });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.batch).toBe(true);
      expect(parsed.issues.map((i) => i.path)).toEqual(['events[2].data.score', 'events[3].externalId']);
      expect(parsed.issues[0]!.message).toContain('csat.answered events carry data.score');
    }
  });

  it('takes at most 1000 events a batch', () => {
    const events = Array.from({ length: 1001 }, () => ({ externalId: 'acme', name: 'product.login' }));
    const parsed = parseAccountEvents({ events });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues[0]!.path).toBe('events');
    expect(parseAccountEvents({ events: events.slice(1) }).ok).toBe(true);
  });
});
