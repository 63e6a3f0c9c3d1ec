import { z } from 'zod';
import { Email } from '../accounts/schema.js';

// A CSM as customers meet them in email: the name they sign with, the link that books time with them and their
// signature. Accounts name their owner CSM by email; templates read these as csm.name, csm.booking_link and
// csm.signature.

const WebLink = z
  .url({ protocol: /^https?$/, error: 'must be a web address starting with https:// or http://' })
  .max(2000, { error: 'must be at most 2000 characters' });

export const CsmProfileInput = z
  .object({
    name: z.string().trim().min(1, { error: 'must not be empty' }).max(200).nullable().optional(),
    bookingLink: WebLink.nullable()
      .optional()
      .meta({ description: 'Where customers book a call (Calendly, HubSpot meetings, Google appointment pages).' }),
    signature: z
      .string()
      .trim()
      .max(2000, { error: 'must be at most 2000 characters' })
      .nullable()
      .optional()
      .meta({ description: 'Plain text or Markdown, signed under every email the CSM sends through a playbook.' }),
  })
  .strict()
  .meta({ id: 'CsmProfileInput' });
export type CsmProfileInput = z.infer<typeof CsmProfileInput>;

export const CsmProfile = z
  .object({
    email: z.string(),
    name: z.string().nullable(),
    bookingLink: z.string().nullable(),
    signature: z.string().nullable(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'CsmProfile' });
export type CsmProfile = z.infer<typeof CsmProfile>;

export const CsmRef = z.object({ email: Email });
