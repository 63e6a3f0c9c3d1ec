import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { ImportKind, ImportReport } from '../../../engine/accounts/import-report.js';
import { AccountListItem } from '../../../engine/accounts/list-item.js';
import { Account, AccountInput, AccountPatch, IsoDate } from '../../../engine/accounts/schema.js';
import { HealthRiskLevel } from '../../../engine/health/scorecard.js';
import { Segment } from '../../../engine/playbook/account-fields.js';
import { MAX_IMPORT_BYTES, tooLarge } from '../../accounts/csv-read.js';
import { importCsv } from '../../accounts/import.js';
import {
  createAccount,
  datesOfNewAccount,
  findAccount,
  findAccountByExternalId,
  listAccounts,
  fieldChanges,
  patchAccount,
} from '../../accounts/store.js';
import { handOffFieldChanges, notifyFieldsChanged } from '../../accounts/entity-signals.js';
import type { AccountFieldChanges } from '../../../engine/activity-contracts.js';
import type { AppContext } from '../../context.js';
import { HttpError } from '../http-error.js';
import { DomainError } from '../../errors.js';
import { route } from '../route.js';
import { CursorParam } from '../paging.js';
import { accountOwnersByExternalId, ownAccount, visibleOwners } from '../../auth/ownership.js';
import { ACCOUNT_TEAM, DESIGNERS, EVERYONE } from '../roles.js';

export const AccountRef = z.object({
  id: z.uuid({
    error: 'must be an account id (a UUID); look accounts up by external id at /api/accounts/by-external-id/…',
  }),
});

const ListQuery = z.object({
  segment: Segment.optional(),
  owner: z.string().trim().min(1).max(254).optional().meta({ description: 'The owner CSM’s email (any case).' }),
  q: z.string().trim().min(1).max(200).optional().meta({ description: 'Part of the name or external id (any case).' }),
  riskLevel: z
    .enum([...HealthRiskLevel.options, 'unscored'])
    .optional()
    .meta({ description: 'The level of the account’s newest health score; `unscored`: never scored.' }),
  healthMin: z.coerce.number().int().min(0).max(100).optional().meta({ description: 'Newest health score ≥ this.' }),
  healthMax: z.coerce.number().int().min(0).max(100).optional().meta({ description: 'Newest health score ≤ this.' }),
  lifecycleStage: z.string().trim().min(1).max(100).optional().meta({ description: 'Any case.' }),
  renewalFrom: IsoDate.optional().meta({ description: 'Renewal date on or after this day.' }),
  renewalTo: IsoDate.optional().meta({ description: 'Renewal date on or before this day.' }),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: CursorParam,
});

const CSV_TYPES = ['text/csv', 'application/csv', 'text/plain'];

export const accountRoutes = (ctx: AppContext) => {
  const db = ctx.database.db;
  const target = { temporal: ctx.temporal, taskQueue: ctx.config.TEMPORAL_TASK_QUEUE };

  /** An import's changed accounts reach their workflows through fan-out workflows, started before it answers. */
  async function handOff(
    changed: AccountFieldChanges[][],
    updated: number,
    log: { error(o: object, m: string): void },
  ) {
    if (changed.length === 0) return;
    try {
      await handOffFieldChanges(target, changed, ctx.config.IMPORT_HANDOFF_PER_SECOND);
    } catch (error) {
      log.error({ err: error }, 'import committed but its changes were not handed to the engine');
      throw new HttpError(
        503,
        'handoff_failed',
        `The file was imported (${updated} accounts updated), but their playbooks were not told of the changes: Temporal did not answer. Re-importing will not tell them either (the rows are now unchanged); change those accounts again once Stayflow is healthy`,
      );
    }
  }
  return [
    route({
      method: 'get',
      path: '/api/accounts',
      tag: 'accounts',
      access: { roles: EVERYONE, scope: 'read', owner: { what: 'the listed accounts', narrowed: true } },
      summary:
        'Accounts by name with their newest health score, a page at a time, filtered by segment, owner CSM, risk level, lifecycle stage, renewal window or a search on name and external id.',
      query: ListQuery,
      response: z.object({
        items: z.array(AccountListItem),
        nextCursor: z
          .string()
          .nullable()
          .meta({ description: 'Pass as `cursor` for the next page; null on the last.' }),
      }),
      async handler({ query, principal }) {
        return listAccounts(db, { ...query, visible: visibleOwners(principal) });
      },
    }),
    route({
      method: 'post',
      path: '/api/accounts',
      tag: 'accounts',
      access: { roles: DESIGNERS, scope: 'accounts:write' },
      summary: 'Creates an account. Its external id (the customer’s own id) must be new: 409 otherwise.',
      body: AccountInput,
      status: 201,
      response: Account,
      errors: [409],
      async handler({ body }) {
        const account = await createAccount(db, body);
        // As the CSV import does: its dates count as set, so a date-relative playbook already under way (renewal
        // in 45 days) takes the new account late, by its catch-up policy.
        await notifyFieldsChanged(target, account.id, datesOfNewAccount(account));
        return account;
      },
    }),
    route({
      method: 'post',
      path: '/api/accounts/import',
      tag: 'accounts',
      access: { roles: DESIGNERS, scope: 'accounts:write' },
      summary:
        'Imports a CSV file of accounts (by external id) or contacts (by account external id and email): creates, updates, or leaves alone each row, and reports the rows it rejected with their row number and column. Idempotent. An accounts report also says which playbooks the changes would enroll accounts in and how long handing them to their workflows takes (a steady pace, after the answer). `dryRun=true` reports the same without writing anything.',
      rawBody: {
        contentType: 'text/csv',
        description:
          'The file, up to 20 MB. First line: the column names, snake_case or camelCase (external_id or externalId); ' +
          'accounts: external_id, name, segment, owner_csm_name, owner_csm_email, csm_manager_email, locale, time_zone, ' +
          'plan, mrr, start_date, renewal_date, lifecycle_stage and the declared custom fields; contacts: ' +
          'account_external_id, email, name, role, locale, primary, unsubscribed. An unknown column rejects the whole file. ' +
          'An empty cell means "no value"; columns the file does not have are left as they are.',
      },
      query: z.object({
        kind: ImportKind.default('accounts'),
        dryRun: z.stringbool().default(false).meta({
          description: 'true: check and report every row exactly as the import would, then write nothing.',
        }),
      }),
      response: ImportReport,
      errors: [413, 415],
      async handler({ query, req, res }) {
        if (req.is(CSV_TYPES) === false) {
          throw new HttpError(
            415,
            'unsupported_media_type',
            'Send the CSV file itself as the body, with content-type text/csv (curl: --data-binary @accounts.csv -H "content-type: text/csv")',
          );
        }
        try {
          if (Number(req.headers['content-length']) > MAX_IMPORT_BYTES) throw tooLarge(MAX_IMPORT_BYTES);
          const changed: AccountFieldChanges[][] = [];
          const report = await importCsv(db, req, query.kind, MAX_IMPORT_BYTES, (batch) => changed.push(batch), {
            dryRun: query.dryRun,
            handOffPerSecond: ctx.config.IMPORT_HANDOFF_PER_SECOND,
          });
          await handOff(changed, report.updated, req.log);
          return report;
        } catch (error) {
          // Answered before the body was read to its end: the rest of it is still on the connection, so it
          // cannot carry another request. Reading (and dropping) what is left for a bounded moment first lets a
          // client that is still uploading see the answer instead of a broken pipe.
          if (!req.complete) {
            res.setHeader('connection', 'close');
            await drainFor(req, 5_000);
          }
          throw error;
        }
      },
    }),
    route({
      method: 'get',
      path: '/api/accounts/by-external-id/:externalId',
      tag: 'accounts',
      access: {
        roles: EVERYONE,
        scope: 'read',
        owner: {
          what: 'the account',
          of: async ({ params }) => [await accountOwnersByExternalId(db, params.externalId)],
        },
      },
      summary: 'One account by the customer’s own id.',
      params: z.object({ externalId: z.string().min(1).max(200) }),
      response: Account,
      errors: [404],
      async handler({ params }) {
        return findAccountByExternalId(db, params.externalId);
      },
    }),
    route({
      method: 'get',
      path: '/api/accounts/:id',
      tag: 'accounts',
      access: { roles: EVERYONE, scope: 'read', owner: ownAccount(db) },
      summary: 'One account.',
      params: AccountRef,
      response: Account,
      errors: [404],
      async handler({ params }) {
        return findAccount(db, params.id);
      },
    }),
    route({
      method: 'patch',
      path: '/api/accounts/:id',
      tag: 'accounts',
      access: { roles: ACCOUNT_TEAM, scope: 'accounts:write', owner: ownAccount(db) },
      summary:
        'Changes some of an account’s properties; custom fields merge (null clears one). Answers the account and what really changed.',
      params: AccountRef,
      body: AccountPatch,
      response: z.object({
        account: Account,
        changed: z.array(z.string()).meta({
          description: 'Properties and custom fields whose value changed, by name (e.g. renewalDate, seats).',
        }),
      }),
      errors: [404, 409],
      async handler({ params, body, principal }) {
        // Reassigning an account is a manager's (or ops') call, not the CSM's who holds it.
        const reassigns = body.ownerCsmEmail !== undefined || body.csmManagerEmail !== undefined;
        if (reassigns && principal?.kind === 'user' && principal.role === 'csm') {
          throw new DomainError('forbidden', 'forbidden', 'A CSM cannot reassign an account; their manager can');
        }
        const before = await findAccount(db, params.id);
        const result = await patchAccount(db, params.id, body);
        if (result.changed.length > 0) {
          // The account's workflow hears of it: "field changed" and "segment entered" triggers, re-planned waits.
          await notifyFieldsChanged(target, params.id, fieldChanges(before, result.account, result.changed));
        }
        return result;
      },
    }),
  ];
};

/** Reads and drops the rest of a request body, for at most `ms`. */
function drainFor(req: IncomingMessage, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(done, ms);
    req.once('end', done).once('close', done).once('error', done);
    req.resume();
  });
}
