import { z } from 'zod';
import { Issue } from '../../../engine/errors.js';
import { compilePlaybook } from '../../../engine/playbook/compile.js';
import { CompileContext } from '../../../engine/playbook/ir.js';
import { PlaybookKey } from '../../../engine/playbook/schema.js';
import { VersionParam } from '../../../engine/playbook/version-number.js';
import { EnrollmentRequest } from '../../../engine/accounts/enrollment-request.js';
import { SimulationRequest, TimelineEntry } from '../../../engine/simulator/schemas.js';
import type { AppContext } from '../../context.js';
import {
  createPlaybook,
  enrollableVersion,
  findPlaybook,
  findVersion,
  InvalidPlaybookError,
  pagePlaybooks,
  pageVersions,
  publishDraft,
  setArchived,
  updateDraft,
  VERSION_NOTE_MAX,
} from '../../playbooks/store.js';
import { enroll, impactOf } from '../../playbooks/runs.js';
import { previewPlaybook } from '../../playbooks/preview.js';
import { previewSettingsFor } from '../../settings/preview-settings.js';
import { parseFrequencyCap } from '../../email/frequency-cap.js';
import { compileContext } from '../../playbooks/compile-context.js';
import { accountSnapshot, findAccountByExternalId } from '../../accounts/store.js';
import type { Db } from '../../db/database.js';
import { recordAudit } from '../../audit/log.js';
import type { OutboundPolicy } from '../../effects/outbound-guard.js';
import { outboundIssues } from '../../playbooks/outbound-check.js';
import { describeTrigger } from '../../../engine/triggers/describe.js';
import type { Trigger } from '../../../engine/playbook/triggers.js';
import { route } from '../route.js';
import { NextCursor, WholeListPage } from '../paging.js';
import { accountOwners, accountOwnersByExternalId } from '../../auth/ownership.js';
import { DESIGNERS, ACCOUNT_TEAM, EVERYONE } from '../roles.js';

// The body carries the definition as drawn; it is checked by the compiler (every issue, per node), not rejected
// by the body schema, so a half-finished draft can still be saved.
const DefinitionBody = z.object({
  definition: z.unknown().meta({ override: { $ref: '#/components/schemas/PlaybookDefinition' } }),
});
/**
 * Saving a draft takes work in progress: any object with a key and a name is stored, and the answer lists every
 * problem. The document says so, rather than promising that only a complete PlaybookDefinition is accepted.
 */
const { $schema: _, ...draftKeySchema } = z.toJSONSchema(PlaybookKey);
const DraftBody = z.object({
  definition: z.unknown().meta({
    override: {
      type: 'object',
      required: ['key', 'name'],
      properties: {
        key: draftKeySchema,
        name: { type: 'string', minLength: 1 },
      },
      additionalProperties: true,
      description:
        'The playbook as drawn, possibly unfinished: key and name are needed to file it, and every problem comes back in `issues`. A complete one is a PlaybookDefinition.',
    },
  }),
});
const PlaybookRef = z.object({ id: z.string().min(1).max(100) });

const Playbook = z
  .object({
    id: z.string(),
    key: z.string(),
    name: z.string(),
    draft: z.unknown(),
    currentVersion: z.number().nullable(),
    updatedAt: z.string(),
    archivedAt: z
      .string()
      .nullable()
      .meta({ description: 'Set while archived: the playbook enrolls no one; running runs finish on their version.' }),
  })
  .meta({ id: 'Playbook' });
const PublishedVersion = z
  .object({
    version: z.number(),
    checksum: z.string(),
    publishedAt: z.string(),
    publishedBy: z
      .string()
      .nullable()
      .meta({ description: "Who published it: a person's email or `token '<name>'`; null for shipped seeds." }),
    note: z.string().nullable().meta({ description: 'Why it was published, as the publisher wrote it.' }),
  })
  .meta({ id: 'PublishedVersion' });
const PlaybookWithIssues = z.object({
  playbook: Playbook,
  issues: z.array(Issue).meta({ description: 'Problems of the draft; empty when it can be published.' }),
});

const issuesOf = async (db: Db, definition: unknown, outbound: OutboundPolicy | undefined) => {
  const result = compilePlaybook(definition, await compileContext(db));
  return result.ok ? outboundIssues(result.playbook, outbound) : result.issues;
};

/** The triggers of each playbook's current version, by playbook id (one query for the whole list). */
async function currentTriggers(db: Db): Promise<Map<string, Trigger[]>> {
  const rows = await db
    .selectFrom('playbook_versions as v')
    .innerJoin('playbooks as p', (join) =>
      join.onRef('p.id', '=', 'v.playbook_id').onRef('p.current_version', '=', 'v.version'),
    )
    .select(['v.playbook_id', 'v.compiled'])
    .execute();
  return new Map(rows.map((row) => [row.playbook_id, (row.compiled as { triggers?: Trigger[] }).triggers ?? []]));
}

export const playbookRoutes = (ctx: AppContext) => {
  const db = ctx.database.db;
  return [
    route({
      method: 'get',
      path: '/api/playbooks',
      tag: 'playbooks',
      access: { roles: EVERYONE, scope: 'read' },
      summary:
        'Every playbook with its current published version, archived ones included (see archivedAt), and what enrolls it; by name.',
      query: WholeListPage,
      response: z.object({
        items: z.array(
          Playbook.omit({ draft: true }).extend({
            enrolledBy: z.array(z.string()).meta({
              description:
                'What enrolls it, from the current version’s triggers (e.g. "event subscription.created", "the daily sweep 120 days before renewalDate", "by hand"); empty while unpublished.',
            }),
          }),
        ),
        nextCursor: NextCursor,
      }),
      errors: [400],
      async handler({ query }) {
        const page = await pagePlaybooks(db, query);
        const triggers = await currentTriggers(db);
        return {
          items: page.items.map(({ draft: _draft, ...rest }) => ({
            ...rest,
            enrolledBy: (triggers.get(rest.id) ?? []).map(describeTrigger),
          })),
          nextCursor: page.nextCursor,
        };
      },
    }),
    route({
      method: 'post',
      path: '/api/playbooks',
      tag: 'playbooks',
      access: { roles: DESIGNERS, scope: 'playbooks:write' },
      summary: 'Creates a playbook from a definition (saved as its draft, with the problems found).',
      body: DraftBody,
      status: 201,
      response: PlaybookWithIssues,
      errors: [409],
      async handler({ body }) {
        const playbook = await createPlaybook(db, body.definition);
        return { playbook, issues: await issuesOf(db, body.definition, ctx.outbound) };
      },
    }),
    route({
      method: 'post',
      path: '/api/playbooks/validate',
      tag: 'playbooks',
      access: { roles: EVERYONE, scope: 'read' },
      summary: 'Checks a definition without saving it: 200 when it compiles, 422 with every problem and its step.',
      body: DefinitionBody,
      response: z.object({ ok: z.literal(true), checksum: z.string(), steps: z.number() }),
      errors: [422],
      async handler({ body }) {
        const result = compilePlaybook(body.definition, await compileContext(db));
        if (!result.ok) throw new InvalidPlaybookError(result.issues);
        const refused = outboundIssues(result.playbook, ctx.outbound);
        if (refused.length > 0) throw new InvalidPlaybookError(refused);
        return {
          ok: true as const,
          checksum: result.playbook.checksum,
          steps: Object.keys(result.playbook.nodes).length,
        };
      },
    }),
    route({
      // Outside /api/playbooks/: there, `compile-context` would also be a playbook key.
      method: 'get',
      path: '/api/compile-context',
      tag: 'playbooks',
      access: { roles: DESIGNERS, scope: 'read' },
      summary:
        'What playbooks are compiled against here — the templates with the variables each reads, the custom account fields, and the CSMs and teams assignOwner steps may name — so an editor checks a draft as the server will.',
      response: CompileContext,
      async handler() {
        return compileContext(db);
      },
    }),
    route({
      method: 'get',
      path: '/api/playbooks/:id',
      tag: 'playbooks',
      access: { roles: EVERYONE, scope: 'read' },
      summary: 'One playbook (by id or key) with its draft and the draft’s problems.',
      params: PlaybookRef,
      response: PlaybookWithIssues,
      errors: [404],
      async handler({ params }) {
        const playbook = await findPlaybook(db, params.id);
        return { playbook, issues: await issuesOf(db, playbook.draft, ctx.outbound) };
      },
    }),
    route({
      method: 'put',
      path: '/api/playbooks/:id',
      tag: 'playbooks',
      access: { roles: DESIGNERS, scope: 'playbooks:write' },
      summary: 'Saves the draft. Published versions and running enrollments do not change.',
      params: PlaybookRef,
      body: DraftBody,
      response: PlaybookWithIssues,
      errors: [404],
      async handler({ params, body }) {
        const playbook = await updateDraft(db, params.id, body.definition);
        return { playbook, issues: await issuesOf(db, body.definition, ctx.outbound) };
      },
    }),
    route({
      method: 'post',
      path: '/api/playbooks/:id/publish',
      tag: 'playbooks',
      access: { roles: DESIGNERS, scope: 'playbooks:publish' },
      summary:
        'Compiles the draft into the next immutable version. Runs already going keep their version. A draft that compiles to the current version answers with it (unchanged: true) instead of a new version.',
      params: PlaybookRef,
      body: z.object({
        note: z.string().trim().max(VERSION_NOTE_MAX).optional().meta({
          description: 'Why this version: kept with it and listed with the versions. Not kept when unchanged.',
        }),
      }),
      status: 201,
      response: z.object({
        version: z.number(),
        checksum: z.string(),
        unchanged: z
          .boolean()
          .meta({ description: 'True when the draft is the current version: nothing was published.' }),
      }),
      errors: [404, 422],
      async handler({ params, body, principal }) {
        const published = await publishDraft(db, params.id, ctx.outbound, { note: body.note, principal });
        if (!published.unchanged) {
          await recordAudit(db, {
            actor: principal!,
            action: 'playbook.published',
            target: { kind: 'playbook', id: params.id },
            detail: { version: published.version, checksum: published.checksum },
          });
        }
        return published;
      },
    }),
    route({
      method: 'get',
      path: '/api/playbooks/:id/versions',
      tag: 'playbooks',
      access: { roles: EVERYONE, scope: 'read' },
      summary: 'Published versions, newest first, with who published each and their note.',
      params: PlaybookRef,
      query: WholeListPage,
      response: z.object({ items: z.array(PublishedVersion), nextCursor: NextCursor }),
      errors: [404],
      async handler({ params, query }) {
        const playbook = await findPlaybook(db, params.id);
        return pageVersions(db, playbook.id, query);
      },
    }),
    route({
      method: 'get',
      path: '/api/playbooks/:id/versions/:version',
      tag: 'playbooks',
      access: { roles: EVERYONE, scope: 'read' },
      summary: 'One published version with its definition as drawn, e.g. to compare the draft with it.',
      params: PlaybookRef.extend({ version: VersionParam }),
      response: PublishedVersion.extend({
        definition: z.unknown().meta({ override: { $ref: '#/components/schemas/PlaybookDefinition' } }),
      }),
      errors: [404],
      async handler({ params }) {
        return findVersion(db, await findPlaybook(db, params.id), params.version);
      },
    }),
    route({
      method: 'get',
      path: '/api/playbooks/:id/impact',
      tag: 'playbooks',
      access: { roles: EVERYONE, scope: 'read' },
      summary:
        'How many in-flight runs of the current version stand at each step — what a new version would leave on the old one.',
      params: PlaybookRef,
      response: z.object({
        version: z.number().nullable(),
        inFlight: z.number(),
        byNode: z.record(z.string(), z.number()),
      }),
      errors: [404],
      async handler({ params }) {
        const playbook = await findPlaybook(db, params.id);
        if (playbook.currentVersion === null) return { version: null, inFlight: 0, byNode: {} };
        return impactOf(ctx, playbook.key, playbook.currentVersion);
      },
    }),
    route({
      method: 'post',
      path: '/api/playbooks/:id/simulate',
      tag: 'playbooks',
      access: { roles: EVERYONE, scope: 'read' },
      summary:
        'Time-travel preview of the draft for an account profile and scripted events: the timeline with why each step falls when it does.',
      params: PlaybookRef,
      body: SimulationRequest,
      response: z.object({
        timeline: z.array(TimelineEntry),
        endNodeId: z.string(),
        endedAt: z.string(),
        exited: z
          .object({ label: z.string(), reason: z.string(), goal: z.string().optional() })
          .optional()
          .meta({ description: 'Set when an exit criterion, a superseding run or an operator ended the run early.' }),
        failed: z.object({ nodeId: z.string(), reason: z.string() }).optional().meta({
          description: 'Set when a step failed for good with no failure route: the run ended there, and why.',
        }),
      }),
      errors: [404, 422],
      async handler({ params, body }) {
        const playbook = await findPlaybook(db, params.id);
        const result = compilePlaybook(playbook.draft, await compileContext(db));
        if (!result.ok) throw new InvalidPlaybookError(result.issues);
        // The account's calendar and contact governance, resolved as enrollment and the sender resolve them.
        const installed = await previewSettingsFor(
          { db, temporal: ctx.temporal, envCap: parseFrequencyCap(ctx.config.MAIL_FREQUENCY_CAP) },
          result.playbook.key,
          body,
        );
        return previewPlaybook(result.playbook, body, undefined, installed);
      },
    }),
    route({
      method: 'post',
      path: '/api/playbooks/:id/enrollments',
      tag: 'runs',
      access: {
        roles: ACCOUNT_TEAM,
        scope: 'runs:write',
        // An account described inline is nobody's: only roles not bound by ownership enroll one.
        owner: {
          what: 'the account',
          of: async ({ body }) => [
            body.account
              ? { csms: [], manager: null }
              : body.accountId
                ? await accountOwners(db, body.accountId)
                : await accountOwnersByExternalId(db, body.externalId!),
          ],
        },
      },
      summary:
        'Enrolls an account by hand in the current version — a stored account (accountId or externalId) or one described inline; the enrollment policy decides whether a second run may start.',
      params: PlaybookRef,
      body: EnrollmentRequest,
      status: 201,
      response: z.object({ workflowId: z.string(), runId: z.string(), version: z.number() }),
      errors: [404, 409],
      async handler({ params, body }) {
        const version = await enrollableVersion(db, params.id);
        const account =
          body.account ??
          (await accountSnapshot(db, body.accountId ?? (await findAccountByExternalId(db, body.externalId!)).id));
        return enroll(ctx, version, account);
      },
    }),
    route({
      method: 'post',
      path: '/api/playbooks/:id/archive',
      tag: 'playbooks',
      access: { roles: DESIGNERS, scope: 'playbooks:write' },
      summary:
        'Archives a playbook: it enrolls no one from now on (manual enrollments answer 409, triggers skip it); runs already going finish on their version.',
      params: PlaybookRef,
      response: Playbook.omit({ draft: true }),
      errors: [404],
      async handler({ params, principal }) {
        const { draft: _draft, ...rest } = await setArchived(db, params.id, true);
        await recordAudit(db, {
          actor: principal!,
          action: 'playbook.archived',
          target: { kind: 'playbook', id: rest.key },
        });
        return rest;
      },
    }),
    route({
      method: 'post',
      path: '/api/playbooks/:id/unarchive',
      tag: 'playbooks',
      access: { roles: DESIGNERS, scope: 'playbooks:write' },
      summary: 'Brings an archived playbook back: its current version enrolls accounts again.',
      params: PlaybookRef,
      response: Playbook.omit({ draft: true }),
      errors: [404],
      async handler({ params, principal }) {
        const { draft: _draft, ...rest } = await setArchived(db, params.id, false);
        await recordAudit(db, {
          actor: principal!,
          action: 'playbook.unarchived',
          target: { kind: 'playbook', id: rest.key },
        });
        return rest;
      },
    }),
  ];
};
