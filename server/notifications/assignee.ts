import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { retryableStatus, sendJson } from '../effects/http-post.js';
import { OutboundRefused, type OutboundPolicy } from '../effects/outbound-guard.js';
import type { MailTransport } from '../email/transport.js';
import { slackWebhookUrl } from '../settings/slack.js';

// Telling a person that work waits for them (a new approval or task, an escalation): by email and, where the
// install has one, in Slack. Each (thing, happening, channel) is sent at most once, whatever the retries: the row
// is claimed as `sending` before anything leaves, and a row a stopped worker left `sending` is never sent again —
// a missed nudge beats a doubled one (the inbox has the work either way).

export interface NotifyDeps {
  db: Db;
  transport: MailTransport;
  mailFrom: string;
  /** Slack incoming webhook; unset: Slack is not notified. */
  slackWebhookUrl?: string;
  /** Where outbound requests may go (server/effects/outbound-guard.ts); unset: no exceptions. */
  outbound?: OutboundPolicy;
}

export interface AssigneeNotice {
  /** What it is about, `approval:<id>` or `task:<id>`: with `event`, what makes it once-only. */
  subject: string;
  /** `assigned`, `escalated:1`, `reassigned:<email>`… */
  event: string;
  /** The assignee's address; null when nobody holds the work (Slack still hears of it). */
  to: string | null;
  emailSubject: string;
  text: string;
}

export type ChannelResult =
  | { channel: 'email' | 'slack'; outcome: 'sent' | 'already' | 'skipped'; detail: string }
  | { channel: 'email' | 'slack'; outcome: 'failed'; detail: string; temporary: boolean };

const SLACK_TIMEOUT_MS = 15_000;

/** Claims the channel for this notice; false when an earlier attempt sent it or stopped while sending. */
async function claim(db: Db, notice: AssigneeNotice, channel: 'email' | 'slack', recipient: string) {
  const row = await db
    .insertInto('notifications')
    .values({ subject: notice.subject, event: notice.event, channel, recipient, state: 'sending' })
    .onConflict((oc) =>
      oc
        .columns(['subject', 'event', 'channel'])
        // Only a failed attempt is tried again; `sent` is done and `sending` may have gone out.
        .doUpdateSet({ state: 'sending', recipient, detail: null, updated_at: sql<Date>`now()` })
        .where('notifications.state', '=', 'failed'),
    )
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

async function finish(db: Db, id: string, state: 'sent' | 'failed', detail: string) {
  await db
    .updateTable('notifications')
    .set({ state, detail, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

async function byEmail(deps: NotifyDeps, notice: AssigneeNotice): Promise<ChannelResult> {
  if (!notice.to) return { channel: 'email', outcome: 'skipped', detail: 'nobody to email' };
  const id = await claim(deps.db, notice, 'email', notice.to);
  if (!id) return { channel: 'email', outcome: 'already', detail: `${notice.to} was emailed by an earlier attempt` };
  try {
    await deps.transport.sendMail({
      from: deps.mailFrom,
      to: notice.to,
      subject: notice.emailSubject,
      text: notice.text,
    });
  } catch (error) {
    const code = (error as { responseCode?: number }).responseCode;
    const detail = `SMTP: ${(error as Error).message}`;
    await finish(deps.db, id, 'failed', detail);
    // 5xx replies are final (bad address, policy); anything else (4xx, connection) is worth a retry.
    return { channel: 'email', outcome: 'failed', detail, temporary: code === undefined || code < 500 };
  }
  await finish(deps.db, id, 'sent', `emailed ${notice.to}`);
  return { channel: 'email', outcome: 'sent', detail: `emailed ${notice.to}` };
}

async function bySlack(deps: NotifyDeps, notice: AssigneeNotice): Promise<ChannelResult> {
  // The webhook Settings names, else SLACK_WEBHOOK_URL (server/settings/slack.ts).
  const slackUrl = await slackWebhookUrl(deps.db, deps.slackWebhookUrl);
  if (!slackUrl) return { channel: 'slack', outcome: 'skipped', detail: 'Slack is not configured' };
  const id = await claim(deps.db, notice, 'slack', 'slack');
  if (!id) return { channel: 'slack', outcome: 'already', detail: 'posted to Slack by an earlier attempt' };
  const text = `${notice.emailSubject.replace(/^\[Stayflow\] /, '')}${notice.to ? ` (for ${notice.to})` : ''}\n${notice.text}`;
  let answer;
  try {
    answer = await sendJson(slackUrl, 'POST', JSON.stringify({ text }), {}, SLACK_TIMEOUT_MS, deps.outbound);
  } catch (error) {
    // A refused address stays refused; a network error may pass.
    const refused = error instanceof OutboundRefused;
    const detail = refused ? `Slack: ${error.message}` : `Slack could not be reached: ${(error as Error).message}`;
    await finish(deps.db, id, 'failed', detail);
    return { channel: 'slack', outcome: 'failed', detail, temporary: !refused };
  }
  // The webhook URL is a credential: the detail names Slack, never the address.
  const said = `Slack answered ${answer.status} ${answer.statusText}`.trim();
  if (answer.status >= 200 && answer.status < 300) {
    await finish(deps.db, id, 'sent', said);
    return { channel: 'slack', outcome: 'sent', detail: 'posted to Slack' };
  }
  await finish(deps.db, id, 'failed', said);
  return { channel: 'slack', outcome: 'failed', detail: said, temporary: retryableStatus(answer.status) };
}

/** Email and Slack, each once; a failure of one does not stop the other. */
export async function notifyAssignee(deps: NotifyDeps, notice: AssigneeNotice): Promise<ChannelResult[]> {
  return Promise.all([byEmail(deps, notice), bySlack(deps, notice)]);
}

/** "; notified: emailed x, posted to Slack" — what a step's detail says about its notifications. */
export function describeNotified(results: readonly ChannelResult[]): string {
  const said = results
    .filter((r) => r.outcome !== 'skipped')
    .map((r) => (r.outcome === 'failed' ? `${r.channel} failed: ${r.detail}` : r.detail));
  return said.length ? `; ${said.join('; ')}` : '';
}

/** A temporary failure worth retrying the step for, while there are attempts to spare. */
export const temporaryFailure = (results: readonly ChannelResult[]) =>
  results.find((r): r is Extract<ChannelResult, { outcome: 'failed' }> => r.outcome === 'failed' && r.temporary);
