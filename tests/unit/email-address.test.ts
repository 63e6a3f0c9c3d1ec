import { describe, expect, it } from 'vitest';
import { Email } from '../../engine/accounts/schema.js';

// RFC 5321 limits: 64 characters before the @, 254 in all. Longer addresses were stored, then refused by the SMTP
// server at send time; they are refused where every email field is checked, with a message saying which limit.

const domain = 'acme.example';
describe('Email', () => {
  it('takes a local part of 64 characters and refuses 65, saying why', () => {
    expect(Email.safeParse(`${'a'.repeat(64)}@${domain}`).success).toBe(true);
    const long = Email.safeParse(`${'a'.repeat(65)}@${domain}`);
    expect(long.success).toBe(false);
    expect(long.error?.issues[0]?.message).toBe('the part before @ must be at most 64 characters');
  });

  it('refuses an address over 254 characters in all', () => {
    const label = 'd'.repeat(60);
    const address = `ana@${[label, label, label, label].join('.')}.example`;
    expect(address.length).toBeGreaterThan(254);
    expect(Email.safeParse(address).success).toBe(false);
  });
});
