import type { Issue } from '../../../engine/errors.js';
import { LOCALE_NAMES, localesOf, type EmailTemplateContent } from '../../../engine/templates/schema.js';
import { TemplateError } from './liquid.js';
import { renderEmail } from './render-pool.js';
import { SAMPLE_TEMPLATE_INPUT, templateVariables } from './variables.js';

/**
 * Renders every language of a template for the sample account, within the render budget, before it is saved:
 * a template whose loop cannot finish, or that renders to more than an email can hold, is refused at save with
 * the reason, not discovered at send time by every run that reaches it.
 */
export async function renderProblems(template: EmailTemplateContent): Promise<Issue[]> {
  const variables = templateVariables(SAMPLE_TEMPLATE_INPUT);
  const issues: Issue[] = [];
  for (const locale of localesOf(template)) {
    try {
      await renderEmail(template, { variables, locale: { requested: locale } });
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      const path = error.place ? `locales.${error.place.locale}.${error.place.field}` : `locales.${locale}`;
      const message = error.place ? error.message : `${LOCALE_NAMES[locale]}: ${error.message}`;
      issues.push({ path, code: error.code, message: `Rendered for a sample account, ${message}` });
    }
  }
  return issues;
}
