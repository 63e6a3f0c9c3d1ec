import { describe, expect, it } from 'vitest';
// The rendering itself, on this thread: the pool that runs it off the event loop is tested in the component lane.
import { renderEmailInThread as renderEmail } from '../../server/email/templates/render.js';
import { SAMPLE_TEMPLATE_INPUT, templateVariables } from '../../server/email/templates/variables.js';
import { loadShippedTemplates } from '../../server/templates/shipped.js';

// A CSM without a booking link: `{% if csm.booking_link %}` is false, so no shipped email offers an empty
// "Book a call" link (Liquid's Ruby truthiness made "" true).

const withoutBookingLink = templateVariables({
  ...SAMPLE_TEMPLATE_INPUT,
  csm: { ...SAMPLE_TEMPLATE_INPUT.csm, bookingLink: '' },
});

describe('empty values in templates', () => {
  it('no shipped template renders a link without an address when the CSM has no booking link', async () => {
    for (const shipped of await loadShippedTemplates()) {
      for (const locale of ['es', 'en'] as const) {
        const { html, text } = await renderEmail(shipped, {
          variables: withoutBookingLink,
          locale: { requested: locale },
        });
        expect(html, `${shipped.key}.${locale}`).not.toMatch(/href=""|href="\s*"/);
        expect(text, `${shipped.key}.${locale}`).not.toMatch(/\[[^\]]*\]\(\s*\)|\[\s*\]/);
        expect(text, `${shipped.key}.${locale}`).toContain('Marta Ruiz');
      }
    }
  });

  it('an empty value is false in a condition, and a present one true', async () => {
    const template = {
      key: 'truthy',
      name: 'Truthy',
      defaultLocale: 'en' as const,
      locales: {
        en: {
          subject: 'Hi',
          body: '{% if csm.booking_link %}[Book]({{ csm.booking_link }}){% else %}Reply to book{% endif %}',
        },
      },
    };
    const empty = await renderEmail(template, { variables: withoutBookingLink, locale: { requested: 'en' } });
    expect(empty.text).toContain('Reply to book');
    const present = await renderEmail(template, {
      variables: templateVariables(SAMPLE_TEMPLATE_INPUT),
      locale: { requested: 'en' },
    });
    expect(present.html).toContain('href="https://meet.example.com/marta-ruiz"');
  });
});
