import { z } from 'zod';
import { StoredAccountEvent } from '../../../engine/events/stored.js';
import type { Issue } from '../../../engine/errors.js';
import { AccountEventsRequest, parseAccountEvents, WELL_KNOWN_EVENTS } from '../../../engine/events/schema.js';
import type { AppContext } from '../../context.js';
import {
  pageAccountEvents,
  recordEvents,
  resolveEventAccounts,
  UnknownAccountsError,
  unknownAccountIssues,
} from '../../events/store.js';
import { findAccount } from '../../accounts/store.js';
import { HttpError } from '../http-error.js';
import { route } from '../route.js';
import { CursorParam, NextCursor } from '../paging.js';
import { ownAccount } from '../../auth/ownership.js';
import { DESIGNERS, EVERYONE } from '../roles.js';
import { AccountRef } from './accounts.js';

// The body is checked here, event by event, rather than by the route's schema: a bad event in a batch is a 422
// naming its index (events[3].data.score), and nothing of the batch is stored. The documented schema is the same
// zod schema, rendered inline.
const { $schema: _dialect, ...requestJsonSchema } = z.toJSONSchema(AccountEventsRequest, {
  io: 'input',
  unrepresentable: 'any',
});
const EventsBody = z.unknown().meta({
  override: {
    ...requestJsonSchema,
    description: `One event, or { "events": [...] } (at most 1000). Well-known names: ${Object.keys(WELL_KNOWN_EVENTS).join(', ')}.`,
  },
});

const EventResult = z.object({
  index: z.number().meta({ description: 'Position in the request (0 for a single event).' }),
  id: z.number(),
  seq: z.number().meta({ description: 'Order of the event among its account’s events.' }),
  status: z.enum(['accepted', 'duplicate']),
  accountId: z.string(),
});

const invalid = (issues: Issue[], batch: boolean) => {
  const first = issues[0]!;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return new HttpError(
    422,
    'invalid_events',
    `Nothing was stored: ${batch ? 'the batch has invalid events' : 'the event is invalid'} — ${first.path}: ${first.message}${more}`,
    issues,
  );
};

export const eventRoutes = (ctx: AppContext) => {
  const db = ctx.database.db;
  return [
    route({
      method: 'post',
      path: '/api/events',
      tag: 'events',
      access: { roles: DESIGNERS, scope: 'events:write' },
      summary:
        'Records account events (one, or a batch of up to 1000) with an API token of scope events. All or nothing: any invalid event or unknown account is a 422 listing each by index, and nothing is stored. An idempotency key already stored for the account is reported duplicate, not stored again.',
      body: EventsBody,
      status: 202,
      response: z.object({
        accepted: z.number(),
        duplicates: z.number(),
        results: z.array(EventResult),
      }),
      errors: [401, 403, 422, 503],
      async handler({ body, req }) {
        const parsed = parseAccountEvents(body);
        if (!parsed.ok) throw invalid(parsed.issues, parsed.batch);
        const events = parsed.events;

        const headerKey = req.get('idempotency-key');
        if (headerKey !== undefined) {
          if (parsed.batch) {
            throw new HttpError(
              400,
              'invalid_request',
              'The Idempotency-Key header is for a single event; give each event of a batch its own idempotencyKey',
            );
          }
          const event = events[0]!;
          if (headerKey.length < 1 || headerKey.length > 200) {
            throw invalid(
              [{ path: 'Idempotency-Key', code: 'too_big', message: 'must be 1 to 200 characters' }],
              false,
            );
          }
          if (event.idempotencyKey !== undefined && event.idempotencyKey !== headerKey) {
            throw invalid(
              [{ path: 'idempotencyKey', code: 'custom', message: 'differs from the Idempotency-Key header' }],
              false,
            );
          }
          event.idempotencyKey = headerKey;
        }

        const pathOf = (index: number) => (parsed.batch ? `events[${index}]` : '');
        // Account ids are checked by the write itself (a query fewer per request); external ids are looked up.
        const resolved = await resolveEventAccounts(db, events, {
          receivedAt: new Date(),
          pathOf,
          idsCheckedOnWrite: true,
        });
        if (!resolved.ok) throw invalid(resolved.issues, parsed.batch);
        let results;
        try {
          results = await recordEvents(db, resolved.events);
        } catch (error) {
          if (error instanceof UnknownAccountsError) {
            const issues = unknownAccountIssues(events, error, pathOf);
            if (issues.length > 0) throw invalid(issues, parsed.batch);
            throw new HttpError(422, 'invalid_events', `Nothing was stored: ${error.message} (deleted meanwhile)`);
          }
          throw error;
        }
        // After commit. Duplicates' accounts are included: a retry after a failed hand-off reaches the engine again.
        if (ctx.events) {
          try {
            await ctx.events.onAccepted([...new Set(results.map((r) => r.accountId))]);
          } catch (error) {
            req.log.error({ err: error }, 'events stored but not handed to the engine');
            throw new HttpError(
              503,
              'handoff_failed',
              'The events were stored but not yet handed to the engine; send the same request again (events with an idempotency key are not stored twice)',
            );
          }
        }
        const accepted = results.filter((r) => r.status === 'accepted').length;
        return { accepted, duplicates: results.length - accepted, results };
      },
    }),
    route({
      method: 'get',
      path: '/api/accounts/:id/events',
      tag: 'events',
      access: { roles: EVERYONE, scope: 'read', owner: ownAccount(db) },
      summary: 'An account’s events, newest first.',
      params: AccountRef,
      query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50), cursor: CursorParam }),
      response: z.object({ items: z.array(StoredAccountEvent), nextCursor: NextCursor }),
      errors: [404],
      async handler({ params, query }) {
        const account = await findAccount(db, params.id);
        return pageAccountEvents(db, account.id, query);
      },
    }),
  ];
};
