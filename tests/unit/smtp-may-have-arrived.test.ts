import { describe, expect, it } from 'vitest';
import { classifySmtpError, mayHaveArrived } from '../../server/email/smtp-errors.js';

// Which SMTP failures may hide a delivered email: only a relay that fell silent mid-transaction. Those rows stay
// `sending` for the next attempt to settle (ask the relay, else uncertain); every other failure is safe to retry.
describe('mayHaveArrived', () => {
  it('a socket that timed out mid-send: maybe delivered (never sent again blindly)', () => {
    const silent = Object.assign(new Error('Timeout'), { code: 'ETIMEDOUT', timeoutType: 'SOCKET_TIMEOUT' });
    expect(mayHaveArrived(silent)).toBe(true);
    expect(classifySmtpError(silent, 'ana@acme.example').kind).toBe('temporary');
  });

  it('a refusal (4xx, 5xx), a refused connection or a greeting that never came: not delivered', () => {
    expect(mayHaveArrived(Object.assign(new Error('try later'), { responseCode: 451 }))).toBe(false);
    expect(mayHaveArrived(Object.assign(new Error('no such user'), { responseCode: 550 }))).toBe(false);
    expect(mayHaveArrived(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ESOCKET' }))).toBe(false);
    expect(
      mayHaveArrived(
        Object.assign(new Error('Greeting never received'), { code: 'ETIMEDOUT', timeoutType: 'GREETING_TIMEOUT' }),
      ),
    ).toBe(false);
  });
});
