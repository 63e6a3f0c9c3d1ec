import type { Account } from '../../engine/accounts/schema.js';
import type { EffectOutcome } from '../../engine/interpreter/types.js';
import type { EmailTemplateContent } from '../../engine/templates/schema.js';
import { accountSnapshot, findAccount } from '../accounts/store.js';
import type { Db } from '../db/database.js';
import { findTemplate } from '../templates/store.js';
import type { EffectStep } from '../effects/perform.js';
import type { Client } from '@temporalio/client';
import { capPeriodMs, decideEmail, type EmailDecision } from '../../engine/governance/decide.js';
import { recentSendsTo, type FrequencyCap } from './frequency-cap.js';
import { governanceSettings } from '../settings/run-settings.js';
import { rescueOpen } from '../settings/rescue.js';
import { ownerCsmOf } from '../people/csm-profiles.js';
import { openPixelUrl, trackLinks, unsubscribeUrl } from './links.js';
import { moveOutboxRow, openOutboxRow, type OutboxRow } from './outbox.js';
import { emailRecipients, isUnsubscribed, type Recipient } from './recipients.js';
import { classifySmtpError, mayHaveArrived, SmtpTemporaryError } from './smtp-errors.js';
import { renderEmail, templateVariables } from './templates/index.js';
import { senderDomain, transmit } from './transmit.js';
import type { MailTransport } from './transport.js';
import { HELD_AT_RELAY, type RelayLookup } from './relay-lookup.js';
import { isUuid } from '../db/uuid.js';
import { isDomainError } from '../errors.js';

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

/**
 * The email step's deliverer: renders the template for each recipient and sends it through the outbox, at most
 * once per (run, step, recipient). See docs/architecture.md ("Sending") for the states and the one window SMTP
 * cannot close.
 */
export function emailDeliverer(deps: {
  db: Db;
  transport: MailTransport;
  from: string;
  settings: EmailSettings;
  /** Asked whether a rescue is open for the account (the quiet period); unset: never. */
  temporal?: Client;
}) {
  const { db, settings } = deps;
  const fail = async (point: SendPoint, step: EmailStep, recipient: string) =>
    settings.failpoint?.(point, { recipient, stepKey: step.stepKey, attempt: step.attempt });

  async function sendTo(
    step: EmailStep,
    account: Account,
    fields: Record<string, unknown>,
    template: EmailTemplateContent,
    recipient: Recipient,
    govern: (email: string, outboxId: string) => Promise<EmailDecision>,
  ): Promise<RecipientResult> {
    const { run, effect } = step;
    const email = recipient.email.toLowerCase();
    await fail('beforeQueued', step, email);
    let row = await openOutboxRow(db, {
      workflowId: step.workflowId,
      runId: step.runId,
      stepKey: step.stepKey,
      recipient: email,
      recipientName: recipient.name,
      nodeId: effect.nodeId,
      accountId: account.id,
      contactId: recipient.contactId,
      templateKey: effect.template,
      messageIdDomain: senderDomain(deps.from),
    });
    await fail('afterQueued', step, email);
    const settle = async (to: 'skipped' | 'failed', reason: string): Promise<RecipientResult> => {
      await moveOutboxRow(db, row.id, ['queued'], to, { lastError: reason });
      return { status: to, email, reason };
    };
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
          if ((await settings.relayHolds?.(found.message_id)) === true) {
            await moveOutboxRow(db, found.id, ['sending'], 'sent', { smtpResponse: HELD_AT_RELAY, lastError: null });
            return { status: 'sent', email };
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
    const known = await answer(row);
    if (known) return known;

    if (recipient.contactId && (await isUnsubscribed(db, recipient.contactId))) {
      return settle('skipped', `${email}: unsubscribed`);
    }
    if (recipient.contactId) {
      const decision = await govern(email, row.id);
      if (!decision.send) return settle('skipped', `${email}: ${decision.reason}`);
    }

    const unsubscribe = recipient.contactId
      ? unsubscribeUrl(settings.publicUrl, settings.linkSecret, account.id, recipient.contactId)
      : undefined;
    let rendered;
    try {
      rendered = await renderEmail(template, {
        variables: templateVariables({
          account: { fields },
          contact: { name: recipient.name, email: recipient.email },
          csm: await ownerCsmOf(db, account),
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
      return settle(
        'failed',
        `${email}: the template '${effect.template}' did not render: ${(error as Error).message}`,
      );
    }
    let html = trackLinks(rendered.html, {
      publicUrl: settings.publicUrl,
      secret: settings.linkSecret,
      outboxId: row.id,
      keep: unsubscribe ? [unsubscribe] : [],
    });
    if (settings.openTracking) {
      const pixel = openPixelUrl(settings.publicUrl, settings.linkSecret, row.id);
      html = html.replace(
        '</body>',
        `<img src="${pixel}" width="1" height="1" alt="" style="display: none;">\n</body>`,
      );
    }
    const headers: Record<string, string> = unsubscribe
      ? { 'List-Unsubscribe': `<${unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
      : {};

    // Recorded immediately before the SMTP call: from here until "sent" is the window SMTP cannot close.
    const claimed = await moveOutboxRow(db, row.id, ['queued'], 'sending', {
      rendered: { subject: rendered.subject, html, text: rendered.text, locale: rendered.locale, headers },
    });
    if (!claimed) {
      // Another attempt of this step moved the row meanwhile; answer by where it stands now.
      const now = await db.selectFrom('email_outbox').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
      return (await answer(now)) ?? { status: 'failed', email, reason: `${email}: could not be claimed for sending` };
    }
    row = claimed;
    await fail('afterSending', step, email);
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
    // From `uncertain` too: a slow attempt that finishes after a retry gave up on it knows the truth.
    await moveOutboxRow(db, row.id, ['sending', 'uncertain'], 'sent', { smtpResponse: reply, lastError: null });
    await fail('afterSent', step, email);
    return { status: 'sent', email };
  }

  return async function deliverEmail(step: EmailStep): Promise<EffectOutcome> {
    const { effect } = step;
    const accountId = step.run?.accountId;
    // A run for an account given inline at enrollment (never stored) has no contacts to write to.
    if (!accountId || !isUuid(accountId)) {
      return { status: 'skipped', detail: 'the account is not stored in Stayflow, so it has no contacts' };
    }
    let account: Account;
    let fields: Record<string, unknown>;
    let template: EmailTemplateContent;
    try {
      [account, { fields }] = await Promise.all([findAccount(db, accountId), accountSnapshot(db, accountId)]);
    } catch (error) {
      if (isDomainError(error, 'not_found')) return { status: 'skipped', detail: 'the account was deleted' };
      throw error;
    }
    try {
      template = await findTemplate(db, effect.template);
    } catch (error) {
      if (isDomainError(error, 'not_found')) {
        return { status: 'failed', detail: `the email template '${effect.template}' no longer exists` };
      }
      throw error;
    }
    const { recipients, none } = await emailRecipients(db, account, effect.recipients);
    if (recipients.length === 0) return { status: 'skipped', detail: none ?? 'nobody to write to' };

    // Contact governance (engine/governance/decide.ts, the preview's decision too): the install's saved rules, or
    // MAIL_FREQUENCY_CAP with the shipped exemptions; Temporal is asked about a rescue only when the answer matters.
    const { value: rules } = await governanceSettings(db, settings.frequencyCap);
    let rescue: Promise<boolean> | undefined;
    const govern = async (email: string, outboxId: string): Promise<EmailDecision> => {
      const at = Date.now();
      const playbookKey = step.run?.playbookKey;
      const promotional = playbookKey !== undefined && rules.playbooks[playbookKey]?.promotional === true;
      const sent = rules.frequencyCap
        ? await recentSendsTo(db, email, new Date(at - capPeriodMs(rules.frequencyCap)), outboxId)
        : [];
      const rescueIsOpen = promotional ? await (rescue ??= rescueOpen(deps.temporal, rules, account.id)) : false;
      return decideEmail({ rules, playbookKey, at, sent, rescueOpen: rescueIsOpen });
    };

    const results: RecipientResult[] = [];
    let retry: TryAgain | undefined;
    // Every recipient gets its try before a temporary failure asks for a retry, which then skips those sent.
    for (const recipient of recipients) {
      step.heartbeat?.();
      try {
        results.push(await sendTo(step, account, fields, template, recipient, govern));
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
  };
}
