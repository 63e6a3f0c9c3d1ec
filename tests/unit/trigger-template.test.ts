import { describe, expect, it } from 'vitest';
import { checkEmailTemplate } from '../../server/email/templates/check.js';
import { renderEmailInThread as renderEmail } from '../../server/email/templates/render.js';
import { SAMPLE_TEMPLATE_INPUT, templateVariables } from '../../server/email/templates/variables.js';

// {{ trigger.* }}: an email reads what enrolled its run — the NPS score, the field that changed.

const thanks = {
  name: 'NPS thanks',
  defaultLocale: 'en' as const,
  locales: {
    en: {
      subject: 'Thanks for your {{ trigger.data.score }}',
      body: 'You answered {{ trigger.event }} with {{ trigger.data.score }}.{% if trigger.data.comment %} “{{ trigger.data.comment }}”{% endif %}',
    },
  },
};

describe('templates read the trigger that enrolled the run', () => {
  it('accepts trigger.* and trigger.data.* at save, and still refuses a group that does not exist', () => {
    expect(checkEmailTemplate(thanks).issues).toEqual([]);
    const typo = { ...thanks, locales: { en: { subject: 'x', body: '{{ triger.data.score }}' } } };
    expect(JSON.stringify(checkEmailTemplate(typo))).toContain('did you mean {{trigger.data.score}}?');
  });

  it('renders the event’s data; a run without a trigger renders the value empty', async () => {
    const variables = templateVariables({
      ...SAMPLE_TEMPLATE_INPUT,
      trigger: { type: 'event', event: 'nps.answered', data: { score: 10, comment: 'Great support' } },
    });
    const rendered = await renderEmail(thanks, { variables });
    expect(rendered.subject).toBe('Thanks for your 10');
    expect(rendered.text).toContain('You answered nps.answered with 10. “Great support”');
    const none = await renderEmail(thanks, {
      variables: templateVariables({ ...SAMPLE_TEMPLATE_INPUT, trigger: null }),
    });
    expect(none.subject).toBe('Thanks for your');
  });
});
