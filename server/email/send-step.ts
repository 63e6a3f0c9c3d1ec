import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Account } from '../../engine/accounts/schema.js';
import { capPeriodMs, decideEmail, type EmailDecision, type SentEmail } from '../../engine/governance/decide.js';
import type { EffectOutcome } from '../../engine/interpreter/types.js';
import type { EmailTemplateContent } from '../../engine/templates/schema.js';
import { findAccount, snapshotFields } from '../accounts/store.js';
import type { Db } from '../db/database.js';
import { isUuid } from '../db/uuid.js';
import { logStep, stepLogRow, type Deliverer, type EffectStep } from '../effects/perform.js';
import { isDomainError } from '../errors.js';
import { ownerCsmOf } from '../people/csm-profiles.js';
import { rescueOpen } from '../settings/rescue.js';
import { governanceSettings } from '../settings/run-settings.js';
import { findTemplate } from '../templates/store.js';
import type { FrequencyCap } from './frequency-cap.js';
import { groupCommit } from './group-commit.js';
import { openPixelUrl, trackLinks, unsubscribeUrl } from './links.js';
import {
  findOutboxRowByKey,
  insertFreshOutboxRows,
  markOutboxRowsSent,
  moveOutboxRow,
  requeueSending,
  type FreshOutboxRow,
  type OutboxRow,
} from './outbox.js';
import { contactStanding, emailRecipients, type Recipient } from './recipients.js';
import { HELD_AT_RELAY, type RelayLookup } from './relay-lookup.js';
import { classifySmtpError, mayHaveArrived, SmtpTemporaryError } from './smtp-errors.js';
import { renderEmail, templateVariables } from './templates/index.js';
import type { CsmInput } from './templates/variables.js';
import { senderDomain, transmit } from './transmit.js';
import { SENDING_SETTLES_AFTER_MS, type MailTransport } from './transport.js';

/** Where a send attempt stands; tests inject a failure (a "killed" worker) at each one. */
export type SendPoint = 'beforeQueued' | 'afterQueued' | 'afterSending' | 'afterSmtpAccepted' | 'afterSent';
export type SendFailpoint = (
  point: SendPoint,
  at: { recipient: string; stepKey: string; attempt: number },
) => void | Promise<void>;

/** What sending playbook emails needs beyond the transport: links, the footer, the cap. */
export interface EmailSettings {
  /** Where recipients reach Stayflow: unsubscribe and click links. */
  publicUrl: string;
  /** Signs those links (LINK_SECRET or the install's stored one). */
  linkSecret: string;
  frequencyCap?: FrequencyCap;
  company?: string;
  postalAddress?: string;
  openTracking?: boolean;
  /** Test-only: called at each point of a send; a throw there is a worker dying at that point. */
  failpoint?: SendFailpoint;
  /**
   * Asks the relay whether it holds a message (by our Message-ID): true held, false not, undefined it cannot say.
   * Set where the relay can answer (the in-process catcher); an email left `sending` by a dead attempt is then
   * settled `sent` when the relay has it, instead of `uncertain`.
   */
  relayHolds?: RelayLookup;
}

type EmailStep = EffectStep<Extract<EffectStep['effect'], { kind: 'email' }>>;
type RecipientResult = { status: 'sent' | 'skipped' | 'failed'; email: string; reason?: string };

/** A temporary SMTP failure: Temporal retries the step with backoff; recipients already sent are not sent again. */
class TryAgain extends Error {}

/** What one recipient's email comes to before anything is claimed: skip it, fail it, or send this. */
type Prepared =
  | { settle: 'skipped' | 'failed'; reason: string }
  | { settle?: undefined; rendered: NonNullable<FreshOutboxRow['rendered']> };

/**
 * The email step's deliverer: renders the template for each recipient and sends it through the outbox, at most
 * once per (run, step, recipient). See docs/architecture.md ("Sending") for the states and the one window SMTP
 * cannot close.
 *
 * A first attempt writes each recipient's row once it is ready to go — already `sending`, with what goes out, in
 * the same statement as the step log — and marks it `sent` after SMTP: two commits per email, each shared with
 * the concurrent sends of this worker (group-commit.ts). A retry finds the row its earlier attempt left and goes on
 * from its state (a `queued` row, refused for now before, is claimed again; see `answer`).
 */
export function emailDeliverer(deps: {
  db: Db;
  transport: MailTransport;
  from: string;
  settings: EmailSettings;
  /** Asked whether a rescue is open for the account (the quiet period); unset: never. */
  temporal?: Client;
}): ((step: EmailStep) => Promise<EffectOutcome>) & Pick<Deliverer<EmailStep['effect']>, 'logsStep'> {
  const { db, settings } = deps;
  const fail = async (point: SendPoint, step: EmailStep, recipient: string) =>
    settings.failpoint?.(point, { recipient, stepKey: step.stepKey, attempt: step.attempt });
  // The claims before SMTP and the `sent` marks after it, each committed before its caller goes on.
  const claim = groupCommit((rows: readonly FreshOutboxRow[]) => insertFreshOutboxRows(db, rows));
  const markSent = groupCommit((rows: readonly { id: string; smtpResponse: string }[]) => markOutboxRowsSent(db, rows));

  async function sendTo(
    step: EmailStep,
    account: Account,
    fields: Record<string, unknown>,
    template: EmailTemplateContent,
    recipient: Recipient,
    govern: (sent: SentEmail[]) => EmailDecision | Promise<EmailDecision>,
    /** The frequency cap's period, when there is one: the emails sent within it count. */
    capMs: number | undefined,
    csm: () => Promise<CsmInput>,
  ): Promise<RecipientResult> {
    const { run, effect } = step;
    const email = recipient.email.toLowerCase();
    const key = { workflowId: step.workflowId, runId: step.runId, stepKey: step.stepKey, recipient: email };
    await fail('beforeQueued', step, email);

    /** The checks at the moment of sending (unsubscribed, contact governance), then the email as it will go out. */
    const prepare = async (outboxId: string): Promise<Prepared> => {
      if (recipient.contactId) {
        const standing = await contactStanding(
          db,
          { id: recipient.contactId, email },
          capMs === undefined ? undefined : { since: new Date(Date.now() - capMs), exceptId: outboxId },
        );
        if (standing.unsubscribed) return { settle: 'skipped', reason: `${email}: unsubscribed` };
        const decision = await govern(standing.sent);
        if (!decision.send) return { settle: 'skipped', reason: `${email}: ${decision.reason}` };
      }
      const unsubscribe = recipient.contactId
        ? await unsubscribeUrl(settings.publicUrl, settings.linkSecret, account.id, recipient.contactId)
        : undefined;
      let rendered;
      try {
        rendered = await renderEmail(template, {
          variables: templateVariables({
            account: { fields },
            contact: { name: recipient.name, email: recipient.email },
            csm: await csm(),
            run: { playbook: run?.playbookName, day: run?.day },
            approval: effect.approval,
            trigger: effect.trigger,
          }),
          locale: { contact: recipient.locale, account: account.locale },
          footer: {
            unsubscribeUrl: unsubscribe,
            company: settings.company,
            address: settings.postalAddress,
            staff: !recipient.contactId,
          },
        });
      } catch (error) {
        // A template that does not render now will not render on a retry either.
        return {
          settle: 'failed',
          reason: `${email}: the template '${effect.template}' did not render: ${(error as Error).message}`,
        };
      }
      let html = await trackLinks(rendered.html, {
        publicUrl: settings.publicUrl,
        secret: settings.linkSecret,
        outboxId,
        keep: unsubscribe ? [unsubscribe] : [],
      });
      if (settings.openTracking) {
        const pixel = await openPixelUrl(settings.publicUrl, settings.linkSecret, outboxId);
        html = html.replace(
          '</body>',
          `<img src="${pixel}" width="1" height="1" alt="" style="display: none;">\n</body>`,
        );
      }
      const headers: Record<string, string> = unsubscribe
        ? { 'List-Unsubscribe': `<${unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
        : {};
      return { rendered: { subject: rendered.subject, html, text: rendered.text, locale: rendered.locale, headers } };
    };

    /** Hands a claimed (`sending`) row to SMTP and records how that ended. */
    const send = async (row: OutboxRow): Promise<RecipientResult> => {
      await fail('afterSending', step, email);
      // An attempt Temporal has given up on (alive, but its heartbeat timed out) does not start the transaction: a
      // newer attempt may be settling this row. The row stays `sending` for it.
      // This attempt never started the transaction, so the row goes back to `queued`: the newer attempt sends it
      // without waiting out the fence a cut-off send needs.
      if (step.givenUp?.()) {
        const reason = `${email}: this attempt was given up on before it sent`;
        await requeueSending(db, row.id, row.updated_at, 0, reason);
        throw new TryAgain(reason);
      }
      let reply: string;
      try {
        reply = await transmit(deps.transport, deps.from, row);
      } catch (error) {
        const failure = classifySmtpError(error, email);
        if (mayHaveArrived(error)) {
          // The row stays `sending`: the next attempt asks the relay or marks it uncertain; never sent blindly again.
          if (!step.lastAttempt) throw new TryAgain(failure.reason);
          const reason = `${email}: delivery uncertain — ${failure.reason.slice(email.length + 2)}`;
          await moveOutboxRow(db, row.id, ['sending'], 'uncertain', { lastError: reason });
          return { status: 'failed', email, reason };
        }
        if (failure.kind === 'permanent') {
          await moveOutboxRow(db, row.id, ['sending'], 'failed', { lastError: failure.reason });
          return { status: 'failed', email, reason: failure.reason };
        }
        if (step.lastAttempt) {
          const reason = `${failure.reason} (gave up after ${step.attempt} attempts)`;
          await moveOutboxRow(db, row.id, ['sending'], 'failed', { lastError: reason });
          return { status: 'failed', email, reason };
        }
        // Refused for now (4xx) or never connected: the server does not have it, so the next attempt may send.
        await moveOutboxRow(db, row.id, ['sending'], 'queued', { lastError: failure.reason });
        throw new TryAgain(failure.reason);
      }
      await fail('afterSmtpAccepted', step, email);
      // From `uncertain` too (markOutboxRowsSent): a slow attempt that finishes after a retry gave up knows the truth.
      await markSent({ id: row.id, smtpResponse: reply });
      await fail('afterSent', step, email);
      return { status: 'sent', email };
    };

    /** Where a row an attempt left stands: its answer, or undefined for `queued` (to be claimed and sent). */
    const answer = async (found: OutboxRow): Promise<RecipientResult | undefined> => {
      switch (found.state) {
        case 'queued':
          return undefined;
        case 'sent':
          return { status: 'sent', email };
        case 'skipped':
        case 'failed':
          return { status: found.state, email, reason: found.last_error ?? found.state };
        case 'sending': {
          // An earlier attempt stopped between "sending" and "sent": the server may have the email. A relay that
          // can say settles it; otherwise sending again could deliver it twice, so it waits for the settle action
          // (POST /api/outbox/deliveries/:id/settle) or a person's resend.
          const holds = await settings.relayHolds?.(found.message_id);
          if (holds === true) {
            await moveOutboxRow(db, found.id, ['sending'], 'sent', { smtpResponse: HELD_AT_RELAY, lastError: null });
            return { status: 'sent', email };
          }
          if (holds === false) {
            // The relay says it does not have it. That is an answer once no attempt can still be mid-transaction
            // (the claim is older than an SMTP transaction can last): the email never arrived, so it goes again.
            // Before then an attempt that is slow, not dead, could still deliver it: ask again after a backoff.
            const requeued = await requeueSending(
              db,
              found.id,
              found.updated_at,
              SENDING_SETTLES_AFTER_MS,
              `${email}: an earlier attempt stopped while sending and the relay does not hold it; sent again`,
            );
            if (requeued) return undefined;
            if (!step.lastAttempt) {
              throw new TryAgain(
                `${email}: an earlier attempt stopped while sending; the relay is asked again shortly`,
              );
            }
          }
          const reason = `${email}: delivery uncertain — an earlier attempt stopped while sending; resend by hand if it did not arrive`;
          await moveOutboxRow(db, found.id, ['sending'], 'uncertain', { lastError: reason });
          return { status: 'failed', email, reason };
        }
        case 'uncertain':
          return { status: 'failed', email, reason: found.last_error ?? `${email}: delivery uncertain` };
        default: {
          const never: never = found.state;
          throw new Error(`unknown outbox state ${String(never)}`);
        }
      }
    };

    /** Goes on from a row an earlier (or a concurrent) attempt wrote. */
    const resume = async (row: OutboxRow): Promise<RecipientResult> => {
      const known = await answer(row);
      if (known) return known;
      const prepared = await prepare(row.id);
      await fail('afterQueued', step, email);
      if (prepared.settle) {
        await moveOutboxRow(db, row.id, ['queued'], prepared.settle, { lastError: prepared.reason });
        return { status: prepared.settle, email, reason: prepared.reason };
      }
      // Recorded immediately before the SMTP call: from here until "sent" is the window SMTP cannot close.
      const claimed = await moveOutboxRow(db, row.id, ['queued'], 'sending', { rendered: prepared.rendered });
      if (claimed) return send(claimed);
      // Another attempt of this step moved the row meanwhile; answer by where it stands now.
      const now = await db.selectFrom('email_outbox').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
      return (await answer(now)) ?? { status: 'failed', email, reason: `${email}: could not be claimed for sending` };
    };

    // A retry looks for the row its earlier attempt left; a first attempt has none (one written meanwhile by a
    // concurrent attempt makes the insert below a no-op, and this attempt then goes on from that row instead).
    const earlier = step.attempt > 1 ? await findOutboxRowByKey(db, key) : undefined;
    if (earlier) return resume(earlier);
    const id = randomUUID();
    const prepared = await prepare(id);
    await fail('afterQueued', step, email);
    // The claim: the row, born `sending` with what goes out (or already skipped/failed), and the step log, committed
    // before the SMTP call. From here until "sent" is the window SMTP cannot close.
    const inserted = await claim({
      ...key,
      id,
      recipientName: recipient.name,
      nodeId: effect.nodeId,
      accountId: account.id,
      contactId: recipient.contactId,
      templateKey: effect.template,
      messageIdDomain: senderDomain(deps.from),
      stepLog: stepLogRow(step),
      ...(prepared.settle
        ? { state: prepared.settle, lastError: prepared.reason }
        : { state: 'sending', rendered: prepared.rendered }),
    });
    if (!inserted) return resume((await findOutboxRowByKey(db, key))!);
    if (prepared.settle) return { status: prepared.settle, email, reason: prepared.reason };
    return send(inserted);
  }

  const deliverEmail = async (step: EmailStep): Promise<EffectOutcome> => {
    let logged = false;
    const outcome = await deliverTo(step, () => (logged = true));
    // Every way out that wrote no outbox row still records the step (the outbox insert carries it otherwise).
    if (!logged) await logStep(db, step);
    return outcome;
  };
  return Object.assign(deliverEmail, { logsStep: true as const });

  async function deliverTo(step: EmailStep, rowWritten: () => void): Promise<EffectOutcome> {
    const { effect } = step;
    const accountId = step.run?.accountId;
    // A run for an account given inline at enrollment (never stored) has no contacts to write to.
    if (!accountId || !isUuid(accountId)) {
      return { status: 'skipped', detail: 'the account is not stored in Stayflow, so it has no contacts' };
    }
    // The account, the template and contact governance are independent reads: on PostgreSQL they run at once.
    const [account, template, { value: rules }] = await Promise.all([
      findAccount(db, accountId).catch((error: unknown) => {
        if (isDomainError(error, 'not_found')) return undefined;
        throw error;
      }),
      findTemplate(db, effect.template).catch((error: unknown) => {
        if (isDomainError(error, 'not_found')) return undefined;
        throw error;
      }),
      governanceSettings(db, settings.frequencyCap),
    ]);
    if (!account) return { status: 'skipped', detail: 'the account was deleted' };
    if (!template) return { status: 'failed', detail: `the email template '${effect.template}' no longer exists` };
    const fields = snapshotFields(account);
    const { recipients, none } = await emailRecipients(db, account, effect.recipients);
    if (recipients.length === 0) return { status: 'skipped', detail: none ?? 'nobody to write to' };

    // Contact governance (engine/governance/decide.ts, the preview's decision too): the install's saved rules, or
    // MAIL_FREQUENCY_CAP with the shipped exemptions; Temporal is asked about a rescue only when the answer matters.
    let rescue: Promise<boolean> | undefined;
    const capMs = rules.frequencyCap ? capPeriodMs(rules.frequencyCap) : undefined;
    const govern = async (sent: SentEmail[]): Promise<EmailDecision> => {
      const playbookKey = step.run?.playbookKey;
      const promotional = playbookKey !== undefined && rules.playbooks[playbookKey]?.promotional === true;
      const rescueIsOpen = promotional ? await (rescue ??= rescueOpen(deps.temporal, rules, account.id)) : false;
      return decideEmail({ rules, playbookKey, at: Date.now(), sent, rescueOpen: rescueIsOpen });
    };
    // The owner CSM signs every recipient's email alike: read once per step, when a render first needs it.
    let csm: Promise<CsmInput> | undefined;
    const ownerCsm = () => (csm ??= ownerCsmOf(db, account));

    const results: RecipientResult[] = [];
    let retry: TryAgain | undefined;
    // Every recipient gets its try before a temporary failure asks for a retry, which then skips those sent.
    for (const recipient of recipients) {
      step.heartbeat?.();
      try {
        results.push(await sendTo(step, account, fields, template, recipient, govern, capMs, ownerCsm));
        rowWritten();
      } catch (error) {
        if (!(error instanceof TryAgain)) throw error;
        retry ??= error;
      }
    }
    if (retry) throw new SmtpTemporaryError(retry.message);

    const by = (status: RecipientResult['status']) => results.filter((r) => r.status === status);
    const sent = by('sent');
    const notes = [...by('failed'), ...by('skipped')].map((r) => r.reason ?? r.email);
    if (by('failed').length > 0) {
      const also = sent.length ? `; sent to ${sent.map((r) => r.email).join(', ')}` : '';
      return { status: 'failed', detail: `${notes.join('; ')}${also}` };
    }
    if (sent.length === 0) return { status: 'skipped', detail: notes.join('; ') };
    const skipped = notes.length ? `; ${notes.join('; ')}` : '';
    return { status: 'done', detail: `sent to ${sent.map((r) => r.email).join(', ')}${skipped}` };
  }
}
