import { ApplicationFailure } from '@temporalio/activity';
import type { DeliveredEmail, SystemEmail } from '../engine/activity-contracts.js';
import type { MailTransport } from '../server/email/transport.js';

export function systemEmailActivities(deps: { transport: MailTransport; from: string }) {
  return {
    async deliverSystemEmail(email: SystemEmail): Promise<DeliveredEmail> {
      try {
        const info = await deps.transport.sendMail({
          from: deps.from,
          to: email.to,
          subject: email.subject,
          text: email.text,
        });
        return { messageId: info.messageId, accepted: (info.accepted ?? []).map(String) };
      } catch (error) {
        // 5xx replies are final (bad address, policy); anything else (4xx, connection) is worth a retry.
        const code = (error as { responseCode?: number }).responseCode;
        if (code !== undefined && code >= 500) {
          throw ApplicationFailure.nonRetryable(
            `SMTP server refused the email (${code}): ${(error as Error).message}`,
            'SmtpPermanent',
          );
        }
        throw error;
      }
    },
  };
}
