import { recordAudit, type AuditActor } from '../audit/log.js';
import type { Db } from '../db/database.js';
import { DomainError, notFound } from '../errors.js';
import { parseRunId } from '../playbooks/run-id.js';
import { findOutboxRow, moveOutboxRow, type OutboxRow } from './outbox.js';
import { HELD_AT_RELAY, type RelayLookup } from './relay-lookup.js';
import { resendUncertain } from './resend.js';
import type { MailTransport } from './transport.js';

// Settling an email whose delivery is uncertain (a worker stopped between "sending" and "sent"), without guessing:
// the relay is asked first where it can answer (by our Message-ID); only when it cannot, or does not hold the
// email, does the playbook's policy decide whether it goes again. Every decision is in the audit log.

/** What to do with an uncertain email the relay cannot vouch for: send it again once, or leave it failed. */
export type UncertainPolicy = 'resend' | 'leave';

/** The policy per playbook (by key), and for playbooks it does not name. */
export interface SettlePolicy {
  default: UncertainPolicy;
  playbooks?: Record<string, UncertainPolicy>;
}

/** How one email was settled: found at the relay, sent again, or left failed. */
export type SettleOutcome = 'held' | 'resent' | 'left';

export interface SettleDeps {
  db: Db;
  transport: MailTransport;
  from: string;
  /** Unset: the relay cannot be asked, so the policy decides every email. */
  relayHolds?: RelayLookup;
}

/** The playbook an email belongs to (its run's workflow id names it), and the policy that applies to it. */
function policyFor(row: OutboxRow, policy: SettlePolicy) {
  const playbook = parseRunId(row.workflow_id)?.playbookKey;
  return { playbook: playbook ?? null, use: (playbook && policy.playbooks?.[playbook]) ?? policy.default };
}

/**
 * Settles one uncertain email: `sent` when the relay holds it; else, by the playbook's policy, sent again once
 * (same Message-ID) or `failed` with the reason. 409 for an email that is not uncertain (settled already).
 */
export async function settleUncertain(
  deps: SettleDeps,
  id: string,
  policy: SettlePolicy,
  by: { actor: AuditActor; ip?: string | null },
): Promise<{ outcome: SettleOutcome; row: OutboxRow }> {
  const row = await findOutboxRow(deps.db, id);
  if (!row) throw notFound(`Email ${id}`);
  if (row.state !== 'uncertain') {
    throw new DomainError(
      'conflict',
      'not_uncertain',
      `Only an email whose delivery is uncertain can be settled; this one is ${row.state}`,
    );
  }
  const held = await deps.relayHolds?.(row.message_id);
  const { playbook, use } = policyFor(row, policy);
  let outcome: SettleOutcome;
  let settled: OutboxRow | undefined;
  if (held === true) {
    outcome = 'held';
    settled = await moveOutboxRow(deps.db, id, ['uncertain'], 'sent', { smtpResponse: HELD_AT_RELAY, lastError: null });
  } else if (use === 'resend') {
    outcome = 'resent';
    settled = await resendUncertain(deps, id).catch((error: unknown) => {
      if (error instanceof DomainError && error.code === 'not_uncertain') return undefined;
      throw error;
    });
  } else {
    outcome = 'left';
    const why = held === false ? 'the relay does not hold it' : 'the relay cannot say whether it has it';
    settled = await moveOutboxRow(deps.db, id, ['uncertain'], 'failed', {
      lastError: `${row.last_error ?? `${row.recipient}: delivery uncertain`}; left unsent by policy (${why})`,
    });
  }
  if (!settled) {
    // Another settle or resend moved it meanwhile: answer where it stands now, as a conflict.
    const now = (await findOutboxRow(deps.db, id))!;
    throw new DomainError('conflict', 'not_uncertain', `The email was settled meanwhile; it is ${now.state}`);
  }
  await recordAudit(deps.db, {
    actor: by.actor,
    action: 'email.settled',
    target: { kind: 'email', id },
    detail: {
      outcome,
      state: settled.state,
      relay: held === undefined ? 'cannot say' : held ? 'holds it' : 'does not hold it',
      ...(outcome !== 'held' && { policy: use }),
      playbook,
      recipient: row.recipient,
      messageId: row.message_id,
      workflowId: row.workflow_id,
    },
    ip: by.ip,
  });
  return { outcome, row: settled };
}

/** Settles every uncertain email (oldest first, up to `limit`); each answers for itself. */
export async function settleAllUncertain(
  deps: SettleDeps,
  policy: SettlePolicy,
  by: { actor: AuditActor; ip?: string | null },
  limit = 500,
): Promise<{ id: string; outcome?: SettleOutcome; state: string; error?: string }[]> {
  const rows = await deps.db
    .selectFrom('email_outbox')
    .select('id')
    .where('state', '=', 'uncertain')
    .orderBy('updated_at')
    .limit(limit)
    .execute();
  const results = [];
  for (const { id } of rows) {
    try {
      const { outcome, row } = await settleUncertain(deps, id, policy, by);
      results.push({ id, outcome, state: row.state });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      results.push({ id, state: (await findOutboxRow(deps.db, id))?.state ?? 'gone', error: error.message });
    }
  }
  return results;
}
