import type { EmailTemplateContent } from '../../engine/templates/schema.js';
import type { Db } from '../../server/db/database.js';
import { saveTemplate } from '../../server/templates/store.js';

// The server compiles playbooks against its email templates, so the template keys the sample playbooks use
// (besides the shipped `welcome`) must exist on a stack the tests publish them to.
export const sampleTemplates: Record<string, EmailTemplateContent> = {
  day4: {
    name: 'Day 4 check-in (tests)',
    defaultLocale: 'en',
    locales: {
      en: {
        subject: 'How is it going, {{ contact.first_name }}?',
        body: 'Hi {{ contact.first_name }},\n\n{{ csm.name }}',
      },
    },
  },
  'day4-check-in': {
    name: 'Day 4 check-in, all contacts (tests)',
    defaultLocale: 'es',
    locales: {
      es: { subject: '¿Qué tal, {{ contact.first_name }}?', body: 'Hola {{ contact.first_name }}:\n\n{{ csm.name }}' },
    },
  },
  offer: {
    name: 'Training offer (tests)',
    defaultLocale: 'en',
    locales: {
      en: {
        subject: 'A free training session for {{ account.name }}',
        body: 'Hi {{ contact.first_name }},\n\n[Book it here]({{ csm.booking_link }}).\n\n{{ csm.name }}',
      },
    },
  },
};

export async function installSampleTemplates(db: Db): Promise<void> {
  for (const [key, template] of Object.entries(sampleTemplates)) await saveTemplate(db, key, template);
}
