import { SlackSettingsInput, maskWebhook, type SlackSettings } from '../../engine/notifications/slack-settings.js';
import type { AuditActor } from '../audit/log.js';
import type { Db } from '../db/database.js';
import { refusalOf, type OutboundPolicy } from '../effects/outbound-guard.js';
import { DomainError } from '../errors.js';
import { readSection, writeSection } from './store.js';

const NONE: SlackSettingsInput = { webhookUrl: null };

/** The webhook Slack notifications post to: the one Settings names, else SLACK_WEBHOOK_URL; undefined: none. */
export async function slackWebhookUrl(db: Db, envUrl: string | undefined): Promise<string | undefined> {
  const { value } = await readSection(db, 'slack', SlackSettingsInput, NONE);
  return value.webhookUrl ?? envUrl;
}

export async function slackSettings(db: Db, envUrl: string | undefined): Promise<SlackSettings> {
  const stored = await readSection(db, 'slack', SlackSettingsInput, NONE);
  const url = stored.value.webhookUrl ?? envUrl;
  return {
    configured: url !== undefined,
    source: stored.value.webhookUrl ? 'settings' : envUrl ? 'environment' : null,
    webhookUrl: url ? maskWebhook(url) : null,
    updatedAt: stored.updatedAt,
    updatedBy: stored.updatedBy,
  };
}

/** Saves the webhook once the outbound guard would call it (no private address, https only); null removes it. */
export async function saveSlack(
  db: Db,
  input: SlackSettingsInput,
  actor: AuditActor,
  deps: { envUrl: string | undefined; outbound: OutboundPolicy | undefined },
): Promise<SlackSettings> {
  const refusal = input.webhookUrl ? refusalOf(input.webhookUrl, deps.outbound) : undefined;
  if (refusal) {
    throw new DomainError(
      'unprocessable',
      'outbound_refused',
      `Stayflow will not post to ${new URL(input.webhookUrl!).hostname}: ${refusal} (OUTBOUND_ALLOW names exceptions)`,
    );
  }
  await writeSection(db, 'slack', input, actor, { webhookUrl: input.webhookUrl && maskWebhook(input.webhookUrl) });
  return slackSettings(db, deps.envUrl);
}
