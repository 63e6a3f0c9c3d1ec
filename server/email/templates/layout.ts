import type { EmailLocale } from '../../../engine/templates/schema.js';
import { FONT_STACK, TEXT_COLOR } from './markdown.js';

// The frame every templated email goes out in: one 600 px column built from tables with inline styles (what
// Outlook, Gmail and Apple Mail all render), full width on phones, and a footer with the company's postal
// address and the unsubscribe link — which the sender always supplies, so no template can leave it out.

export interface EmailFooter {
  /** The one-click unsubscribe page for this recipient (the sender builds it; previews show a placeholder). */
  unsubscribeUrl?: string;
  /** Who sends the email, e.g. "Acme Analytics". */
  company?: string;
  /** The sender's postal address, which anti-spam laws (CAN-SPAM, LSSI) require in commercial email. */
  address?: string;
  /** Written to the account team (the owner CSM), not a customer: no unsubscribe line, a team footer. */
  staff?: boolean;
}

const WORDS: Record<
  EmailLocale,
  { unsubscribe: string; pending: string; why: (company?: string) => string; team: (company?: string) => string }
> = {
  es: {
    team: (company) =>
      company
        ? `Recibes este correo como parte del equipo de ${company}.`
        : 'Recibes este correo como parte del equipo.',
    unsubscribe: 'Darse de baja de estos correos',
    pending: '(el enlace se añade al enviar)',
    why: (company) =>
      company ? `Recibes este correo porque eres cliente de ${company}.` : 'Recibes este correo porque eres cliente.',
  },
  en: {
    team: (company) =>
      company
        ? `You are receiving this email as part of the ${company} team.`
        : 'You are receiving this email as part of the team.',
    unsubscribe: 'Unsubscribe from these emails',
    pending: '(the link is added when the email is sent)',
    why: (company) =>
      company
        ? `You are receiving this email as a customer of ${company}.`
        : 'You are receiving this email as a customer.',
  },
};

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** Only web and mail links may sit behind "unsubscribe"; anything else (javascript:, data:) becomes "#". */
function safeHref(url: string | undefined): string {
  if (!url) return '#';
  try {
    return ['http:', 'https:', 'mailto:'].includes(new URL(url).protocol) ? escapeHtml(url) : '#';
  } catch {
    return '#';
  }
}

export interface LayoutInput {
  locale: EmailLocale;
  subject: string;
  /** The body as HTML (from markdown-it: already escaped and styled inline). */
  bodyHtml: string;
  /** The first words of the text, shown by inboxes beside the subject. */
  preheader: string;
  footer?: EmailFooter;
}

export function emailLayout({ locale, subject, bodyHtml, preheader, footer = {} }: LayoutInput): string {
  const words = WORDS[locale];
  const footerLines = footer.staff
    ? [escapeHtml(words.team(footer.company))]
    : [
        escapeHtml(words.why(footer.company)),
        ...(footer.address ? [escapeHtml(footer.address).replace(/\r?\n/g, '<br>')] : []),
        `<a href="${safeHref(footer.unsubscribeUrl)}" style="color: #6b7280; text-decoration: underline;">${words.unsubscribe}</a>`,
      ];
  return `<!DOCTYPE html>
<html lang="${locale}" xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="x-apple-disable-message-reformatting">
<meta name="color-scheme" content="light">
<meta name="supported-color-schemes" content="light">
<title>${escapeHtml(subject)}</title>
<style>
@media only screen and (max-width: 620px) {
  .stayflow-container { width: 100% !important; }
  .stayflow-content { padding: 24px 20px !important; }
}
</style>
</head>
<body style="margin: 0; padding: 0; background-color: #f4f5f7; -webkit-text-size-adjust: 100%;">
<div style="display: none; max-height: 0; overflow: hidden; mso-hide: all;">${escapeHtml(preheader)}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color: #f4f5f7;">
<tr>
<td align="center" style="padding: 24px 12px;">
<table role="presentation" class="stayflow-container" width="600" cellpadding="0" cellspacing="0" border="0" style="width: 600px; max-width: 600px; background-color: #ffffff; border-radius: 8px;">
<tr>
<td class="stayflow-content" style="padding: 32px 40px; font-family: ${FONT_STACK}; font-size: 16px; line-height: 1.6; color: ${TEXT_COLOR}; word-break: break-word;">
${bodyHtml}
</td>
</tr>
</table>
<table role="presentation" class="stayflow-container" width="600" cellpadding="0" cellspacing="0" border="0" style="width: 600px; max-width: 600px;">
<tr>
<td style="padding: 16px 40px; font-family: ${FONT_STACK}; font-size: 12px; line-height: 1.5; color: #6b7280; text-align: center;">
${footerLines.join('<br>\n')}
</td>
</tr>
</table>
</td>
</tr>
</table>
</body>
</html>
`;
}

/** The plain-text footer: the same facts as the HTML one, with the unsubscribe address written out. */
export function textFooter(locale: EmailLocale, footer: EmailFooter = {}): string {
  const words = WORDS[locale];
  if (footer.staff) return ['--', words.team(footer.company)].join('\n');
  return [
    '--',
    words.why(footer.company),
    ...(footer.address ? [footer.address] : []),
    `${words.unsubscribe}: ${footer.unsubscribeUrl ?? words.pending}`,
  ].join('\n');
}
