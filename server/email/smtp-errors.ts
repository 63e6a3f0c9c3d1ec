// What an SMTP failure means for the email: try again later, or give up with a reason a CS person can act on.
// RFC 5321: 4yz replies are transient ("try again"), 5yz are permanent ("do not repeat this exact request").

export interface SmtpFailure {
  /** `temporary`: retry with backoff; `permanent`: this email will never be accepted as it is. */
  kind: 'temporary' | 'permanent';
  /** E.g. "ana@acme.example: 550 mailbox unavailable". */
  reason: string;
}

interface NodemailerError {
  code?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

// Errors of the address itself, found before anything reached the server: no retry will fix them.
const INVALID_ADDRESS = /invalid recipient|no recipients defined/i;

/** The SMTP reply without its enhanced status code: "550 5.1.1 mailbox unavailable" → "550 mailbox unavailable". */
function replyText(error: NodemailerError): string {
  const reply = (error.response ?? '').replace(/\s+/g, ' ').trim();
  if (!reply) return `${error.responseCode ?? ''} ${error.message ?? 'SMTP error'}`.trim();
  return reply.replace(/^(\d{3})[ -](\d\.\d{1,3}\.\d{1,3} )?/, '$1 ');
}

export function classifySmtpError(error: unknown, recipient: string): SmtpFailure {
  const e = (error ?? {}) as NodemailerError;
  const code = e.responseCode;
  if (typeof code === 'number' && code >= 500) return { kind: 'permanent', reason: `${recipient}: ${replyText(e)}` };
  if (typeof code === 'number' && code >= 400) return { kind: 'temporary', reason: `${recipient}: ${replyText(e)}` };
  if (e.code === 'EENVELOPE' && INVALID_ADDRESS.test(e.message ?? '')) {
    return { kind: 'permanent', reason: `${recipient}: not a valid email address` };
  }
  // Connection refused or dropped, timeouts, DNS, TLS: the relay may be back in a minute.
  const what = e.code ? `${e.code} ${e.message ?? ''}` : (e.message ?? String(error));
  return { kind: 'temporary', reason: `${recipient}: ${what.trim()}` };
}

/**
 * A failure after which the relay may have the email all the same: the socket fell silent mid-transaction (a
 * timeout after the message was handed over and before the 250). Sending again could deliver it twice.
 */
export function mayHaveArrived(error: unknown): boolean {
  const e = (error ?? {}) as NodemailerError & { timeoutType?: string };
  return e.responseCode === undefined && e.timeoutType === 'SOCKET_TIMEOUT';
}

/**
 * Thrown by the email deliverer when a recipient's failure is temporary: the activity fails and Temporal retries
 * it with backoff. A plain error (not a Temporal `ApplicationFailure`), so the domain knows nothing of Temporal;
 * the failure's type in the run's history is this name.
 */
export class SmtpTemporaryError extends Error {
  override name = 'SmtpTemporary';
}
