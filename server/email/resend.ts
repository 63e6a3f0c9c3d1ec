import { moveOutboxRow, findOutboxRow, type OutboxRow } from './outbox.js';
import { classifySmtpError } from './smtp-errors.js';
import { transmit } from './transmit.js';
import type { MailTransport } from './transport.js';
import { DomainError, notFound } from '../errors.js';
import type { Db } from '../db/database.js';

/**
 * An operator's resend of an email whose delivery is uncertain (a worker stopped between handing it to the SMTP
 * server and recording the answer). Sends the recorded message again, with the same Message-ID, and records the
 * outcome; only `uncertain` rows can be resent, so no email that is known to be sent ever goes twice.
 */
export async function resendUncertain(
  deps: { db: Db; transport: MailTransport; from: string },
  id: string,
): Promise<OutboxRow> {
  const row = await findOutboxRow(deps.db, id);
  if (!row) throw notFound(`Email ${id}`);
  const claimed = await moveOutboxRow(deps.db, id, ['uncertain'], 'sending');
  if (!claimed) {
    throw new DomainError(
      'conflict',
      'not_uncertain',
      `Only an email whose delivery is uncertain can be sent again by hand; this one is ${row.state}`,
    );
  }
  try {
    const reply = await transmit(deps.transport, deps.from, claimed);
    return (await moveOutboxRow(deps.db, id, ['sending'], 'sent', { smtpResponse: reply, lastError: null }))!;
  } catch (error) {
    const failure = classifySmtpError(error, claimed.recipient);
    // Refused for now: still not delivered, still the operator's to resend.
    const to = failure.kind === 'permanent' ? 'failed' : 'uncertain';
    return (await moveOutboxRow(deps.db, id, ['sending'], to, { lastError: failure.reason }))!;
  }
}
