import { z } from 'zod';

// The referral programme's terms (source 004) and an account's referral ledger as the API answers it.

export const REFERRAL_TERMS = {
  /** Credit to the referrer when a customer they referred subscribes (referral.converted). */
  referralCreditCents: 200_00,
  /** More credit to the referrer when that customer renews (referral.renewed). */
  renewalCreditCents: 100_00,
  /** Off the referred customer's first month. */
  referredDiscountPercent: 20,
  currency: 'USD',
} as const;

export const ReferralLedgerKind = z.enum(['referralCredit', 'renewalCredit', 'referredDiscount']).meta({
  description:
    'referralCredit: $200 to the referrer for a referred customer who subscribed; renewalCredit: $100 more when that customer renewed; referredDiscount: 20 % off the referred account’s first month.',
});

export const ReferralLedgerEntry = z
  .object({
    at: z.string().meta({ description: 'When the event that earned it happened.' }),
    kind: ReferralLedgerKind,
    amountCents: z.number().int().meta({ description: 'Credit in cents; 0 for a discount.' }),
    discountPercent: z.number().int().nullable(),
    counterpart: z
      .string()
      .nullable()
      .meta({ description: 'The referred customer (on a referrer’s line) or the referrer (on a discount line).' }),
    eventId: z.string().meta({ description: 'The account event that earned the line.' }),
    description: z.string(),
  })
  .meta({ id: 'ReferralLedgerEntry' });
export type ReferralLedgerEntry = z.infer<typeof ReferralLedgerEntry>;

export const ReferralLedger = z
  .object({
    accountId: z.string(),
    currency: z.literal('USD'),
    creditCents: z.number().int().meta({ description: 'The sum of the account’s referral credits.' }),
    referrals: z.number().int().meta({ description: 'Referred customers who subscribed.' }),
    renewals: z.number().int().meta({ description: 'Of those, renewals credited.' }),
    entries: z.array(ReferralLedgerEntry).meta({ description: 'Oldest first.' }),
  })
  .meta({ id: 'ReferralLedger' });
export type ReferralLedger = z.infer<typeof ReferralLedger>;
