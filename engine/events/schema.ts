import { z } from 'zod';
import { toIssues, type Issue } from '../errors.js';
import { EventName } from '../playbook/triggers.js';

// What a product, a help desk or a survey tool tells Stayflow about an account. Well-known names carry a data
// schema (the scorecard's default signals read those fields); any other valid name is a custom event, stored as sent.

/** Events may be stamped up to this far ahead of the server's clock (clock skew between systems), not further. */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;
/** Serialized size limit of one event's `data`, in bytes of UTF-8 JSON. */
export const MAX_EVENT_DATA_BYTES = 16 * 1024;
export const MAX_EVENTS_PER_BATCH = 1000;

const score = (min: number, max: number) =>
  z
    .number({ error: `must be a score from ${min} to ${max}` })
    .int({ error: `must be a whole score from ${min} to ${max}` })
    .min(min, { error: `must be a score from ${min} to ${max}` })
    .max(max, { error: `must be a score from ${min} to ${max}` });
const topic = z.string().min(1).max(200).optional().meta({ description: 'What it was about, e.g. billing.' });

interface WellKnownEvent {
  description: string;
  /** Checks `data`; extra keys are kept (a sender may attach more than Stayflow reads). */
  data: z.ZodObject;
}

export const WELL_KNOWN_EVENTS = {
  'product.login': { description: 'A user of the account signed in.', data: z.looseObject({}) },
  'product.session': {
    description: 'A session in the product, with its length.',
    data: z.looseObject({
      minutes: z
        .number({ error: 'must be the session length in minutes' })
        .min(0, { error: 'must be 0 or more minutes' })
        .max(24 * 60, { error: 'must be at most a day (1440 minutes)' }),
    }),
  },
  'feature.used': {
    description: 'A feature was used (distinct features per month is a signal).',
    data: z.looseObject({ feature: z.string({ error: 'must name the feature' }).min(1).max(200) }),
  },
  'email.replied': { description: 'A contact replied to an email.', data: z.looseObject({}) },
  'support.interaction': {
    description: 'Any contact with support (chat, call, email).',
    data: z.looseObject({ topic }),
  },
  'support.ticket': { description: 'A support ticket was opened.', data: z.looseObject({ topic }) },
  'nps.answered': { description: 'An NPS survey answer, 0–10.', data: z.looseObject({ score: score(0, 10) }) },
  'csat.answered': { description: 'A CSAT survey answer, 1–5.', data: z.looseObject({ score: score(1, 5) }) },
  'ces.answered': {
    description: 'A customer-effort survey answer, 1–5 (higher is more effort).',
    data: z.looseObject({ score: score(1, 5) }),
  },
  'webinar.attended': { description: 'Someone from the account attended a webinar.', data: z.looseObject({}) },
  'resource.downloaded': { description: 'A guide, template or case study was downloaded.', data: z.looseObject({}) },
  'community.participated': { description: 'A post, answer or event in the community.', data: z.looseObject({}) },
  'value.first': {
    description: 'The account reached its first value (ends onboarding; time to first value is measured to it).',
    data: z.looseObject({}),
  },
  'renewal.renewed': { description: 'The account renewed its contract.', data: z.looseObject({}) },
} as const satisfies Record<string, WellKnownEvent>;
export type WellKnownEventName = keyof typeof WELL_KNOWN_EVENTS;

export function wellKnownEvent(name: string): WellKnownEvent | undefined {
  return Object.prototype.hasOwnProperty.call(WELL_KNOWN_EVENTS, name)
    ? WELL_KNOWN_EVENTS[name as WellKnownEventName]
    : undefined;
}

const jsonBytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).length;

/** One event as an integration sends it. `occurredAt` defaults to the moment it is received. */
export const AccountEventInput = z
  .strictObject({
    accountId: z.uuid({ error: 'must be an account id (a UUID)' }).optional(),
    externalId: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .meta({ description: 'The account’s id in your systems (accounts.externalId); use it or accountId.' }),
    name: EventName.meta({ description: 'product.login, nps.answered, … or any custom name.' }),
    occurredAt: z.iso
      .datetime({ offset: true, error: 'must be an ISO date-time such as 2025-03-01T09:30:00Z' })
      .optional()
      .meta({ description: 'When it happened; default: when Stayflow receives it. At most 5 minutes ahead.' }),
    // z.unknown, not z.json: a body is JSON already, and z.json's recursive schema cannot be rendered inline.
    data: z
      .record(z.string(), z.unknown())
      .default({})
      .meta({ description: 'Details of the event (JSON object, at most 16 KB); well-known events define fields.' }),
    idempotencyKey: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .meta({ description: 'Sending the same key again for the account stores nothing new (reported duplicate).' }),
  })
  .superRefine((event, ctx) => {
    if ((event.accountId === undefined) === (event.externalId === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: event.accountId === undefined ? ['externalId'] : ['accountId'],
        message: 'give exactly one of accountId and externalId',
      });
    }
    if (event.occurredAt !== undefined && Date.parse(event.occurredAt) > Date.now() + MAX_FUTURE_SKEW_MS) {
      ctx.addIssue({ code: 'custom', path: ['occurredAt'], message: 'is more than 5 minutes in the future' });
    }
    if (jsonBytes(event.data) > MAX_EVENT_DATA_BYTES) {
      ctx.addIssue({ code: 'custom', path: ['data'], message: 'is larger than 16 KB once written as JSON' });
    }
    const known = wellKnownEvent(event.name);
    if (known) {
      const parsed = known.data.safeParse(event.data);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          ctx.addIssue({
            code: 'custom',
            path: ['data', ...issue.path],
            message: `${issue.message} (${event.name} events carry ${describeFields(known)})`,
          });
        }
      }
    }
  });
// No `.meta({ id })`: the events route renders this schema inline into the OpenAPI document, where a `$defs`
// reference would not resolve.
export type AccountEventInput = z.input<typeof AccountEventInput>;
export type AccountEvent = z.output<typeof AccountEventInput>;

function describeFields(known: WellKnownEvent): string {
  const fields = Object.keys(known.data.shape);
  return fields.length ? fields.map((f) => `data.${f}`).join(', ') : 'no required data';
}

/** A request body: one event, or `{ events: [...] }`. */
export const AccountEventsRequest = z.union([
  AccountEventInput,
  z.strictObject({ events: z.array(AccountEventInput).min(1).max(MAX_EVENTS_PER_BATCH) }),
]);

export type ParsedEvents =
  { ok: true; events: AccountEvent[]; batch: boolean } | { ok: false; issues: Issue[]; batch: boolean };

/**
 * Checks a request body event by event, so one bad event is reported with its index (`events[3].data.score`)
 * rather than as "matches neither a single event nor a batch". A single event's paths have no prefix.
 */
export function parseAccountEvents(body: unknown): ParsedEvents {
  const isBatch = typeof body === 'object' && body !== null && !Array.isArray(body) && 'events' in body;
  if (!isBatch) {
    const parsed = AccountEventInput.safeParse(body);
    return parsed.success
      ? { ok: true, events: [parsed.data], batch: false }
      : { ok: false, issues: toIssues(parsed.error), batch: false };
  }
  const shell = z
    .strictObject({
      events: z
        .array(z.unknown(), { error: 'must be a list of events' })
        .min(1, { error: 'must hold at least one event' })
        .max(MAX_EVENTS_PER_BATCH, { error: `must hold at most ${MAX_EVENTS_PER_BATCH} events` }),
    })
    .safeParse(body);
  if (!shell.success) return { ok: false, issues: toIssues(shell.error), batch: true };
  const events: AccountEvent[] = [];
  const issues: Issue[] = [];
  shell.data.events.forEach((item, index) => {
    const parsed = AccountEventInput.safeParse(item);
    if (parsed.success) events.push(parsed.data);
    else issues.push(...toIssues(parsed.error, `events[${index}]`));
  });
  return issues.length ? { ok: false, issues, batch: true } : { ok: true, events, batch: true };
}
