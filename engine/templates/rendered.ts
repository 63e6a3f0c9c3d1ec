import { z } from 'zod';
import { EmailLocale } from './schema.js';

// A template rendered for an account or sample values, as POST /api/templates/render answers it.

export const RenderedEmail = z
  .object({
    subject: z.string(),
    html: z.string(),
    text: z.string(),
    locale: EmailLocale,
    why: z.string().meta({ description: 'Why this language, e.g. "English: the contact’s locale (en)".' }),
  })
  .meta({ id: 'RenderedEmail' });
export type RenderedEmail = z.infer<typeof RenderedEmail>;
