import type { Issue } from '../../../engine/errors.js';
import type { AccountFieldVocabulary } from '../../../engine/playbook/account-fields.js';
import {
  localesOf,
  templateVariableProblem,
  templateVocabulary,
  type EmailTemplateContent,
} from '../../../engine/templates/schema.js';
import { parseTemplate, positionPrefix, TemplateError, variablesUsed, type TemplateField } from './liquid.js';

export interface TemplateCheck {
  /** Every variable the template reads, in any language, sorted: what the playbook compiler checks. */
  variables: string[];
  /** Empty when the template can be saved; each names the language and the part (`locales.es.body`). */
  issues: Issue[];
}

const FIELDS: TemplateField[] = ['subject', 'body'];

/**
 * Parses every language's subject and body and checks each variable they use against the vocabulary — the
 * built-in account fields plus the install's custom ones when `accountFields` is given.
 */
export function checkEmailTemplate(
  template: EmailTemplateContent,
  accountFields?: AccountFieldVocabulary,
): TemplateCheck {
  const vocabulary = templateVocabulary(accountFields);
  const variables = new Set<string>();
  const issues: Issue[] = [];
  for (const locale of localesOf(template)) {
    for (const field of FIELDS) {
      const place = { locale, field };
      const path = `locales.${locale}.${field}`;
      const source = template.locales[locale]?.[field] ?? '';
      let used;
      try {
        used = variablesUsed(parseTemplate(source, place), locale);
      } catch (error) {
        const problem =
          error instanceof TemplateError ? error : new TemplateError('template_syntax', String(error), place);
        issues.push({ path, code: problem.code, message: problem.message });
        continue;
      }
      const reported = new Set<string>();
      for (const { path: variable, line, column } of used) {
        variables.add(variable);
        const problem = templateVariableProblem(vocabulary, variable);
        if (!problem || reported.has(variable)) continue;
        reported.add(variable);
        issues.push({
          path,
          code: problem.code,
          message: `${positionPrefix(place, line, column)}: {{${variable}}} cannot be used: ${problem.reason}`,
        });
      }
    }
  }
  return { variables: [...variables].sort(), issues };
}
