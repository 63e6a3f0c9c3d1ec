import { z } from 'zod';

// Slack as Settings → Calendars and sending sets it: the incoming webhook notify steps and assignment notices post
// to. The address is a secret (anyone holding it can post to the channel): the API answers it masked, the audit log
// records it masked. SLACK_WEBHOOK_URL stays the default when Settings names none.

export const SlackSettingsInput = z
  .strictObject({
    webhookUrl: z
      .url({ protocol: /^https$/, error: 'must be an https:// incoming-webhook address' })
      .max(2000)
      .nullable()
      .meta({ description: 'Slack incoming webhook, e.g. https://hooks.slack.com/services/…; null: none here.' }),
  })
  .meta({ id: 'SlackSettingsInput' });
export type SlackSettingsInput = z.infer<typeof SlackSettingsInput>;

export const SlackSettings = z
  .object({
    configured: z.boolean(),
    source: z.enum(['settings', 'environment']).nullable(),
    webhookUrl: z.string().nullable().meta({ description: 'Masked: the host and the last four characters.' }),
    updatedAt: z.string().nullable(),
    updatedBy: z.string().nullable(),
  })
  .meta({ id: 'SlackSettings' });
export type SlackSettings = z.infer<typeof SlackSettings>;

/** "https://hooks.slack.com/…a1b2": enough to recognise the webhook, not to post to it. */
export function maskWebhook(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}/…${url.slice(-4)}`;
}
