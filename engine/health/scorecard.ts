import { z } from 'zod';
import { wellKnownEvent } from '../events/schema.js';
import { EventName } from '../playbook/triggers.js';

// The scorecard: which risk signals an account shows, read from its events. Each signal is a metric over a
// window (how many sessions in the last 7 days…), a comparison that makes it a risk, and a weight class. It is
// data (stored in versions), so CS ops can tune it without a deploy; every health row names the version it used.

export const SignalClass = z.enum(['high', 'medium', 'low']);
export type SignalClass = z.infer<typeof SignalClass>;

/** The account's risk level; `none` below the lowest level (the playbook trigger levels are high/medium/low). */
export const HealthRiskLevel = z.enum(['high', 'medium', 'low', 'none']);
export type HealthRiskLevel = z.infer<typeof HealthRiskLevel>;

export const MetricAggregate = z.enum(['count', 'sum', 'distinct', 'latest', 'daysSinceLast']);
export type MetricAggregate = z.infer<typeof MetricAggregate>;

export const Comparator = z.enum(['<', '<=', '>', '>=']);
export type Comparator = z.infer<typeof Comparator>;

const DataField = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'must be a key of the event data, such as score or minutes' });

export const SignalMetric = z.strictObject({
  event: z
    .union([EventName, z.array(EventName).min(1).max(10)])
    .meta({ description: 'The event name, or several names counted together (support.interaction, support.ticket).' }),
  aggregate: MetricAggregate.meta({
    description:
      'count: events in the window; sum / distinct / latest: of data[field] in the window; daysSinceLast: whole days since the newest event (no event: since Stayflow began tracking the account).',
  }),
  field: DataField.optional().meta({ description: 'For sum, distinct and latest: the key in the event data.' }),
  windowDays: z
    .number()
    .int()
    .min(1)
    .max(3650)
    .optional()
    .meta({ description: 'The window, in days before the scoring instant. Required except for daysSinceLast.' }),
  unit: z
    .union([
      z.string().min(1).max(60),
      z.strictObject({ one: z.string().min(1).max(60), other: z.string().min(1).max(60) }),
    ])
    .optional()
    .meta({
      description:
        'What the value counts, for the why sentence: "NPS score", or { one: "session", other: "sessions" }.',
    }),
});
export type SignalMetric = z.infer<typeof SignalMetric>;

export const Signal = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, { error: 'must be a short id such as low-sessions' }),
  label: z.string().min(1).max(120),
  class: SignalClass,
  metric: SignalMetric,
  comparator: Comparator,
  threshold: z.number(),
  whenNoData: z.enum(['fires', 'quiet']).meta({
    description:
      'A metric has no data when latest finds no event in its window, or when the account has been tracked for less than the window of a count/sum/distinct.',
  }),
  rationale: z.string().max(500).optional().meta({ description: 'Why the signal is set this way.' }),
});
export type Signal = z.infer<typeof Signal>;

const points = z.number().int().min(0).max(100);
const level = z.number().int().min(1).max(100);

export const Scorecard = z
  .strictObject({
    signals: z.array(Signal).min(1).max(50),
    points: z.strictObject({ high: points, medium: points, low: points }).default({ high: 30, medium: 15, low: 5 }),
    cap: z.number().int().min(1).max(100).default(100),
    levels: z
      .strictObject({ high: level, medium: level, low: level })
      .default({ high: 80, medium: 50, low: 20 })
      .meta({ description: 'The lowest risk score of each level; below `low` the level is none.' }),
  })
  .superRefine((card, ctx) => {
    const seen = new Set<string>();
    card.signals.forEach((signal, index) => {
      const at = (...path: (string | number)[]) => ['signals', index, ...path];
      if (seen.has(signal.id))
        ctx.addIssue({ code: 'custom', path: at('id'), message: `'${signal.id}' is used twice` });
      seen.add(signal.id);
      const { aggregate, field, windowDays } = signal.metric;
      const needsField = aggregate === 'sum' || aggregate === 'distinct' || aggregate === 'latest';
      if (needsField && field === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: at('metric', 'field'),
          message: `${aggregate} needs the data field it reads`,
        });
      }
      if (!needsField && field !== undefined) {
        ctx.addIssue({ code: 'custom', path: at('metric', 'field'), message: `${aggregate} reads no data field` });
      }
      if (aggregate !== 'daysSinceLast' && windowDays === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: at('metric', 'windowDays'),
          message: `${aggregate} needs a window in days`,
        });
      }
      if (field !== undefined) {
        // A well-known event's fields are known: catch `nps.answered` + `scor` before it silently never fires.
        for (const name of [signal.metric.event].flat()) {
          const known = wellKnownEvent(name);
          if (known && !(field in known.data.shape)) {
            const fields = Object.keys(known.data.shape);
            ctx.addIssue({
              code: 'custom',
              path: at('metric', 'field'),
              message: `${name} events have ${fields.length ? `the fields ${fields.join(', ')}` : 'no data fields'}, not '${field}'`,
            });
          }
        }
      }
    });
    const { high, medium, low } = card.levels;
    if (!(low < medium && medium < high)) {
      ctx.addIssue({ code: 'custom', path: ['levels'], message: 'must rise: low < medium < high' });
    }
    if (high > card.cap) {
      ctx.addIssue({
        code: 'custom',
        path: ['levels', 'high'],
        message: `is above the cap (${card.cap}); no account could reach it`,
      });
    }
  })
  .meta({ id: 'Scorecard' });
export type Scorecard = z.output<typeof Scorecard>;
export type ScorecardInput = z.input<typeof Scorecard>;

const signal = (s: Signal): Signal => s;

/**
 * The twelve risk signals of the churn playbook (domain.md, source 004) with their weight classes. Windows and
 * thresholds follow the source's wording; where it is silent, `rationale` says what was chosen and why.
 * Count-like signals are `quiet` without data: an account Stayflow has tracked for less than the window (a new
 * customer, or one just imported without history) is not judged on an empty window.
 */
export const DEFAULT_SCORECARD: Scorecard = {
  signals: [
    signal({
      id: 'low-sessions',
      label: 'Fewer than 2 sessions per week',
      class: 'high',
      metric: {
        event: 'product.session',
        aggregate: 'count',
        windowDays: 7,
        unit: { one: 'session', other: 'sessions' },
      },
      comparator: '<',
      threshold: 2,
      whenNoData: 'quiet',
      rationale: '"Sesiones <2 por semana": sessions counted over the last 7 days.',
    }),
    signal({
      id: 'low-time-in-product',
      label: 'Less than 1 hour in the product per week',
      class: 'medium',
      metric: {
        event: 'product.session',
        aggregate: 'sum',
        field: 'minutes',
        windowDays: 7,
        unit: { one: 'minute in the product', other: 'minutes in the product' },
      },
      comparator: '<',
      threshold: 60,
      whenNoData: 'quiet',
      rationale: '"Tiempo <1 hora por semana": the minutes of product.session events over 7 days, below 60.',
    }),
    signal({
      id: 'few-features',
      label: 'Fewer than 3 features used per month',
      class: 'high',
      metric: {
        event: 'feature.used',
        aggregate: 'distinct',
        field: 'feature',
        windowDays: 30,
        unit: { one: 'distinct feature used', other: 'distinct features used' },
      },
      comparator: '<',
      threshold: 3,
      whenNoData: 'quiet',
      rationale:
        '"Funcionalidades <3 por mes": distinct data.feature values over 30 days (using one feature often is still one).',
    }),
    signal({
      id: 'no-login-7-days',
      label: 'No login for 7 days',
      class: 'high',
      metric: { event: 'product.login', aggregate: 'daysSinceLast', unit: 'login' },
      comparator: '>=',
      threshold: 7,
      whenNoData: 'quiet',
      rationale:
        '"Sin login en 7 días": whole days since the newest login; an account that never logged in counts from when Stayflow began tracking it, so a new account is not at risk on day one but is on day seven.',
    }),
    signal({
      id: 'no-email-replies',
      label: 'No replies to emails',
      class: 'medium',
      metric: {
        event: 'email.replied',
        aggregate: 'count',
        windowDays: 30,
        unit: { one: 'email reply', other: 'email replies' },
      },
      comparator: '<',
      threshold: 1,
      whenNoData: 'quiet',
      rationale: '"Sin respuesta a emails": no reply in 30 days, about four weekly check-ins without an answer.',
    }),
    signal({
      id: 'no-support-interaction',
      label: 'No interaction with support',
      class: 'high',
      metric: {
        event: ['support.interaction', 'support.ticket'],
        aggregate: 'count',
        windowDays: 90,
        unit: { one: 'support interaction', other: 'support interactions' },
      },
      comparator: '<',
      threshold: 1,
      whenNoData: 'quiet',
      rationale:
        '"Sin interacción con soporte": a silent account is a risk, but a healthy one may need no help for weeks, so the window is a quarter. Tickets count as interactions.',
    }),
    signal({
      id: 'nps-below-7',
      label: 'NPS below 7',
      class: 'high',
      metric: { event: 'nps.answered', aggregate: 'latest', field: 'score', windowDays: 365, unit: 'NPS score' },
      comparator: '<',
      threshold: 7,
      whenNoData: 'quiet',
      rationale:
        '"NPS <7": the newest answer of the last year (NPS surveys are typically yearly or half-yearly); no answer says nothing.',
    }),
    signal({
      id: 'csat-below-3',
      label: 'CSAT below 3 of 5',
      class: 'high',
      metric: { event: 'csat.answered', aggregate: 'latest', field: 'score', windowDays: 90, unit: 'CSAT score' },
      comparator: '<',
      threshold: 3,
      whenNoData: 'quiet',
      rationale:
        '"CSAT <3/5": the newest answer of the last 90 days (CSAT rates recent interactions); no answer says nothing.',
    }),
    signal({
      id: 'ces-above-3',
      label: 'Customer effort above 3 of 5',
      class: 'medium',
      metric: { event: 'ces.answered', aggregate: 'latest', field: 'score', windowDays: 90, unit: 'CES score' },
      comparator: '>',
      threshold: 3,
      whenNoData: 'quiet',
      rationale: '"CES >3/5": the newest answer of the last 90 days; higher means more effort; no answer says nothing.',
    }),
    signal({
      id: 'no-webinars',
      label: 'No webinar attendance',
      class: 'medium',
      metric: {
        event: 'webinar.attended',
        aggregate: 'count',
        windowDays: 90,
        unit: { one: 'webinar attended', other: 'webinars attended' },
      },
      comparator: '<',
      threshold: 1,
      whenNoData: 'quiet',
      rationale:
        '"No asiste a webinars": none in a quarter; webinars run monthly or less, so a shorter window would punish one skipped session.',
    }),
    signal({
      id: 'no-resource-downloads',
      label: 'No resource downloads',
      class: 'medium',
      metric: {
        event: 'resource.downloaded',
        aggregate: 'count',
        windowDays: 90,
        unit: { one: 'resource download', other: 'resource downloads' },
      },
      comparator: '<',
      threshold: 1,
      whenNoData: 'quiet',
      rationale: '"No descarga recursos": none in a quarter, the same engagement horizon as webinars.',
    }),
    signal({
      id: 'no-community',
      label: 'No community participation',
      class: 'low',
      metric: {
        event: 'community.participated',
        aggregate: 'count',
        windowDays: 90,
        unit: { one: 'community contribution', other: 'community contributions' },
      },
      comparator: '<',
      threshold: 1,
      whenNoData: 'quiet',
      rationale: '"No participa en comunidad": none in a quarter; the weakest signal of the twelve (low).',
    }),
  ],
  points: { high: 30, medium: 15, low: 5 },
  cap: 100,
  levels: { high: 80, medium: 50, low: 20 },
};
