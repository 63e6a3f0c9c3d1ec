import { EmailLocale, LOCALE_NAMES, localesOf, type EmailTemplateContent } from '../../../engine/templates/schema.js';

// Which language an email goes out in: the contact's, else the account's, else the template's default, else any
// the template has — and a sentence saying why, for the preview and the run's timeline.

export interface LocalePreferences {
  /** Asked for explicitly (the editor's preview language switch). */
  requested?: string | null;
  /** The recipient's own locale, when the contact has one. */
  contact?: string | null;
  /** The account's locale field. */
  account?: string | null;
}

export type LocaleSource = 'requested' | 'contact' | 'account' | 'default' | 'available';

export interface LocaleChoice {
  locale: EmailLocale;
  source: LocaleSource;
  /** E.g. "English: the contact's locale (en-GB)" or "Spanish, the template's default: the account has no locale". */
  why: string;
}

/** 'es-MX', 'ES', 'es_ES' → 'es'; anything not a language Stayflow writes emails in → undefined. */
export function emailLocaleOf(locale: string | null | undefined): EmailLocale | undefined {
  const language = locale?.trim().toLowerCase().split(/[-_]/, 1)[0];
  const parsed = EmailLocale.safeParse(language);
  return parsed.success ? parsed.data : undefined;
}

const WHOSE: Record<'requested' | 'contact' | 'account', string> = {
  requested: 'the language asked for',
  contact: "the contact's locale",
  account: "the account's locale",
};

export function chooseLocale(
  template: Pick<EmailTemplateContent, 'locales' | 'defaultLocale'>,
  preferences: LocalePreferences = {},
): LocaleChoice {
  const available = localesOf(template);
  const passedOver: string[] = [];
  for (const source of ['requested', 'contact', 'account'] as const) {
    const wanted = preferences[source]?.trim();
    if (!wanted) {
      if (source !== 'requested') passedOver.push(`the ${source} has no locale`);
      continue;
    }
    const locale = emailLocaleOf(wanted);
    if (locale && available.includes(locale)) {
      const notes = source === 'requested' ? [] : passedOver;
      return {
        locale,
        source,
        why: `${LOCALE_NAMES[locale]}: ${WHOSE[source]} (${wanted})${notes.length ? `; ${notes.join(', ')}` : ''}`,
      };
    }
    passedOver.push(
      locale
        ? `${WHOSE[source]} ${wanted} has no version of this template`
        : `${WHOSE[source]} ${wanted} is not a language emails are written in`,
    );
  }
  const reasons = passedOver.length ? `: ${passedOver.join(', ')}` : '';
  if (available.includes(template.defaultLocale)) {
    return {
      locale: template.defaultLocale,
      source: 'default',
      why: `${LOCALE_NAMES[template.defaultLocale]}, the template's default${reasons}`,
    };
  }
  // The schema keeps the default among the written languages; this covers a row written by older code.
  const locale = available[0] ?? template.defaultLocale;
  return { locale, source: 'available', why: `${LOCALE_NAMES[locale]}, the only language the template has${reasons}` };
}
