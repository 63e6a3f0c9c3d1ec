import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseFrequencyCap } from '../../server/email/frequency-cap.js';
import { signLink, trackLinks, verifyLink } from '../../server/email/links.js';
import { classifySmtpError } from '../../server/email/smtp-errors.js';
import { senderDomain } from '../../server/email/transmit.js';
import { loadConfig } from '../../server/config.js';

// The pure parts of sending playbook emails: what an SMTP failure means, signed links, the frequency cap.

// Errors shaped as nodemailer makes them (code, responseCode, response, command).
const smtpError = (fields: Record<string, unknown>) => Object.assign(new Error(String(fields.message ?? 'x')), fields);

describe('classifySmtpError', () => {
  it('gives up on a 5xx reply, with the address and the reply a person can read', () => {
    const error = smtpError({
      code: 'EENVELOPE',
      responseCode: 550,
      response: '550 5.1.1 mailbox unavailable',
      command: 'RCPT TO',
    });
    expect(classifySmtpError(error, 'ana@acme.example')).toEqual({
      kind: 'permanent',
      reason: 'ana@acme.example: 550 mailbox unavailable',
    });
  });

  it('retries a 4xx reply and every connection problem', () => {
    const greylisted = smtpError({ code: 'EENVELOPE', responseCode: 451, response: '451 4.7.1 try again later' });
    expect(classifySmtpError(greylisted, 'ana@acme.example')).toEqual({
      kind: 'temporary',
      reason: 'ana@acme.example: 451 try again later',
    });
    for (const code of ['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS']) {
      expect(classifySmtpError(smtpError({ code, message: 'connect ECONNREFUSED' }), 'a@b.example').kind).toBe(
        'temporary',
      );
    }
  });

  it('gives up on an address nodemailer refuses before anything is sent', () => {
    const invalid = smtpError({ code: 'EENVELOPE', message: 'Invalid recipient "ana@"', command: 'API' });
    expect(classifySmtpError(invalid, 'ana@')).toEqual({
      kind: 'permanent',
      reason: 'ana@: not a valid email address',
    });
  });
});

describe('signed links', () => {
  const secret = 'x'.repeat(40);

  it('verify only with the same secret, unchanged, and of the kind asked for', async () => {
    const token = await signLink(secret, { k: 'u', a: 'account-1', c: 'contact-1' });
    expect(token.split('.')).toHaveLength(3); // a JWS: header.payload.signature
    expect(await verifyLink(secret, token, 'u')).toEqual({ k: 'u', a: 'account-1', c: 'contact-1' });
    expect(await verifyLink('y'.repeat(40), token, 'u')).toBeUndefined();
    expect(await verifyLink(secret, token, 'r')).toBeUndefined();
    const [header, body, sig] = token.split('.');
    const other = Buffer.from(JSON.stringify({ k: 'u', a: 'account-1', c: 'contact-2' })).toString('base64url');
    expect(await verifyLink(secret, `${header}.${other}.${sig}`, 'u')).toBeUndefined();
    expect(await verifyLink(secret, `${header}.${body}.${sig}.x`, 'u')).toBeUndefined();
    const unsigned = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    expect(await verifyLink(secret, `${unsigned}.${body}.`, 'u')).toBeUndefined();
    expect(await verifyLink(secret, 'garbage', 'u')).toBeUndefined();
  });

  it('still honour links signed before the switch to JWTs, in emails already sent', async () => {
    // A token exactly as Stayflow signed them before: base64url JSON, '.', the first 18 bytes of its HMAC-SHA256.
    const legacy = (payload: object, key = secret) => {
      const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
      return `${body}.${createHmac('sha256', key).update(body).digest().subarray(0, 18).toString('base64url')}`;
    };
    const unsubscribe = { k: 'u', a: 'account-1', c: 'contact-1' };
    expect(await verifyLink(secret, legacy(unsubscribe), 'u')).toEqual(unsubscribe);
    expect(await verifyLink(secret, legacy(unsubscribe), 'o')).toBeUndefined();
    expect(await verifyLink(secret, legacy(unsubscribe, 'y'.repeat(40)), 'u')).toBeUndefined();
    const [, sig] = legacy(unsubscribe).split('.');
    const other = Buffer.from(JSON.stringify({ ...unsubscribe, c: 'contact-2' })).toString('base64url');
    expect(await verifyLink(secret, `${other}.${sig}`, 'u')).toBeUndefined();
  });

  it('track web links (decoding &amp;) but leave the unsubscribe link and mailto links alone', async () => {
    const html =
      '<a href="https://docs.example/a?x=1&amp;y=2">docs</a> <a href="https://s.example/u/tok">unsubscribe</a> ' +
      '<a href="mailto:help@acme.example">mail</a> <a href="https://docs.example/b">more</a>';
    const tracked = await trackLinks(html, {
      publicUrl: 'https://s.example/',
      secret,
      outboxId: 'o1',
      keep: ['https://s.example/u/tok'],
    });
    const tokens = [...tracked.matchAll(/href="https:\/\/s\.example\/r\/([^"]+)"/g)].map((m) => m[1]!);
    expect(tokens).toHaveLength(2);
    expect(await verifyLink(secret, tokens[0]!, 'r')).toEqual({ k: 'r', o: 'o1', u: 'https://docs.example/a?x=1&y=2' });
    expect(await verifyLink(secret, tokens[1]!, 'r')).toEqual({ k: 'r', o: 'o1', u: 'https://docs.example/b' });
    expect(tracked).toContain('href="https://s.example/u/tok"');
    expect(tracked).toContain('href="mailto:help@acme.example"');
  });
});

describe('mail settings', () => {
  it('read the frequency cap as emails per period, or none', () => {
    expect(parseFrequencyCap('3/7d')).toEqual({ max: 3, periodMs: 7 * 86_400_000, text: '3 per 7d' });
    expect(parseFrequencyCap('2/24h')).toEqual({ max: 2, periodMs: 24 * 3_600_000, text: '2 per 24h' });
    expect(parseFrequencyCap('off')).toBeUndefined();
  });

  it('refuse a malformed cap or a short link secret at start-up, naming the setting', () => {
    expect(loadConfig({}).MAIL_FREQUENCY_CAP).toBe('3/7d');
    expect(() => loadConfig({ MAIL_FREQUENCY_CAP: 'three a week' })).toThrow(
      /MAIL_FREQUENCY_CAP must be emails\/period/,
    );
    expect(() => loadConfig({ LINK_SECRET: 'short' })).toThrow(/LINK_SECRET must be at least 32 characters/);
  });

  it('name our Message-IDs after the sender domain', () => {
    expect(senderDomain('Acme Success <success@acme.example>')).toBe('acme.example');
    expect(senderDomain('success@acme.example')).toBe('acme.example');
  });
});
