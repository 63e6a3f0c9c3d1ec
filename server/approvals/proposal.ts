import type { Account } from '../../engine/accounts/schema.js';
import type { ProposedEmail } from '../../engine/approvals/proposal.js';
import type { ApprovalValues } from '../../engine/approvals/values.js';
import type { EffectRun } from '../../engine/activity-contracts.js';
import { accountSnapshot } from '../accounts/store.js';
import type { Db } from '../db/database.js';
import { isDomainError } from '../errors.js';
import { ownerCsmOf } from '../people/csm-profiles.js';
import { findTemplate } from '../templates/store.js';
import { emailRecipients } from '../email/recipients.js';
import { renderEmail, TemplateError, templateVariables } from '../email/templates/index.js';

/** What approving sends, as the first recipient would get it, with the values as they stand (the defaults). */
export type RenderedProposal =
  | {
      nodeId: string;
      label: string;
      template: string;
      to: string;
      subject: string;
      html: string;
      text: string;
      locale: string;
    }
  | { nodeId: string; label: string; template: string; unavailable: string };

/**
 * Renders the proposed email the way the sender will (same variables, locale choice and layout) so the person
 * deciding reads what would go out. Problems are not errors here: the proposal says why it cannot be shown.
 */
export async function renderProposal(
  db: Db,
  input: {
    proposal: ProposedEmail;
    account: Account | undefined;
    values: ApprovalValues;
    run: Pick<EffectRun, 'playbookName' | 'day'> | undefined;
    footer: { company?: string; address?: string };
  },
): Promise<RenderedProposal> {
  const { proposal, account } = input;
  const about = { nodeId: proposal.nodeId, label: proposal.label, template: proposal.template };
  if (!account) return { ...about, unavailable: 'the account is not stored in Stayflow, so it has no contacts' };
  let template;
  try {
    template = await findTemplate(db, proposal.template);
  } catch (error) {
    if (isDomainError(error, 'not_found'))
      return { ...about, unavailable: `the email template '${proposal.template}' no longer exists` };
    throw error;
  }
  const { recipients, none } = await emailRecipients(db, account, proposal.recipients);
  const recipient = recipients[0];
  if (!recipient) return { ...about, unavailable: none ?? 'nobody to write to' };
  const { fields } = await accountSnapshot(db, account.id);
  try {
    const rendered = await renderEmail(template, {
      variables: templateVariables({
        account: { fields },
        contact: { name: recipient.name, email: recipient.email },
        csm: await ownerCsmOf(db, account),
        run: { playbook: input.run?.playbookName, day: input.run?.day },
        approval: input.values,
      }),
      locale: { contact: recipient.locale, account: account.locale },
      footer: { ...input.footer, staff: !recipient.contactId },
    });
    return {
      ...about,
      to: recipient.email,
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      locale: rendered.locale,
    };
  } catch (error) {
    if (error instanceof TemplateError)
      return { ...about, unavailable: `the template does not render: ${error.message}` };
    throw error;
  }
}
