import type { EmailLocale, EmailTemplateContent } from '../../../engine/templates/schema.js';
import { emailLayout, textFooter, type EmailFooter } from './layout.js';
import {
  describePlace,
  liquidFor,
  MAX_RENDERED_LENGTH,
  parseTemplate,
  TemplateError,
  templateErrorFrom,
  type OutputMode,
  type TemplateField,
} from './liquid.js';
import { chooseLocale, type LocalePreferences } from './locale.js';
import { markdownToHtml, markdownToText } from './markdown.js';
import type { TemplateData } from './variables.js';

export interface RenderEmailInput {
  /** From templateVariables(). */
  variables: TemplateData;
  /** The contact's and account's locales (the account's defaults to `variables.account.locale`). */
  locale?: LocalePreferences;
  footer?: EmailFooter;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
  locale: EmailLocale;
  /** Why this language: "English: the contact's locale (en)". */
  why: string;
}

/** Long enough for any real subject; inboxes cut far earlier. Longer ones (from long data) are shortened. */
export const MAX_SUBJECT_LENGTH = 200;

async function renderPart(
  template: EmailTemplateContent,
  locale: EmailLocale,
  field: TemplateField,
  mode: OutputMode,
  variables: TemplateData,
): Promise<string> {
  const place = { locale, field };
  const source = template.locales[locale]?.[field] ?? '';
  const parsed = parseTemplate(source, place, mode);
  let output: string;
  try {
    output = String(await liquidFor(mode, locale).render(parsed, variables));
  } catch (error) {
    throw templateErrorFrom(error, place, 'render');
  }
  if (output.length > MAX_RENDERED_LENGTH) {
    throw new TemplateError(
      'template_too_long',
      `${describePlace(place)}: it renders to more than ${MAX_RENDERED_LENGTH.toLocaleString('en')} characters, too long for an email`,
      place,
    );
  }
  return output;
}

function subjectLine(rendered: string): string {
  const line = rendered.replace(/\s+/g, ' ').trim();
  return line.length <= MAX_SUBJECT_LENGTH ? line : `${line.slice(0, MAX_SUBJECT_LENGTH - 1).trimEnd()}…`;
}

function preheaderOf(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= 120 ? line : `${line.slice(0, 119).trimEnd()}…`;
}

/**
 * A template and its data → subject, HTML and plain text in the language chosen for the recipient. Throws a
 * TemplateError (syntax, too slow or too big) naming the language, the part and the line; such an error does not
 * go away on a retry.
 *
 * This runs on the calling thread: the product calls `renderEmail` (render-pool.ts), which runs it in a worker
 * thread with a time budget, so a heavy template never stalls the API or the Temporal worker's event loop.
 */
export async function renderEmailInThread(
  template: EmailTemplateContent,
  input: RenderEmailInput,
): Promise<RenderedEmail> {
  const accountLocale = input.variables.account.locale;
  const choice = chooseLocale(template, {
    ...input.locale,
    account: input.locale?.account ?? (typeof accountLocale === 'string' ? accountLocale : undefined),
  });
  const { locale } = choice;
  const subject = subjectLine(await renderPart(template, locale, 'subject', 'subject', input.variables));
  const htmlMarkdown = await renderPart(template, locale, 'body', 'html', input.variables);
  const textMarkdown = await renderPart(template, locale, 'body', 'text', input.variables);
  const bodyText = markdownToText(textMarkdown);
  return {
    subject,
    html: emailLayout({
      locale,
      subject,
      bodyHtml: markdownToHtml(htmlMarkdown),
      preheader: preheaderOf(bodyText),
      footer: input.footer,
    }),
    text: `${bodyText}\n\n${textFooter(locale, input.footer)}\n`,
    locale,
    why: choice.why,
  };
}
