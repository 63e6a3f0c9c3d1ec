import { sql } from 'kysely';
import {
  assignedDetail,
  assignmentHow,
  assignmentProblems,
  keptOwnerDetail,
  leastLoadedOf,
  nextInRotation,
  sameEmail,
} from '../../engine/playbook/assign-owner.js';
import type { OwnerChoice } from '../../engine/playbook/nodes.js';
import { reassignOpenWork } from '../approvals/store.js';
import { recordAudit } from '../audit/log.js';
import type { Db } from '../db/database.js';
import { DomainError, notFound } from '../errors.js';
import { OWNER_ROLES } from './directory.js';

/** One assignOwner step of one run, keyed like its effect (the step key is stable across retries). */
export interface OwnerAssignmentRequest {
  workflowId: string;
  runId: string;
  stepKey: string;
  nodeId: string;
  accountId: string;
  owner: OwnerChoice;
  onlyIfUnowned: boolean;
  /** The rule that made the choice apply ("segment high-touch"), for the detail. */
  basis: string;
  /** For the audit entry. */
  playbook?: { key: string; version: number };
}

export interface OwnerAssignmentResult {
  status: 'done' | 'skipped';
  /** "assigned to Ana Ruiz <ana@…> (round robin in team Lena Ortiz)", as the timeline shows it. */
  detail: string;
  /** The owner the account has after the step (lower case); null when it has none. */
  owner: string | null;
}

const refused = (code: string, message: string) => new DomainError('unprocessable', code, message);

/**
 * Makes a CSM the account's owner, once per step: in one transaction it reads back what an earlier attempt of the
 * same step did (then answers that again), else chooses — a named CSM, or the next of a team's rotation, or its
 * least loaded CSM — moves the team's cursor, writes the account's owner (and the team's manager as its CSM
 * manager), hands the account's open approvals and tasks to the new owner, and appends the audit entry. A retry
 * after a crash either finds the committed row or redoes the whole of it: the rotation never advances twice.
 * A CSM or team that is not there is `unprocessable` (the step's failure), an unknown account `not_found`.
 */
export async function assignOwner(db: Db, request: OwnerAssignmentRequest): Promise<OwnerAssignmentResult> {
  const { workflowId, runId, stepKey, owner } = request;
  return db.transaction().execute(async (tx) => {
    const earlier = await tx
      .selectFrom('owner_assignments')
      .select(['status', 'detail', 'to_email'])
      .where('workflow_id', '=', workflowId)
      .where('run_id', '=', runId)
      .where('step_key', '=', stepKey)
      .executeTakeFirst();
    if (earlier) return { status: earlier.status, detail: earlier.detail, owner: earlier.to_email };

    const account = await tx
      .selectFrom('accounts')
      .select(['id', 'owner_csm_email', 'csm_manager_email'])
      .where('id', '=', request.accountId)
      .forUpdate()
      .executeTakeFirst();
    if (!account) throw notFound(`Account ${request.accountId}`);
    const from = account.owner_csm_email?.toLowerCase() ?? null;
    const strategy = owner.kind === 'csm' ? 'csm' : owner.pick;
    const team = owner.kind === 'team' ? owner.team.toLowerCase() : null;
    const remember = (status: 'done' | 'skipped', detail: string, to: string | null) =>
      tx
        .insertInto('owner_assignments')
        .values({
          workflow_id: workflowId,
          run_id: runId,
          step_key: stepKey,
          node_id: request.nodeId,
          account_id: account.id,
          strategy,
          team,
          from_email: from,
          to_email: to,
          status,
          detail,
        })
        .execute();

    if (request.onlyIfUnowned && from) {
      const detail = keptOwnerDetail(account.owner_csm_email!);
      await remember('skipped', detail, from);
      return { status: 'skipped' as const, detail, owner: from };
    }

    const person = (email: string) =>
      tx
        .selectFrom('users')
        .select(['id', 'email', 'name', 'role', 'manager_id'])
        .where('email', '=', email.trim().toLowerCase())
        .where('deactivated_at', 'is', null)
        .executeTakeFirst();
    let to: { email: string; name: string | null };
    let managerEmail: string | null;
    let how: string;
    if (owner.kind === 'csm') {
      const csm = await person(owner.email);
      if (!csm || !(OWNER_ROLES as readonly string[]).includes(csm.role))
        throw refused('unknown_csm', assignmentProblems.unknownCsm(owner.email));
      to = csm;
      managerEmail = csm.manager_id
        ? ((await tx.selectFrom('users').select('email').where('id', '=', csm.manager_id).executeTakeFirst())?.email ??
          null)
        : null;
      how = assignmentHow(owner, request.basis);
    } else {
      const manager = await person(owner.team);
      if (!manager || manager.role !== 'manager')
        throw refused('unknown_team', assignmentProblems.unknownTeam(owner.team));
      // The team's cursor row, locked: one team's assignments happen one after the other, each reading the
      // rotation (and the counts) the one before it left.
      await tx
        .insertInto('owner_rotation_cursors')
        .values({ team: manager.email, last_email: null })
        .onConflict((oc) => oc.column('team').doNothing())
        .execute();
      const cursor = await tx
        .selectFrom('owner_rotation_cursors')
        .select('last_email')
        .where('team', '=', manager.email)
        .forUpdate()
        .executeTakeFirstOrThrow();
      const members = await tx
        .selectFrom('users')
        .select(['email', 'name'])
        .where('manager_id', '=', manager.id)
        .where('role', '=', 'csm')
        .where('deactivated_at', 'is', null)
        .execute();
      if (members.length === 0) throw refused('empty_team', assignmentProblems.emptyTeam(manager));
      let chosen: string | undefined;
      let owned: number | undefined;
      if (owner.pick === 'roundRobin') {
        chosen = nextInRotation(
          members.map((m) => m.email),
          cursor.last_email,
        );
      } else {
        const counts = await tx
          .selectFrom('accounts')
          .select([sql<string>`lower(owner_csm_email)`.as('email'), sql<number>`count(*)::int`.as('accounts')])
          .where(
            sql`lower(owner_csm_email)`,
            'in',
            members.map((m) => m.email),
          )
          .groupBy(sql`lower(owner_csm_email)`)
          .execute();
        const loads = members.map((m) => ({
          email: m.email,
          accounts: Number(counts.find((c) => c.email === m.email)?.accounts ?? 0),
        }));
        chosen = leastLoadedOf(loads);
        owned = loads.find((l) => l.email === chosen)?.accounts;
      }
      to = members.find((m) => m.email === chosen)!;
      await tx
        .updateTable('owner_rotation_cursors')
        .set({ last_email: to.email, updated_at: sql<Date>`now()` })
        .where('team', '=', manager.email)
        .execute();
      managerEmail = manager.email;
      how = assignmentHow(owner, request.basis, manager, owned);
    }

    const detail = assignedDetail(to, how);
    await tx
      .updateTable('accounts')
      .set({
        owner_csm_email: to.email,
        owner_csm_name: to.name,
        ...(managerEmail && { csm_manager_email: managerEmail }),
        updated_at: sql<Date>`now()`,
      })
      .where('id', '=', account.id)
      .execute();
    // As a PATCH of the owner does: nothing stays in the inbox of someone who no longer holds the account.
    if (from && !sameEmail(from, to.email)) await reassignOpenWork(tx, from, to.email, { accountId: account.id });
    const fromManager = account.csm_manager_email;
    if (managerEmail && fromManager && !sameEmail(fromManager, managerEmail))
      await reassignOpenWork(tx, fromManager, managerEmail, { accountId: account.id });
    await recordAudit(tx, {
      actor: {
        kind: 'system',
        name: request.playbook ? `playbook ${request.playbook.key} v${request.playbook.version}` : 'a playbook run',
      },
      action: 'account.owner_assigned',
      target: { kind: 'account', id: account.id },
      detail: {
        from,
        to: to.email,
        how,
        strategy,
        ...(team && { team }),
        workflowId,
        nodeId: request.nodeId,
      },
    });
    await remember('done', detail, to.email);
    return { status: 'done' as const, detail, owner: to.email };
  });
}
