import type { Effect, EffectOutcome } from '../../engine/interpreter/types.js';
import type { Db } from '../db/database.js';
import type { MailTransport } from '../email/transport.js';
import type { Deliverer, EffectStep } from './perform.js';
import { deliveryLog } from './deliveries.js';
import { retryableStatus, sendJson } from './http-post.js';
import { OutboundRefused, type OutboundPolicy } from './outbound-guard.js';
import { storedAccount } from '../accounts/store.js';
import { slackWebhookUrl } from '../settings/slack.js';

type NotifyEffect = Extract<Effect, { kind: 'notify' }>;

const TIMEOUT_MS = 15_000;

export interface NotifyDeps {
  db: Db;
  transport: MailTransport;
  mailFrom: string;
  slackWebhookUrl?: string;
  /** Where outbound requests may go (outbound-guard.ts); unset: no exceptions. */
  outbound?: OutboundPolicy;
}

/** The message as sent, with where it comes from: a notification read in Slack or a mailbox needs its context. */
export function notificationText(step: EffectStep<NotifyEffect>, accountName: string | undefined): string {
  const { effect, run } = step;
  const account = accountName ?? run?.accountId ?? 'an account';
  const source = run ? `${run.playbookName} (v${run.version})` : 'a playbook';
  return `${effect.message}\n\n${account} · ${source} · step "${effect.label}"`;
}

/**
 * Notify steps: `slack` posts `{ text }` to the configured incoming webhook; `email` writes to the account's owner
 * CSM through the pooled SMTP transport. Neither channel has an idempotency key to lean on, so each attempt is
 * recorded before it sends: an attempt that finds an earlier one still marked `sending` (a worker stopped mid-send)
 * does not send again, since the first may have gone out — a missed notification beats a doubled one.
 */
export function notifyDeliverer(deps: NotifyDeps): Deliverer<NotifyEffect> {
  return async (step): Promise<EffectOutcome> => {
    const { effect } = step;
    // The webhook Settings names, else SLACK_WEBHOOK_URL (server/settings/slack.ts).
    const slackUrl = effect.channel === 'slack' ? await slackWebhookUrl(deps.db, deps.slackWebhookUrl) : undefined;
    if (effect.channel === 'slack' && !slackUrl) {
      return { status: 'skipped', detail: 'Slack is not configured (SLACK_WEBHOOK_URL is unset)' };
    }
    const account = await storedAccount(deps.db, step.run?.accountId);
    const to = effect.channel === 'email' ? account?.ownerCsmEmail : undefined;
    if (effect.channel === 'email' && !to) {
      return {
        status: 'skipped',
        detail: account
          ? `account ${account.name} has no owner CSM email to notify`
          : `account ${step.run?.accountId ?? '(unknown)'} is not stored, so it names no owner CSM to notify`,
      };
    }
    const log = deliveryLog(deps.db, step, 'notify', effect.channel === 'slack' ? 'slack' : to!);
    const earlier = await log.earlier();
    if (earlier.some((attempt) => attempt.status === 'done')) {
      return { status: 'done', detail: 'sent by an earlier attempt' };
    }
    if (earlier.some((attempt) => attempt.status === 'sending')) {
      return {
        status: 'skipped',
        detail: `not sent again: attempt ${earlier.find((a) => a.status === 'sending')!.attempt} stopped while sending and may have delivered it`,
      };
    }
    await log.start();
    const text = notificationText(step, account?.name);
    return effect.channel === 'slack'
      ? postToSlack(slackUrl!, text, log, deps.outbound)
      : emailCsm(deps, to!, step, account?.name, text, log);
  };
}

type Log = ReturnType<typeof deliveryLog>;

async function postToSlack(url: string, text: string, log: Log, outbound?: OutboundPolicy): Promise<EffectOutcome> {
  let answer;
  try {
    answer = await sendJson(url, 'POST', JSON.stringify({ text }), {}, TIMEOUT_MS, outbound);
  } catch (error) {
    if (error instanceof OutboundRefused) {
      const detail = `Slack ${error.message}`;
      await log.finish('failed', detail);
      return { status: 'failed', detail };
    }
    const detail = `Slack could not be reached: ${(error as Error).message}`;
    await log.finish('retrying', detail);
    throw new Error(detail);
  }
  // The webhook URL is a secret (it is the credential): the detail names Slack, not the address.
  const said = `Slack answered ${answer.status} ${answer.statusText}`.trim();
  if (answer.status >= 200 && answer.status < 300) {
    await log.finish('done', said, answer.status);
    return { status: 'done', detail: 'posted to Slack' };
  }
  if (retryableStatus(answer.status)) {
    await log.finish('retrying', said, answer.status);
    throw new Error(`${said}; retrying`);
  }
  await log.finish('failed', said, answer.status);
  return { status: 'failed', detail: said };
}

async function emailCsm(
  deps: NotifyDeps,
  to: string,
  step: EffectStep<NotifyEffect>,
  accountName: string | undefined,
  text: string,
  log: Log,
): Promise<EffectOutcome> {
  const about = accountName ?? step.run?.accountId ?? 'an account';
  try {
    await deps.transport.sendMail({
      from: deps.mailFrom,
      to,
      subject: `[Stayflow] ${step.effect.label} — ${about}`,
      text,
    });
  } catch (error) {
    const code = (error as { responseCode?: number }).responseCode;
    const detail = `SMTP: ${(error as Error).message}`;
    // 5xx replies are final (bad address, policy); anything else (4xx, connection) is worth a retry.
    if (code !== undefined && code >= 500) {
      await log.finish('failed', detail, code);
      return { status: 'failed', detail: `the SMTP server refused the email to ${to} (${code})` };
    }
    await log.finish('retrying', detail, code);
    throw error;
  }
  await log.finish('done', `emailed ${to}`);
  return { status: 'done', detail: `emailed ${to}` };
}
